/*
 * guest_mem.h — the one bounds-checked window onto a guest's linear memory.
 * Every read or write the WASI host makes in guest memory goes through here:
 * each access checks ptr + len against the memory's size (taken at the start
 * of the host call, since memory can grow between calls) in 64-bit
 * arithmetic that cannot wrap, and answers WASI_EFAULT instead of touching
 * anything outside. Values are little-endian, pointers need no alignment.
 */
#ifndef WASI_GUEST_MEM_H
#define WASI_GUEST_MEM_H

#include <stdint.h>
#include <sys/uio.h>

#include "wasmbox.h"

/* A guest memory as seen during one host call. base is NULL (and size 0)
 * when the guest exports no memory: then every access is EFAULT. */
typedef struct wbGuestMem {
    uint8_t *base;
    uint64_t size;
} wbGuestMem;

/* The guest memory of `caller`: its export "memory", read now. */
wbGuestMem wbMemOf(const wb_instance *caller);

/* WASI_ESUCCESS when [ptr, ptr + len) lies in memory, else WASI_EFAULT. */
uint16_t wbMemCheck(const wbGuestMem *m, uint64_t ptr, uint64_t len);

/* The host address of [ptr, ptr + len), or NULL when it is not all in
 * memory. Valid for this host call only. */
uint8_t *wbMemSpan(const wbGuestMem *m, uint64_t ptr, uint64_t len);

uint16_t wbMemGetU8(const wbGuestMem *m, uint64_t ptr, uint8_t *out);
uint16_t wbMemGetU16(const wbGuestMem *m, uint64_t ptr, uint16_t *out);
uint16_t wbMemGetU32(const wbGuestMem *m, uint64_t ptr, uint32_t *out);
uint16_t wbMemGetU64(const wbGuestMem *m, uint64_t ptr, uint64_t *out);
uint16_t wbMemPutU8(const wbGuestMem *m, uint64_t ptr, uint8_t v);
uint16_t wbMemPutU16(const wbGuestMem *m, uint64_t ptr, uint16_t v);
uint16_t wbMemPutU32(const wbGuestMem *m, uint64_t ptr, uint32_t v);
uint16_t wbMemPutU64(const wbGuestMem *m, uint64_t ptr, uint64_t v);

/* Copies len bytes out of / into guest memory; nothing is copied on EFAULT. */
uint16_t wbMemRead(const wbGuestMem *m, uint64_t ptr, void *dst, uint64_t len);
uint16_t wbMemWrite(const wbGuestMem *m, uint64_t ptr, const void *src, uint64_t len);

/* A malloc'd, NUL-terminated copy of the len bytes at ptr (a guest string is
 * not terminated; it may contain NULs, which the caller judges). EFAULT, or
 * ENOMEM. *out is NULL on failure. */
uint16_t wbMemString(const wbGuestMem *m, uint64_t ptr, uint64_t len, char **out);

/* Host descriptors of at most this many buffers are passed per call; a
 * longer iovec array is validated whole but transfers a prefix (a short
 * read or write, as POSIX allows). */
#define WB_MEM_IOV_MAX 1024
/* Nor more than this many bytes per call (keeps the result in a u32). */
#define WB_MEM_IO_MAX ((uint64_t)0x7ffff000)

/* A guest iovec / ciovec array turned into host iovecs. */
typedef struct wbIovecs {
    struct iovec v[WB_MEM_IOV_MAX];
    int n;          /* entries in v (empty buffers are left out) */
    uint64_t total; /* bytes in v[0..n) */
} wbIovecs;

/* Validates the `count` iovecs at `iovs` (8 bytes each: buf u32, len u32):
 * the array and every buffer must lie in memory, else EFAULT and nothing
 * is filled. */
uint16_t wbMemIovecs(const wbGuestMem *m, uint64_t iovs, uint64_t count, wbIovecs *out);

#endif /* WASI_GUEST_MEM_H */
