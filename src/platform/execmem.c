/*
 * execmem.c — executable memory for the native-code tier (POSIX mmap and
 * mprotect): write the code while the pages are read+write, then turn them
 * read+execute.
 */
#define _DEFAULT_SOURCE
#include <string.h>
#include <sys/mman.h>

#include "platform/execmem.h"

void *wbExecMap(const void *code, size_t size)
{
    if (!size)
        return NULL;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    memcpy(p, code, size);
    if (mprotect(p, size, PROT_READ | PROT_EXEC) != 0) {
        munmap(p, size);
        return NULL;
    }
    return p;
}

void wbExecUnmap(void *addr, size_t size)
{
    if (addr)
        munmap(addr, size);
}
