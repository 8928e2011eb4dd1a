/*
 * wasmbox_wasi.h — the WASI preview1 host (`wasi_snapshot_preview1`) as a
 * public API: configure what a guest may see (args, environment, stdio,
 * preopened directories), define the host functions in a linker, and run a
 * command module's `_start`.
 *
 * Capabilities: a guest sees only what the config grants. Paths resolve
 * beneath their preopened directory and can never leave it.
 *
 * Blocking: fd_read, fd_write and poll_oneoff block the calling thread in
 * the host. A signal that interrupts them (a handler installed without
 * SA_RESTART) makes the call return EINTR to the guest, which then runs on
 * to its next call or loop back-edge: so wb_store_interrupt followed by
 * such a signal stops a guest that is blocked in the host.
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
    int stdin_fd, stdout_fd, stderr_fd; /* host descriptors behind guest fds 0, 1, 2
                                           (duplicated; negative: that guest fd is closed) */
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
 * bound to this context; they live in a store the context owns, created on
 * the first call and shared by every linker it defines into). The context
 * must outlive every instance linked with it. WB_ERR_ARG, WB_ERR_NOMEM. */
WB_API wb_status wb_wasi_define(wb_wasi *wasi, wb_linker *linker);

/*
 * Runs a command: calls the instance's exported `_start`. Returns WB_OK with
 * *exit_code set (0 when _start returns, or the proc_exit code), or the
 * status of the trap / limit that stopped the guest (err filled).
 */
WB_API wb_status wb_wasi_run(wb_wasi *wasi, wb_instance *instance, int *exit_code, wb_error *err);

/*
 * After a guest stopped with WB_ERR_EXIT (e.g. a function called through
 * wb_func_call rather than wb_wasi_run): returns 1 and sets *exit_code (may
 * be NULL) when the guest called proc_exit, else 0. The code is kept as the
 * guest gave it (a u32 read as int: it may be > 255 or negative).
 */
WB_API int wb_wasi_exit_code(const wb_wasi *wasi, int *exit_code);

#ifdef __cplusplus
}
#endif
#endif /* WASMBOX_WASI_H */
