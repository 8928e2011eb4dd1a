/*
 * execmem.c — executable memory for the native-code tier. Code is never in
 * pages that are writable and executable at once. On Linux a region is one
 * memfd mapped twice, a read+write view to copy code in and a read+execute
 * view to run it, so reusing a region needs no system call; elsewhere (or
 * when memfd_create is refused) a region is one anonymous mapping turned
 * read+write, then read+execute, with mprotect. Regions of deleted modules
 * wait on a shelf for the next module (a load + run + delete of a small
 * module per request must not map and unmap pages each time).
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "platform/execmem.h"
#include "platform/shelf.h"

/* The region's own description, at the start of its mapping; the code
 * follows it. */
typedef struct Region {
    unsigned char *rx;   /* the executable view (the region's handle) */
    unsigned char *rw;   /* the writable view, or NULL: mprotect to write */
    size_t size;         /* bytes mapped (each view) */
} Region;

#define HEADER 64 /* sizeof (Region), rounded up to a cache line */

static wbShelf spare_regions;

static size_t round_to_pages(size_t n)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t p = page > 0 ? (size_t)page : 4096;
    return (n + p - 1) / p * p;
}

static void region_free(void *rx)
{
    const Region *r = rx;
    unsigned char *rw = r->rw;
    size_t size = r->size;
    if (rw)
        munmap(rw, size);
    munmap(rx, size);
}

static const Region *region_new(size_t size)
{
#if defined(__linux__)
    int fd = memfd_create("wasmbox-code", MFD_CLOEXEC);
    if (fd >= 0) {
        void *rw = MAP_FAILED, *rx = MAP_FAILED;
        if (ftruncate(fd, (off_t)size) == 0) {
            rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (rw != MAP_FAILED)
                rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
        }
        close(fd);
        if (rx != MAP_FAILED) {
            Region *r = rw;
            *r = (Region){rx, rw, size};
            return (const Region *)rx;
        }
        if (rw != MAP_FAILED)
            munmap(rw, size);
    }
#endif
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    Region *r = p;
    *r = (Region){p, NULL, size};
    if (mprotect(p, size, PROT_READ | PROT_EXEC) != 0) {
        munmap(p, size);
        return NULL;
    }
    return r;
}

/* A spare region fits when it is big enough, and not so big that a small
 * module would keep a large one from the next large module. */
static int region_fits(const void *rx, const void *want)
{
    size_t have = ((const Region *)rx)->size, need = *(const size_t *)want;
    return have >= need && have / 4 <= need;
}

void *wbExecMap(const void *code, size_t size)
{
    if (!size)
        return NULL;
    size_t need = round_to_pages(size + HEADER);
    const Region *r = wbShelfTake(&spare_regions, region_fits, &need, region_free);
    if (!r && !(r = region_new(need)))
        return NULL;
    if (r->rw) {
        memcpy(r->rw + HEADER, code, size);
    } else {
        unsigned char *rx = r->rx;
        size_t rsize = r->size;
        if (mprotect(rx, rsize, PROT_READ | PROT_WRITE) != 0) {
            munmap(rx, rsize);
            return NULL;
        }
        memcpy(rx + HEADER, code, size);
        if (mprotect(rx, rsize, PROT_READ | PROT_EXEC) != 0) {
            munmap(rx, rsize);
            return NULL;
        }
    }
    return r->rx + HEADER;
}

void wbExecUnmap(void *addr)
{
    if (!addr)
        return;
    unsigned char *rx = (unsigned char *)addr - HEADER;
    if (!wbShelfPut(&spare_regions, rx))
        region_free(rx);
}
