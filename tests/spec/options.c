/*
 * options.c — the spec runner's command line.
 *
 *   spec-runner [--suite DIR] [--out DIR] [--skip-list FILE] [--verbose]
 *               [NAME...]
 *
 * The suite folder defaults to $WASM_TESTSUITE, else ../shared/wasm-testsuite
 * (relative to the repository root, where the runner is started).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define DEFAULT_SUITE "../shared/wasm-testsuite"
#define DEFAULT_OUT "build/spec"
#define DEFAULT_SKIP_LIST "tests/spec/skip.list"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: spec-runner [options] [NAME...]\n"
        "\n"
        "Runs the WebAssembly spec test suite (.wast files) against wasmbox.\n"
        "Each NAME.wast is converted with wast2json into OUT/NAME/ (only when\n"
        "its .json is missing or older than the .wast), then every command\n"
        "of the script is run against one store and linker (which start\n"
        "with the suite's `spectest` module). NAME may be given as `i32` or\n"
        "`i32.wast`; without names, every .wast in the suite folder is run.\n"
        "\n"
        "Commands listed in the skip list (lines `FILE.wast:LINE  reason`)\n"
        "are counted as skipped; an entry that matches no command of a\n"
        "script that ran is stale and counts as a failure. Commands that\n"
        "need SIMD execution (v128 values, or a call that reaches a SIMD\n"
        "instruction) are counted as not run.\n"
        "\n"
        "options:\n"
        "  --suite DIR   folder of .wast files (default: $WASM_TESTSUITE,\n"
        "                else " DEFAULT_SUITE ")\n"
        "  --out DIR     where converted scripts go (default: " DEFAULT_OUT ")\n"
        "  --skip-list FILE\n"
        "                commands not to run (default: " DEFAULT_SKIP_LIST ",\n"
        "                relative to the current folder; may be absent)\n"
        "  --verbose, -v also list skipped commands and echo spectest.print*\n"
        "  --interpreter run every module in the interpreter (default: native\n"
        "                code where wasmbox has a code generator, and then a\n"
        "                module that is not compiled to it is a failure)\n"
        "  --help, -h    show this help\n"
        "\n"
        "The last line is `N passed, N failed`; the line before it counts\n"
        "skipped and not-yet-run commands. Exit status: 0 if nothing failed,\n"
        "1 if a command failed or the suite is missing, 2 on bad usage\n"
        "(or an unreadable or malformed skip list).\n");
}

/* Matches "--name VALUE" and "--name=VALUE"; advances *i past VALUE. */
static int take_value(int argc, char **argv, int *i, const char *name,
                      const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "spec-runner: %s needs a value\n", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

#if defined(__x86_64__)
bool spec_expect_native = true;
#else
bool spec_expect_native = false;
#endif

int spec_options_parse(int argc, char **argv, spec_options *opt)
{
    const char *env = getenv("WASM_TESTSUITE");
    opt->suite = (env && *env) ? env : DEFAULT_SUITE;
    opt->out = DEFAULT_OUT;
    opt->skip_list = DEFAULT_SKIP_LIST;
    opt->skip_list_given = false;
    opt->verbose = false;
    opt->names = NULL;
    opt->n_names = 0;

    /* Names are gathered at the front of argv (after argv[0]), so options
     * and names may be mixed; everything after "--" is a name. */
    int n_names = 0;
    bool only_names = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int r;
        if (only_names || arg[0] != '-' || arg[1] == '\0') {
            argv[1 + n_names++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_names = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(arg, "--verbose") == 0 || strcmp(arg, "-v") == 0) {
            opt->verbose = true;
            continue;
        }
        if (strcmp(arg, "--interpreter") == 0) {
            wb_set_tier(WB_TIER_INTERPRETER);
            spec_expect_native = false;
            continue;
        }
        if ((r = take_value(argc, argv, &i, "--suite", &opt->suite)) != 0 ||
            (r = take_value(argc, argv, &i, "--out", &opt->out)) != 0) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = take_value(argc, argv, &i, "--skip-list", &opt->skip_list)) !=
            0) {
            if (r < 0)
                return 2;
            opt->skip_list_given = true;
            continue;
        }
        fprintf(stderr, "spec-runner: unknown option '%s' (try --help)\n",
                arg);
        return 2;
    }
    if (n_names > 0) {
        opt->names = argv + 1;
        opt->n_names = n_names;
    }
    if (*opt->suite == '\0' || *opt->out == '\0' || *opt->skip_list == '\0') {
        fprintf(stderr, "spec-runner: empty folder name\n");
        return 2;
    }
    return 0;
}
