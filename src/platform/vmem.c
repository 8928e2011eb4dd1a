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

static void *take_spare(size_t len);

void *wbVmemReserve(size_t bytes)
{
    size_t len = round_pages(bytes);
    if (vmem_disabled || len == 0)
        return NULL;
    void *recycled = take_spare(len);
    if (recycled)
        return recycled;
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

/* The one recycled reservation: address and size, swapped atomically. */
typedef struct Spare {
    void *addr;
    size_t len;
} Spare;

static _Atomic(Spare *) spare;

static void *take_spare(size_t len)
{
    Spare *s = atomic_exchange(&spare, NULL);
    if (!s)
        return NULL;
    void *addr = NULL;
    if (s->len == len)
        addr = s->addr;
    else
        wbVmemRelease(s->addr, s->len);
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
#ifdef WB_VMEM_POSIX
    /* give the pages back and make them inaccessible again */
    clean = clean && (used == 0 || (madvise(addr, used, MADV_DONTNEED) == 0 &&
                                    mprotect(addr, used, PROT_NONE) == 0));
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
