/*
 * main.c — the `wasmbox` command: global flags and the table of commands.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "wasmbox.h"

typedef struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} Command;

static const Command commands[] = {
    {"run", wbCmdRun, "run a WebAssembly module (--invoke NAME to call one export)"},
    {"serve", wbCmdServe, "serve HTTP: a WAGI handler in a fresh sandbox per request"},
    {"validate", wbCmdValidate, "check that WebAssembly modules are well-formed and valid"},
    {"disasm", wbCmdDisasm, "print the interpreter code of a module (developer aid)"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "wasmbox %s — a WebAssembly sandbox runtime\n"
            "\n"
            "Usage: wasmbox [--help] [--version] COMMAND [ARGS...]\n"
            "\n"
            "Commands:\n",
            wb_version());
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'wasmbox COMMAND --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return WB_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (wbCliIsHelp(cmd)) {
        usage(stdout);
        return WB_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("wasmbox %s\n", wb_version());
        return WB_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "wasmbox: unknown %s '%s'\n", cmd[0] == '-' ? "option" : "command", cmd);
    fprintf(stderr, "Run 'wasmbox --help' for the list of commands.\n");
    return WB_EXIT_USAGE;
}
