/*
 * cmd_validate.c — `wasmbox validate FILE.wasm...`: decode and validate each
 * module; silent on success, one line per bad module on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "wasmbox.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: wasmbox validate FILE.wasm...\n"
            "\n"
            "Checks that each module is a well-formed and valid WebAssembly 2.0 binary.\n"
            "Prints nothing for valid modules; for each invalid or malformed one prints\n"
            "  FILE: 0xOFFSET: message (detail)\n"
            "on stderr, with the spec's wording for the message.\n"
            "\n"
            "Exit status: 0 all valid, 1 some module invalid or malformed,\n"
            "2 usage error or unreadable file.\n"
            "\n"
            "Example:\n"
            "  wasmbox validate app.wasm plugin.wasm\n");
}

/* `wasmbox disasm FILE.wasm`: the compiled code of every function. */
int wbCmdDisasm(int argc, char **argv)
{
    if (argc != 2 || wbCliIsHelp(argv[1])) {
        fprintf(argc == 2 ? stdout : stderr,
                "Usage: wasmbox disasm FILE.wasm\n"
                "\n"
                "Prints the interpreter code wasmbox compiles each function into (a\n"
                "developer's aid; the format may change).\n");
        return argc == 2 ? WB_EXIT_OK : WB_EXIT_USAGE;
    }
    size_t size;
    uint8_t *bytes = wbCliReadFile(argv[1], &size);
    if (!bytes)
        return WB_EXIT_USAGE;
    wb_module *m;
    wb_error err;
    int status = WB_EXIT_OK;
    if (wb_module_new(bytes, size, &m, &err) == WB_OK) {
        wb_module_dump_code(m, stdout);
        wb_module_delete(m);
    } else {
        char line[256];
        fprintf(stderr, "%s: %s\n", argv[1], wb_error_format(&err, line, sizeof line));
        status = WB_EXIT_FAILURE;
    }
    free(bytes);
    return status;
}

int wbCmdValidate(int argc, char **argv)
{
    int first = 1;
    for (; first < argc; first++) {
        const char *a = argv[first];
        if (wbCliIsHelp(a)) {
            usage(stdout);
            return WB_EXIT_OK;
        }
        if (strcmp(a, "--") == 0) {
            first++;
            break;
        }
        if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "wasmbox validate: unknown option '%s'\n", a);
            usage(stderr);
            return WB_EXIT_USAGE;
        }
        break;
    }
    if (first >= argc) {
        fprintf(stderr, "wasmbox validate: no module given\n");
        usage(stderr);
        return WB_EXIT_USAGE;
    }
    int status = WB_EXIT_OK;
    for (int i = first; i < argc; i++) {
        size_t size;
        uint8_t *bytes = wbCliReadFile(argv[i], &size);
        if (!bytes) {
            status = WB_EXIT_USAGE;
            continue;
        }
        wb_module *m;
        wb_error err;
        if (wb_module_new(bytes, size, &m, &err) == WB_OK) {
            wb_module_delete(m);
        } else {
            char line[256];
            fprintf(stderr, "%s: %s\n", argv[i], wb_error_format(&err, line, sizeof line));
            if (status == WB_EXIT_OK)
                status = WB_EXIT_FAILURE;
        }
        free(bytes);
    }
    return status;
}
