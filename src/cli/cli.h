/*
 * cli.h — shared pieces of the wasmbox command line: the command table's
 * entry points and small helpers for reading files and printing errors.
 * The CLI uses the public API (include/) and the layers above the engine:
 * src/sandbox (policy) and src/serve (the HTTP server).
 */
#ifndef WB_CLI_H
#define WB_CLI_H

#include <stddef.h>
#include <stdint.h>

/* Exit statuses shared by every command. */
enum {
    WB_EXIT_OK = 0,
    WB_EXIT_FAILURE = 1, /* the command ran, and the answer is "no" */
    WB_EXIT_USAGE = 2    /* bad flags, unreadable files */
};

int wbCmdValidate(int argc, char **argv);
int wbCmdRun(int argc, char **argv);
int wbCmdServe(int argc, char **argv);
int wbCmdDisasm(int argc, char **argv);

/* Reads a whole file into a new buffer (free it). On failure prints
 * "wasmbox: PATH: reason" to stderr and returns NULL. */
uint8_t *wbCliReadFile(const char *path, size_t *size);

/* True when arg is -h or --help. */
int wbCliIsHelp(const char *arg);

#endif /* WB_CLI_H */
