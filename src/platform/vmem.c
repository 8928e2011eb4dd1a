/*
 * vmem.c — virtual memory for the engine (see vmem.h): mmap/mprotect/munmap
 * on POSIX hosts; elsewhere every reservation fails and the engine falls
 * back to the C allocator.
 */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE beside strict POSIX */
#endif

#include "platform/shelf.h"
#include "platform/vmem.h"

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

/* A recycled region with at most this many bytes in RAM is zeroed in
 * place; a larger one is emptied with madvise(MADV_DONTNEED). */
#define RECYCLE_ZERO_MAX ((size_t)8 << 20)

#ifdef WB_VMEM_POSIX
/*
 * Makes the committed [addr, addr + used) all zero again for the next user,
 * touching as little as possible. Pages the last user never touched are not
 * in RAM (mincore): they are left alone, as the kernel maps zero pages on
 * the next touch. Pages in RAM are zeroed with memset — cheaper than giving
 * them back and faulting them in again — unless there are more than
 * RECYCLE_ZERO_MAX bytes of them. Runs of pages not in RAM are also given
 * MADV_DONTNEED, because a written page that went to swap is not "in RAM"
 * either but must not keep its bytes. False when a system call fails.
 */
static bool wipe(char *addr, size_t used)
{
    size_t page = wbVmemPageSize(), npages = used / page;
    if (npages == 0)
        return true;
    unsigned char small[512], *vec = npages <= sizeof small ? small : malloc(npages);
    bool ok;
    if (!vec || mincore(addr, used, vec) != 0) {
        ok = madvise(addr, used, MADV_DONTNEED) == 0;
    } else {
        size_t resident = 0;
        for (size_t i = 0; i < npages; i++)
            resident += vec[i] & 1;
        if (resident * page > RECYCLE_ZERO_MAX) {
            ok = madvise(addr, used, MADV_DONTNEED) == 0;
        } else {
            ok = true;
            for (size_t i = 0; i < npages && ok;) {
                size_t j = i;
                int in_ram = vec[i] & 1;
                while (j < npages && (vec[j] & 1) == in_ram)
                    j++;
                if (in_ram)
                    memset(addr + i * page, 0, (j - i) * page);
                else
                    ok = madvise(addr + i * page, (j - i) * page, MADV_DONTNEED) == 0;
                i = j;
            }
        }
    }
    if (vec != small)
        free(vec);
    return ok;
}
#endif

/* A recycled reservation: address and size. A few wait on a shelf. */
typedef struct Spare {
    void *addr;
    size_t len;
    size_t rw;    /* the first rw bytes are committed and zero; the rest
                     reserved and inaccessible */
} Spare;

static wbShelf spares;

static int spare_fits(const void *p, const void *len)
{
    return ((const Spare *)p)->len == *(const size_t *)len;
}

static void spare_free(void *p)
{
    Spare *s = p;
    wbVmemRelease(s->addr, s->len);
    free(s);
}

/* A recycled region of `len` bytes, or NULL. */
static void *take_spare(size_t len, size_t *rw)
{
    Spare *s = wbShelfTake(&spares, spare_fits, &len, spare_free);
    if (!s)
        return NULL;
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
    if (clean) {
        /* the pages stay accessible, so that a next reservation of the
         * same size needs no mprotect at all */
        clean = wipe(addr, used);
        rw = used;
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
    if (!wbShelfPut(&spares, s))
        spare_free(s);
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
