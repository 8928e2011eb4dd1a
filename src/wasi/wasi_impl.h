/*
 * wasi_impl.h — what the files of the WASI host share: the context behind
 * wb_wasi, one host call's view of the guest (context, memory, arguments),
 * and the tables of host functions each file contributes to
 * wb_wasi_define (wasi_fd.c, wasi_readdir.c, wasi_path.c,
 * wasi_clock_poll.c, wasi_proc.c).
 */
#ifndef WASI_WASI_IMPL_H
#define WASI_WASI_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "wasi/fd_table.h"
#include "wasi/guest_mem.h"
#include "wasmbox_wasi.h"

/* One host call in progress. */
typedef struct wbWasiCall {
    wb_wasi *wasi;
    wbGuestMem mem;        /* the caller's memory, as it is now */
    const wb_value *args;  /* typed as the function declares */
    wb_status status;      /* set (with trap) to stop the guest: proc_exit */
    const char *trap;
} wbWasiCall;

/* A host function: returns the WASI errno the guest receives. */
typedef uint16_t (*wbWasiFn)(wbWasiCall *call);

typedef struct wbWasiFunc {
    const char *name;   /* import name in wasi_snapshot_preview1 */
    const char *params; /* the witx lowering, one letter a parameter: 'i' i32, 'I' i64 */
    int no_result;      /* 0: returns the errno as an i32; 1: returns nothing */
    wbWasiFn fn;
} wbWasiFunc;

#define WB_ARG32(c, i) ((c)->args[i].of.i32)
#define WB_ARG64(c, i) ((c)->args[i].of.i64)

/* The guest's args or environment: copies kept in buffers that are reused
 * (grown, never shrunk) from one world to the next. */
typedef struct wbWasiStrings {
    int n;
    char **v;              /* n pointers into buf (NULL while n is 0) */
    uint64_t bytes;        /* the strings with their NULs */
    char *buf;
    size_t v_cap, buf_cap; /* pointers and bytes allocated */
} wbWasiStrings;

/* The context. Everything from `args` to `exit_code` is the guest's world,
 * replaced by wb_wasi_reset; the host functions stay. */
struct wb_wasi {
    wbWasiStrings args, env;
    wbFdTable fds;
    wbStream stdio[3];             /* memory-backed fds 0-2, when configured so */
    int exited, exit_code;         /* proc_exit was called, with this code */
    wb_store *store;               /* holds the host functions (see wb_wasi_define) */
    struct wbWasiBinding *bindings;
    wb_func **funcs;
};

/* The functions of each file, and how many. */
extern const wbWasiFunc wbWasiFdFuncs[];
extern const size_t wbWasiFdFuncCount;
extern const wbWasiFunc wbWasiReaddirFuncs[];
extern const size_t wbWasiReaddirFuncCount;
extern const wbWasiFunc wbWasiPathFuncs[];
extern const size_t wbWasiPathFuncCount;
extern const wbWasiFunc wbWasiClockPollFuncs[];
extern const size_t wbWasiClockPollFuncCount;
extern const wbWasiFunc wbWasiProcFuncs[];
extern const size_t wbWasiProcFuncCount;

#endif /* WASI_WASI_IMPL_H */
