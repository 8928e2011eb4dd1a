/*
 * wasmbox_wasi.h — the WASI preview1 host (`wasi_snapshot_preview1`) as a
 * public API: configure what a guest may see (args, environment, stdio,
 * preopened directories), define the host functions in a linker, and run a
 * command module's `_start`.
 *
 * Capabilities: a guest sees only what the config grants. Paths resolve
 * beneath their preopened directory and can never leave it.
 *
 * Blocking: fd_read, fd_write and poll_oneoff on a host descriptor block
 * the calling thread in the host. A signal that interrupts them (a handler
 * installed without SA_RESTART) makes the call return EINTR to the guest,
 * which then runs on to its next call or loop back-edge: so
 * wb_store_interrupt followed by such a signal stops a guest that is
 * blocked in the host. Stdio in memory (WB_WASI_MEMORY) never blocks and
 * makes no syscall.
 *
 * Threads: the engine calls the host functions on the thread that runs the
 * guest. A context is not locked: use it (run guests linked with it, reset
 * it, read its output) from one thread at a time. Contexts share nothing,
 * so each worker thread can own one.
 *
 * Reuse: one context and one linker can serve any number of guests, one
 * after another: wb_wasi_reset gives the context a fresh world (args,
 * environment, stdio, directories) between them, and the host functions,
 * with every linker they were defined in, stay valid.
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

/* Values of stdin_fd, stdout_fd and stderr_fd besides host descriptors. */
#define WB_WASI_CLOSED (-1) /* the guest fd is closed (so is any other negative value
                               but WB_WASI_MEMORY) */
#define WB_WASI_MEMORY (-2) /* the guest fd is a stream in memory: stdin reads stdin_data,
                               stdout and stderr are captured (wb_wasi_output) */

/* The cap on captured stdout / stderr when stdout_max / stderr_max is 0. */
#define WB_WASI_OUTPUT_DEFAULT_MAX ((size_t)16 << 20)

/*
 * A guest's world. Zero what you do not set (memset, or designated
 * initializers): fields may be added at the end.
 *
 * Stdio in memory behaves as a pipe to the guest: filetype `unknown` (so
 * wasi-libc's isatty says no and its stdio is fully buffered), rights to
 * read (fd 0) or write (1, 2), poll and fd_filestat_get (all zero), and
 * nothing else: no seek or tell (fd_seek, fd_pread... are ENOTCAPABLE, as
 * on host stdio), no flags, sync, advice or allocation. poll_oneoff finds
 * it ready at once: stdin with nbytes the bytes left (0 and the hangup
 * flag at its end), stdout / stderr with the room left. It can be closed
 * and renumbered like any descriptor; what it captured stays readable.
 */
typedef struct wb_wasi_config {
    int argc;                      /* argv[0] is the program name the guest sees */
    const char *const *argv;
    int envc;                      /* "NAME=VALUE" strings: the guest's whole environment */
    const char *const *env;
    int ndirs;
    const wb_wasi_dir *dirs;
    int stdin_fd, stdout_fd, stderr_fd; /* host descriptors behind guest fds 0, 1, 2
                                           (duplicated), or WB_WASI_CLOSED, WB_WASI_MEMORY */
    /* stdin_fd == WB_WASI_MEMORY: the guest reads these bytes, then end-of-file.
     * Not copied: keep them alive and unchanged while the guest runs (until
     * the next reset or delete). NULL only with stdin_len 0. */
    const void *stdin_data;
    size_t stdin_len;
    /* stdout_fd / stderr_fd == WB_WASI_MEMORY: capture at most this many
     * bytes (0: WB_WASI_OUTPUT_DEFAULT_MAX). A write that would pass the cap
     * stores what fits, marks the stream overflowed and fails with the WASI
     * errno FBIG (as a write past RLIMIT_FSIZE; wasi-libc's stdio then
     * reports an error); later writes fail the same way. */
    size_t stdout_max, stderr_max;
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

/*
 * Gives the context a new world, as if made by wb_wasi_new(config): closes
 * every descriptor the guest had (stdio, preopens, and whatever it opened),
 * replaces args, environment, stdio and preopened directories (config is
 * copied, but for stdin_data), clears the exit state (wb_wasi_exit_code
 * says 0). Keeps the host functions: every linker they were defined in
 * (wb_wasi_define) keeps working, for new stores and instances.
 *
 * Captured output is emptied (pointers from wb_wasi_output go stale) but
 * its memory is kept, as are the buffers of args and environment: reusing
 * a context allocates nothing once its buffers have grown to the largest
 * world and output seen (a preopened directory still costs an open and a
 * copy of its name). Do not reset while a guest linked with the context is
 * running.
 *
 * Errors as wb_wasi_new (WB_ERR_ARG, WB_ERR_IO naming a directory,
 * WB_ERR_NOMEM); then the context holds no descriptor, args or
 * environment, and can be reset again.
 */
WB_API wb_status wb_wasi_reset(wb_wasi *wasi, const wb_wasi_config *config, wb_error *err);

/*
 * What the guest has written so far to its stdout (fd 1) or stderr (fd 2)
 * when that stream is in memory (WB_WASI_MEMORY): *len bytes (not
 * terminated), and *overflowed non-zero when some were refused (past the
 * cap, or the buffer could not grow). NULL with *len 0 when that stream
 * is not in memory, or for any other fd. len and overflowed may be NULL.
 * The bytes belong to the context: valid until the guest next writes, or
 * the next wb_wasi_reset / wb_wasi_delete.
 */
WB_API const uint8_t *wb_wasi_output(const wb_wasi *wasi, int fd, size_t *len, int *overflowed);

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
