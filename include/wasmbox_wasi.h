/*
 * wasmbox_wasi.h — the WASI preview1 host (`wasi_snapshot_preview1`) as a
 * public API: configure what a guest may see (args, environment, stdio,
 * preopened directories), define the host functions in a linker, and run a
 * command module's `_start`.
 *
 * Capabilities: a guest sees only what the config grants. Paths resolve
 * beneath their preopened directory and can never leave it.
 */
#ifndef WASMBOX_WASI_H
#define WASMBOX_WASI_H

#include "wasmbox.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One directory granted to the guest. */
typedef struct wb_wasi_dir {
    const char *host_path;  /* directory on the host */
    const char *guest_path; /* name the guest sees it under (e.g. "/data" or ".") */
    int read_only;          /* non-zero: no writes, creations, removals or renames */
} wb_wasi_dir;

typedef struct wb_wasi_config {
    int argc;                      /* argv[0] is the program name the guest sees */
    const char *const *argv;
    int envc;                      /* "NAME=VALUE" strings: the guest's whole environment */
    const char *const *env;
    int ndirs;
    const wb_wasi_dir *dirs;
    int stdin_fd, stdout_fd, stderr_fd; /* host descriptors behind guest fds 0, 1, 2 */
} wb_wasi_config;

typedef struct wb_wasi wb_wasi;

/*
 * Creates a WASI context from `config` (copied). Opens every preopened
 * directory now: a missing or unreadable one fails with WB_ERR_IO and a
 * message naming it. *out is freed with wb_wasi_delete.
 */
WB_API wb_status wb_wasi_new(const wb_wasi_config *config, wb_wasi **out, wb_error *err);

/* Closes every descriptor the guest opened and frees the context. Accepts NULL. */
WB_API void wb_wasi_delete(wb_wasi *wasi);

/* Defines every `wasi_snapshot_preview1` function in `linker` (host functions
 * created in the linker's store, bound to this context). The context must
 * outlive every instance linked with it. */
WB_API wb_status wb_wasi_define(wb_wasi *wasi, wb_linker *linker);

/*
 * Runs a command: calls the instance's exported `_start`. Returns WB_OK with
 * *exit_code set (0 when _start returns, or the proc_exit code), or the
 * status of the trap / limit that stopped the guest (err filled).
 */
WB_API wb_status wb_wasi_run(wb_wasi *wasi, wb_instance *instance, int *exit_code, wb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* WASMBOX_WASI_H */
