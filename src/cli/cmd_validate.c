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
