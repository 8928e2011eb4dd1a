/*
 * cmd_run.c — `wasmbox run [OPTIONS] MODULE [ARGS...]`: runs a WASI command
 * (its `_start`) in a sandbox that holds only what the options grant:
 * directories (--dir, --dir-ro), environment variables (--env), and limits
 * on memory, fuel, wall-clock time and stack. With `--invoke NAME`, calls
 * that export instead, with ARGS parsed by its parameter types, and prints
 * the results one per line, as `wasmtime run --invoke` does.
 * Every word after MODULE belongs to the guest, even one starting with '-'.
 *
 * Exit statuses are listed in usage() below and in README.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/run_options.h"
#include "sandbox/policy.h"
#include "wasmbox.h"
#include "wasmbox_wasi.h"

/* Exit statuses of `wasmbox run` beyond 0 / 1 / 2 (cli.h) and the guest's
 * own codes. None is 128+N for a signal N that could end wasmbox, except
 * 134 (128 + SIGABRT), which wasmtime uses for traps. */
enum {
    EXIT_MEMORY_LIMIT = 120, /* --max-memory reached, and the guest then failed */
    EXIT_FUEL = 121,         /* --fuel exhausted */
    EXIT_STACK = 122,        /* call stack exhausted (--max-stack, call depth) */
    EXIT_TIMEOUT = 124,      /* --timeout passed (as coreutils timeout) */
    EXIT_TRAP = 134          /* the guest trapped */
};

/* A guest interrupted by --timeout but stuck in a host call is given this
 * long to return before wasmbox exits without it. */
#define TIMEOUT_GRACE_NS 2000000000ull

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: wasmbox run [OPTIONS] MODULE [ARGS...]\n"
            "\n"
            "Runs MODULE, a WASI command: calls its _start export with ARGS as its\n"
            "arguments. Every word after MODULE is passed to the guest, even one that\n"
            "starts with '-'. The guest gets nothing by default: no directories, no\n"
            "environment variables; stdin, stdout and stderr are wasmbox's own.\n"
            "\n"
            "Capabilities:\n"
            "  --dir HOST[::GUEST]      let the guest read and write the host directory\n"
            "                           HOST, which it sees as GUEST (default: HOST as\n"
            "                           written). Repeatable. Paths cannot leave it:\n"
            "                           '..', absolute paths and symlinks pointing out\n"
            "                           are refused.\n"
            "                             --dir ./data::/data\n"
            "  --dir-ro HOST[::GUEST]   the same, read-only: no writes, creations,\n"
            "                           removals or renames.\n"
            "                             --dir-ro /usr/share/dict::/dict\n"
            "  --env NAME=VALUE         set an environment variable for the guest.\n"
            "                             --env LANG=C.UTF-8\n"
            "  --env NAME               pass the host's NAME, if it is set. Repeatable;\n"
            "                           a later --env of the same NAME wins.\n"
            "                             --env HOME\n"
            "  --argv0 NAME             the guest's argv[0] (default: MODULE's file name)\n"
            "\n"
            "Limits:\n"
            "  --max-memory SIZE        the size of each linear memory, rounded up to 64KiB\n"
            "                           pages; checked at instantiation and at every\n"
            "                           memory.grow (which then returns -1 to the guest).\n"
            "                           Default 4GiB, the most a wasm32 memory can hold.\n"
            "                             --max-memory 64MiB\n"
            "  --fuel N                 stop the guest after about N WebAssembly\n"
            "                           instructions: a call is charged the instructions\n"
            "                           of its function outside loops, each loop iteration\n"
            "                           the instructions of the loop's body (taken or not).\n"
            "                           Default: unlimited.\n"
            "                             --fuel 1000000000\n"
            "  --timeout DURATION       stop the guest after this much wall-clock time,\n"
            "                           whether it computes or waits in a host call\n"
            "                           (units ms, s, m, h; a bare number is seconds).\n"
            "                           Default: none.\n"
            "                             --timeout 500ms   --timeout 5s   --timeout 2m\n"
            "  --max-stack SIZE         the guest's value stack (locals and operands of\n"
            "                           every active call; at most 1GiB). Default 8MiB;\n"
            "                           the call depth is also capped at 100,000 frames.\n"
            "                             --max-stack 64MiB\n"
            "  SIZE is bytes, or a number with B, K/KiB, M/MiB or G/GiB (binary units).\n"
            "\n"
            "Other:\n"
            "  --invoke NAME            call the exported function NAME instead of _start,\n"
            "                           with ARGS parsed by its parameter types (i32/i64:\n"
            "                           decimal or 0x hex; f32/f64: decimal, hex float,\n"
            "                           nan, inf), and print each result on its own line.\n"
            "                             --invoke add math.wasm 2 -5\n"
            "  --interpreter            run the module in the interpreter instead of\n"
            "                           compiling it to native code at load (x86-64;\n"
            "                           elsewhere the interpreter always runs). Slower;\n"
            "                           results, traps and limits are the same.\n"
            "  -h, --help               show this help\n"
            "\n"
            "Exit status:\n"
            "  0-255  the guest's exit status (proc_exit, or 0 when _start returns); a\n"
            "         status outside 0..255 is reported on stderr and gives 1\n"
            "  1      wasmbox failed (out of memory, a host error)\n"
            "  2      usage error: bad option, unreadable, invalid or unlinkable module,\n"
            "         a --dir that cannot be opened, unknown export or bad ARGS\n"
            "  120    memory limit: instantiation needed more than --max-memory, or a\n"
            "         memory.grow was refused by it and the guest then failed\n"
            "  121    fuel exhausted\n"
            "  122    call stack exhausted\n"
            "  124    timeout\n"
            "  134    the guest trapped\n"
            "The statuses wasmbox gives itself come with one line on stderr saying what\n"
            "happened (e.g. 'wasmbox: trap: unreachable'), then the guest's backtrace.\n"
            "A guest can exit with any of these numbers too; only the line on stderr\n"
            "tells them apart.\n"
            "\n"
            "Examples:\n"
            "  wasmbox run app.wasm --verbose input.txt\n"
            "  wasmbox run --dir ./data::/data --env LANG=C --max-memory 256MiB \\\n"
            "      --timeout 30s app.wasm /data/input.txt\n"
            "  wasmbox run --invoke add math.wasm 2 -5\n");
}

/* Parses an integer of `bits` width: decimal (signed or unsigned) or 0x hex. */
static int parse_int(const char *s, unsigned bits, uint64_t *out)
{
    errno = 0;
    char *end;
    uint64_t v;
    if (s[0] == '-') {
        long long n = strtoll(s, &end, 0);
        if (bits == 32 && (n < INT32_MIN || n > 0))
            return 0;
        v = (uint64_t)n;
        if (bits == 32)
            v &= 0xffffffffu;
    } else {
        v = strtoull(s, &end, 0);
        if (bits == 32 && v > UINT32_MAX)
            return 0;
    }
    if (errno || end == s || *end)
        return 0;
    *out = v;
    return 1;
}

static int parse_value(const char *s, wb_valtype t, wb_value *v)
{
    char *end;
    uint64_t u;
    v->type = t;
    switch (t) {
    case WB_TYPE_I32:
        if (!parse_int(s, 32, &u))
            return 0;
        v->of.i32 = (uint32_t)u;
        return 1;
    case WB_TYPE_I64:
        if (!parse_int(s, 64, &u))
            return 0;
        v->of.i64 = u;
        return 1;
    case WB_TYPE_F32: {
        float f = strtof(s, &end);
        if (end == s || *end)
            return 0;
        memcpy(&v->of.f32, &f, 4);
        return 1;
    }
    case WB_TYPE_F64: {
        double d = strtod(s, &end);
        if (end == s || *end)
            return 0;
        memcpy(&v->of.f64, &d, 8);
        return 1;
    }
    default:
        return 0;
    }
}

static void print_value(const wb_value *v)
{
    switch (v->type) {
    case WB_TYPE_I32: printf("%" PRId32 "\n", (int32_t)v->of.i32); break;
    case WB_TYPE_I64: printf("%" PRId64 "\n", (int64_t)v->of.i64); break;
    case WB_TYPE_F32: {
        float f;
        memcpy(&f, &v->of.f32, 4);
        if (isnan(f))
            printf("nan\n");
        else
            printf("%.9g\n", (double)f);
        break;
    }
    case WB_TYPE_F64: {
        double d;
        memcpy(&d, &v->of.f64, 8);
        if (isnan(d))
            printf("nan\n");
        else
            printf("%.17g\n", d);
        break;
    }
    case WB_TYPE_FUNCREF:
    case WB_TYPE_EXTERNREF:
        printf(v->of.ref ? "ref\n" : "null\n");
        break;
    default:
        printf("<%s>\n", wb_valtype_name(v->type));
        break;
    }
}

/* ------------------------------------------------------------------ options */

typedef struct RunOptions {
    const char *invoke; /* --invoke NAME, or NULL */
    const char *argv0;  /* --argv0, or NULL: MODULE's file name */
    wbPolicy policy;    /* --dir, --dir-ro, --env and the limits */
} RunOptions;

/* Prints "wasmbox run: MESSAGE" and a hint; returns the usage status. */
static int option_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int option_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wasmbox run: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nRun 'wasmbox run --help' for the options.\n");
    va_end(ap);
    return WB_EXIT_USAGE;
}

/* Applies one policy option (--dir, --dir-ro, --env or a limit) to o. */
static int apply_policy_option(RunOptions *o, const char *opt, const char *value)
{
    char why[160];
    int ok;
    if (strcmp(opt, "--dir") == 0)
        ok = wbPolicyAddDir(&o->policy, value, 0, why, sizeof why);
    else if (strcmp(opt, "--dir-ro") == 0)
        ok = wbPolicyAddDir(&o->policy, value, 1, why, sizeof why);
    else if (strcmp(opt, "--env") == 0)
        ok = wbPolicyAddEnv(&o->policy, value, why, sizeof why);
    else
        ok = wbPolicySetLimit(&o->policy, opt + 2, value, why, sizeof why);
    if (ok)
        return WB_EXIT_OK;
    if (strcmp(why, "out of memory") == 0) {
        fprintf(stderr, "wasmbox: out of memory\n");
        return WB_EXIT_FAILURE;
    }
    return option_error("%s '%s': %s", opt, value, why);
}

/* The options that take a value. */
static const char *const valued[] = {"--invoke", "--dir",       "--dir-ro",   "--env",
                                     "--argv0",  "--max-memory", "--fuel",     "--timeout",
                                     "--max-stack"};

/*
 * Reads the options before MODULE into o. Returns WB_EXIT_OK with *module
 * the index of MODULE in argv, or the exit status of a usage error (or of
 * --help: *module is then -1).
 */
static int parse_options(RunOptions *o, int argc, char **argv, int *module)
{
    *module = -1;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (wbCliIsHelp(a)) {
            usage(stdout);
            return WB_EXIT_OK;
        }
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        if (strcmp(a, "--interpreter") == 0) {
            wb_set_tier(WB_TIER_INTERPRETER);
            continue;
        }
        /* --NAME VALUE or --NAME=VALUE */
        const char *opt = NULL, *value = NULL;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !opt; k++) {
            size_t len = strlen(valued[k]);
            if (strncmp(a, valued[k], len) != 0)
                continue;
            if (a[len] == '=') {
                opt = valued[k];
                value = a + len + 1;
            } else if (a[len] == '\0') {
                opt = valued[k];
                if (i + 1 >= argc)
                    return option_error("%s needs a value", opt);
                value = argv[++i];
            }
        }
        if (!opt)
            return option_error("unknown option '%s'", a);
        int st = WB_EXIT_OK;
        if (strcmp(opt, "--invoke") == 0)
            o->invoke = value;
        else if (strcmp(opt, "--argv0") == 0)
            o->argv0 = value;
        else
            st = apply_policy_option(o, opt, value);
        if (st != WB_EXIT_OK)
            return st;
    }
    if (i >= argc) {
        fprintf(stderr, "wasmbox run: no module given\n");
        usage(stderr);
        return WB_EXIT_USAGE;
    }
    *module = i;
    return WB_EXIT_OK;
}

/* ------------------------------------------------------------------ running */

/* What a run needs to explain how it ended. */
typedef struct Run {
    const RunOptions *opts;
    wb_store *store;
    wb_wasi *wasi;
    WbWatchdog *watchdog;
    int timed_out;
} Run;

/* Stops the watchdog, remembering whether it fired. */
static void stop_watchdog(Run *r)
{
    if (wbCliWatchdogStop(&r->watchdog))
        r->timed_out = 1;
}

static void print_error(const char *what, const wb_error *err)
{
    char line[256];
    fprintf(stderr, "wasmbox: %s: %s\n", what, wb_error_format(err, line, sizeof line));
}

/* The exit status for a guest's exit code. */
static int guest_exit_status(Run *r, int code)
{
    if (code < 0 || code > 255) {
        fprintf(stderr, "wasmbox: the guest exited with status %u, outside 0..255; exiting with 1\n",
                (unsigned)code);
        return WB_EXIT_FAILURE;
    }
    if (code != 0 && wb_store_memory_limit_hit(r->store)) {
        char size[32];
        fprintf(stderr, "wasmbox: memory limit %s reached, then the guest exited with status %d\n",
                wbPolicyMemoryText(&r->opts->policy, size, sizeof size), code);
        return EXIT_MEMORY_LIMIT;
    }
    return code;
}

/*
 * The guest stopped with status s (not WB_OK): prints one line saying why,
 * and the backtrace when there is one, and returns wasmbox's exit status.
 * WB_ERR_EXIT (proc_exit outside wb_wasi_run) gives the guest's own status.
 */
static int explain_stop(Run *r, wb_status s, const wb_error *err)
{
    stop_watchdog(r);
    if (s == WB_ERR_EXIT) {
        int code = 0;
        if (r->wasi && wb_wasi_exit_code(r->wasi, &code))
            return guest_exit_status(r, code);
        fprintf(stderr, "wasmbox: the guest stopped (%s)\n",
                err->message ? err->message : "exit");
        return WB_EXIT_FAILURE;
    }
    char size[32];
    const char *what = err->message ? err->message : wb_status_name(s);
    /* err->detail is a backtrace when a function name and offset are in it */
    int backtrace = err->detail[0] && strstr(err->detail, "@0x") != NULL;
    int status;
    wbStop why = wbPolicyStopReason(s, err, r->store);
    if (why == WB_STOP_INTERRUPTED) {
        if (r->timed_out)
            fprintf(stderr, "wasmbox: timeout after %s\n", r->opts->policy.timeout);
        else
            fprintf(stderr, "wasmbox: interrupted\n");
        status = EXIT_TIMEOUT;
    } else if (why == WB_STOP_FUEL) {
        fprintf(stderr, "wasmbox: fuel exhausted (--fuel %" PRIu64 ")\n", r->opts->policy.fuel);
        status = EXIT_FUEL;
    } else if (why == WB_STOP_STACK) {
        fprintf(stderr, "wasmbox: call stack exhausted\n");
        status = EXIT_STACK;
    } else if (why == WB_STOP_MEMORY) {
        wbPolicyMemoryText(&r->opts->policy, size, sizeof size);
        if (s == WB_ERR_LIMIT) /* at instantiation: the module's minimum is too big */
            fprintf(stderr, "wasmbox: memory limit %s reached: the module needs more%s%s%s\n",
                    size, err->detail[0] ? " (" : "", err->detail, err->detail[0] ? ")" : "");
        else
            fprintf(stderr, "wasmbox: memory limit %s reached, then the guest trapped: %s\n",
                    size, what);
        status = EXIT_MEMORY_LIMIT;
    } else if (why == WB_STOP_TRAP) {
        fprintf(stderr, "wasmbox: trap: %s%s%s%s\n", what,
                !backtrace && err->detail[0] ? " (" : "", backtrace ? "" : err->detail,
                !backtrace && err->detail[0] ? ")" : "");
        status = EXIT_TRAP;
    } else if (s == WB_ERR_NOMEM) {
        fprintf(stderr, "wasmbox: out of memory\n");
        return WB_EXIT_FAILURE;
    } else {
        print_error(wb_status_name(s), err);
        return WB_EXIT_FAILURE;
    }
    if (backtrace)
        fprintf(stderr, "wasmbox: backtrace: %s\n", err->detail);
    return status;
}

/* Calls export `name` with the words in argv; returns the exit status. */
static int invoke(Run *r, wb_instance *inst, const char *name, int argc, char **argv)
{
    wb_extern ext;
    if (!wb_instance_export(inst, name, &ext) || ext.kind != WB_EXTERN_FUNC) {
        fprintf(stderr, "wasmbox: the module has no exported function '%s'\n", name);
        return WB_EXIT_USAGE;
    }
    uint32_t np, nr;
    const wb_valtype *pt, *rt;
    wb_func_type(ext.of.func, &np, &pt, &nr, &rt);
    if ((uint32_t)argc != np) {
        fprintf(stderr, "wasmbox: '%s' takes %u argument%s, %d given\n", name, np,
                np == 1 ? "" : "s", argc);
        return WB_EXIT_USAGE;
    }
    wb_value *args = calloc(np + 1, sizeof *args), *results = calloc(nr + 1, sizeof *results);
    int status = WB_EXIT_OK;
    if (!args || !results) {
        fprintf(stderr, "wasmbox: out of memory\n");
        status = WB_EXIT_FAILURE;
        goto done;
    }
    for (uint32_t i = 0; i < np; i++) {
        if (!parse_value(argv[i], pt[i], &args[i])) {
            fprintf(stderr, "wasmbox: argument %u of '%s': '%s' is not a valid %s\n", i + 1, name,
                    argv[i], wb_valtype_name(pt[i]));
            status = WB_EXIT_USAGE;
            goto done;
        }
    }
    wb_error err;
    wb_status s = wb_func_call(ext.of.func, args, np, results, nr, &err);
    stop_watchdog(r);
    if (s == WB_OK) {
        for (uint32_t i = 0; i < nr; i++)
            print_value(&results[i]);
    } else {
        status = explain_stop(r, s, &err);
    }
done:
    free(args);
    free(results);
    return status;
}

/* Runs the WASI command's _start; returns the exit status. */
static int run_command(Run *r, wb_instance *inst, const char *path)
{
    wb_extern ext;
    if (!wb_instance_export(inst, "_start", &ext) || ext.kind != WB_EXTERN_FUNC) {
        stop_watchdog(r);
        fprintf(stderr, "wasmbox: %s: nothing to run (no _start export; use --invoke NAME)\n",
                path);
        return WB_EXIT_OK;
    }
    int code = 0;
    wb_error err;
    wb_status s = wb_wasi_run(r->wasi, inst, &code, &err);
    stop_watchdog(r);
    return s == WB_OK ? guest_exit_status(r, code) : explain_stop(r, s, &err);
}

/* The guest's argv[0]: --argv0, or MODULE's file name. */
static const char *guest_argv0(const RunOptions *o, const char *path)
{
    if (o->argv0)
        return o->argv0;
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

int wbCmdRun(int argc, char **argv)
{
    RunOptions opts;
    memset(&opts, 0, sizeof opts);
    wbPolicyInit(&opts.policy);
    int mod_index;
    int status = parse_options(&opts, argc, argv, &mod_index);
    if (status != WB_EXIT_OK || mod_index < 0) {
        wbPolicyFree(&opts.policy);
        return status;
    }
    /* a guest writing to a closed pipe gets EPIPE, not a dead host */
    signal(SIGPIPE, SIG_IGN);
    const char *path = argv[mod_index];
    int nargs = argc - mod_index - 1;
    char **args = argv + mod_index + 1;

    Run run;
    memset(&run, 0, sizeof run);
    run.opts = &opts;
    wb_module *module = NULL;
    wb_linker *linker = NULL;
    wb_instance *inst = NULL;
    const char **guest_argv = NULL;
    wb_error err;
    size_t size;
    uint8_t *bytes = wbCliReadFile(path, &size);
    if (!bytes) {
        status = WB_EXIT_USAGE;
        goto done;
    }
    if (wb_module_new(bytes, size, &module, &err) != WB_OK) {
        print_error(path, &err);
        status = WB_EXIT_USAGE;
        goto done;
    }

    wb_limits limits = wbPolicyLimits(&opts.policy);
    run.store = wb_store_new(&limits);
    guest_argv = calloc((size_t)nargs + 2, sizeof *guest_argv);
    if (!run.store || !guest_argv) {
        fprintf(stderr, "wasmbox: out of memory\n");
        status = WB_EXIT_FAILURE;
        goto done;
    }

    /* the guest's world: its argv, its environment, its directories, stdio */
    guest_argv[0] = guest_argv0(&opts, path);
    for (int i = 0; i < nargs; i++)
        guest_argv[i + 1] = args[i];
    wb_wasi_config config;
    memset(&config, 0, sizeof config);
    config.argc = nargs + 1;
    config.argv = guest_argv;
    config.envc = opts.policy.nenv;
    config.env = opts.policy.env;
    config.ndirs = opts.policy.ndirs;
    config.dirs = opts.policy.dirs;
    config.stdin_fd = STDIN_FILENO;
    config.stdout_fd = STDOUT_FILENO;
    config.stderr_fd = STDERR_FILENO;
    wb_status s = wb_wasi_new(&config, &run.wasi, &err);
    if (s != WB_OK) {
        print_error(s == WB_ERR_IO ? "cannot grant a directory" : "cannot set up WASI", &err);
        status = s == WB_ERR_NOMEM ? WB_EXIT_FAILURE : WB_EXIT_USAGE;
        goto done;
    }
    linker = wb_linker_new(run.store);
    if (!linker || wb_wasi_define(run.wasi, linker) != WB_OK) {
        fprintf(stderr, "wasmbox: out of memory\n");
        status = WB_EXIT_FAILURE;
        goto done;
    }

    /* the clock starts before instantiation: a start function runs in it */
    if (opts.policy.timeout_ns) {
        char line[160];
        snprintf(line, sizeof line,
                 "wasmbox: timeout after %s (the guest was stuck in a host call)",
                 opts.policy.timeout);
        run.watchdog = wbCliWatchdogStart(run.store, opts.policy.timeout_ns, TIMEOUT_GRACE_NS,
                                          line, EXIT_TIMEOUT);
        if (!run.watchdog) {
            status = WB_EXIT_FAILURE;
            goto done;
        }
    }
    s = wb_instance_new(run.store, module, linker, &inst, &err);
    if (s != WB_OK) {
        if (s == WB_ERR_TRAP || s == WB_ERR_LIMIT || s == WB_ERR_EXIT) {
            status = explain_stop(&run, s, &err);
        } else {
            stop_watchdog(&run);
            print_error(path, &err);
            status = s == WB_ERR_NOMEM ? WB_EXIT_FAILURE : WB_EXIT_USAGE;
        }
        goto done;
    }
    if (opts.invoke)
        status = invoke(&run, inst, opts.invoke, nargs, args);
    else
        status = run_command(&run, inst, path);
done:
    stop_watchdog(&run);
    fflush(stdout);
    wb_linker_delete(linker);
    wb_store_delete(run.store);
    wb_wasi_delete(run.wasi);
    wb_module_delete(module);
    free(guest_argv);
    free(bytes);
    wbPolicyFree(&opts.policy);
    return status;
}
