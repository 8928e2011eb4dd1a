/*
 * vmem.c — virtual memory for the engine (see vmem.h): mmap/mprotect/munmap
 * on POSIX hosts; elsewhere every reservation fails and the engine falls
 * back to the C allocator.
 */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE beside strict POSIX */
#endif

#include "platform/vmem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#define WB_VMEM_POSIX 1
#include <sys/mman.h>
#include <unistd.h>
#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif
#endif

static bool vmem_disabled;

void wbVmemSetDisabled(bool disabled)
{
    vmem_disabled = disabled;
}

size_t wbVmemPageSize(void)
{
#ifdef WB_VMEM_POSIX
    long ps = sysconf(_SC_PAGESIZE);
    if (ps > 0 && ((unsigned long)ps & ((unsigned long)ps - 1)) == 0)
        return (size_t)ps;
#endif
    return 4096;
}

/* bytes rounded up to whole pages, or 0 when that overflows. */
static size_t round_pages(size_t bytes)
{
    size_t ps = wbVmemPageSize();
    if (bytes > SIZE_MAX - (ps - 1))
        return 0;
    return (bytes + ps - 1) & ~(ps - 1);
}

static void *take_spare(size_t len, size_t *rw);
static void *reserve_fresh(size_t len);

void *wbVmemReserve(size_t bytes)
{
    return wbVmemReserveCommit(bytes, 0);
}

void *wbVmemReserveCommit(size_t bytes, size_t commit)
{
    size_t len = round_pages(bytes), want = round_pages(commit);
    if (vmem_disabled || len == 0 || want > len || (commit && !want))
        return NULL;
    size_t rw = 0;
    char *p = take_spare(len, &rw);
    if (!p) {
        p = reserve_fresh(len);
        if (!p)
            return NULL;
    }
    /* adjust the committed prefix from rw to want */
    bool ok = true;
#ifdef WB_VMEM_POSIX
    if (want > rw)
        ok = mprotect(p + rw, want - rw, PROT_READ | PROT_WRITE) == 0;
    else if (want < rw)
        ok = mprotect(p + want, rw - want, PROT_NONE) == 0;
#endif
    if (!ok) {
        wbVmemRelease(p, len);
        return NULL;
    }
    return p;
}

static void *reserve_fresh(size_t len)
{
#ifdef WB_VMEM_POSIX
    void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
#else
    return NULL;
#endif
}

bool wbVmemCommit(void *addr, size_t bytes)
{
    if (bytes == 0)
        return true;
    size_t len = round_pages(bytes);
    if (!addr || len == 0 || ((uintptr_t)addr & (wbVmemPageSize() - 1)) != 0)
        return false;
#ifdef WB_VMEM_POSIX
    return mprotect(addr, len, PROT_READ | PROT_WRITE) == 0;
#else
    return false;
#endif
}

/* Recycled regions with at most this many committed bytes are zeroed in
 * place rather than decommitted. */
#define RECYCLE_ZERO_MAX ((size_t)256 * 1024)

/* The one recycled reservation: address and size, swapped atomically. */
typedef struct Spare {
    void *addr;
    size_t len;
    size_t rw;    /* the first rw bytes are committed and zero; the rest
                     reserved and inaccessible */
} Spare;

static _Atomic(Spare *) spare;

/* The spare region if it has `len` bytes (else it stays for another). */
static void *take_spare(size_t len, size_t *rw)
{
    Spare *s = atomic_exchange(&spare, NULL);
    if (!s)
        return NULL;
    if (s->len != len) {
        Spare *other = atomic_exchange(&spare, s);
        if (other) { /* another one came back meanwhile: keep one */
            wbVmemRelease(other->addr, other->len);
            free(other);
        }
        return NULL;
    }
    void *addr = s->addr;
    *rw = s->rw;
    free(s);
    return addr;
}

void wbVmemRecycle(void *addr, size_t bytes, size_t committed)
{
    size_t len = round_pages(bytes), used = round_pages(committed);
    if (!addr || len == 0)
        return;
    Spare *s = malloc(sizeof *s);
    bool clean = s != NULL;
    size_t rw = 0;
#ifdef WB_VMEM_POSIX
    if (clean && used <= RECYCLE_ZERO_MAX) {
        /* small: zeroing in place is cheaper than two system calls and the
         * page faults that would follow; the pages stay committed */
        memset(addr, 0, used);
        rw = used;
    } else if (clean) {
        /* give the pages back and make them inaccessible again */
        clean = madvise(addr, used, MADV_DONTNEED) == 0 && mprotect(addr, used, PROT_NONE) == 0;
    }
#else
    clean = false;
#endif
    if (!clean) {
        free(s);
        wbVmemRelease(addr, bytes);
        return;
    }
    s->addr = addr;
    s->len = len;
    s->rw = rw;
    Spare *old = atomic_exchange(&spare, s);
    if (old) {
        wbVmemRelease(old->addr, old->len);
        free(old);
    }
}

void wbVmemRelease(void *addr, size_t bytes)
{
    size_t len = round_pages(bytes);
    if (!addr || len == 0)
        return;
#ifdef WB_VMEM_POSIX
    munmap(addr, len);
#endif
}
