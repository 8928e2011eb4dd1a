/*
 * fd_table.c — the guest descriptor table (see fd_table.h): a growable
 * array indexed by guest fd, new descriptors taking the lowest free number
 * as POSIX does. A slot is free when its kind is WB_FD_FREE.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/errno.h"
#include "wasi/fd_table.h"
#include "wasi/wasi_stat.h"

/* Leaves *e a free slot. */
static void clear_slot(wbFd *e)
{
    memset(e, 0, sizeof *e);
    e->kind = WB_FD_FREE;
    e->host = -1;
}

/* Closes what e owns (a memory stream is the context's) and frees the slot. */
static void release(wbFd *e)
{
    if (e->dir)
        closedir(e->dir);
    if (e->kind == WB_FD_HOST && e->host >= 0)
        close(e->host);
    free(e->preopen);
    clear_slot(e);
}

static int is_open(const wbFdTable *t, uint32_t fd)
{
    return fd < t->n && t->slots[fd].kind != WB_FD_FREE;
}

void wbFdTableInit(wbFdTable *t)
{
    t->slots = NULL;
    t->n = 0;
}

void wbFdTableClear(wbFdTable *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        release(&t->slots[i]);
}

void wbFdTableFree(wbFdTable *t)
{
    wbFdTableClear(t);
    free(t->slots);
    wbFdTableInit(t);
}

wbFd wbFdDescribe(int host)
{
    wbFd e;
    clear_slot(&e);
    e.kind = WB_FD_HOST;
    e.host = host;
    struct stat st;
    e.filetype = fstat(host, &st) == 0 ? wbWasiFiletype(st.st_mode) : WASI_FILETYPE_UNKNOWN;
    switch (e.filetype) {
    case WASI_FILETYPE_DIRECTORY:
        e.base = WB_RIGHTS_DIR;
        e.inheriting = WB_RIGHTS_DIR_INHERITING;
        break;
    case WASI_FILETYPE_CHARACTER_DEVICE:
        e.base = isatty(host) ? WB_RIGHTS_TTY : WB_RIGHTS_FILE;
        break;
    default: /* files, FIFOs (seeking one fails as ESPIPE), sockets */
        e.base = WB_RIGHTS_FILE;
        break;
    }
    int fl = fcntl(host, F_GETFL);
    if (fl >= 0) {
        if (fl & O_APPEND)
            e.fdflags |= WASI_FDFLAGS_APPEND;
        if (fl & O_NONBLOCK)
            e.fdflags |= WASI_FDFLAGS_NONBLOCK;
    }
    return e;
}

wbFd wbFdMemory(wbStream *s, uint64_t base)
{
    wbFd e;
    clear_slot(&e);
    e.kind = WB_FD_MEMORY;
    e.stream = s;
    e.filetype = WASI_FILETYPE_UNKNOWN;
    e.base = base & ~WB_NEED_HOST;
    return e;
}

uint16_t wbFdGet(wbFdTable *t, uint32_t fd, uint64_t need, wbFd **out)
{
    *out = NULL;
    if (!is_open(t, fd))
        return WASI_EBADF;
    wbFd *e = &t->slots[fd];
    uint64_t rights = need & ~WB_NEED_HOST;
    if ((e->base & rights) != rights)
        return WASI_ENOTCAPABLE;
    if ((need & WB_NEED_HOST) && e->kind != WB_FD_HOST)
        return WASI_ESPIPE; /* a stream in memory: nothing to seek, sync or size */
    *out = e;
    return WASI_ESUCCESS;
}

/* Makes room for number fd. */
static uint16_t grow(wbFdTable *t, uint32_t fd)
{
    if (fd >= WB_FD_MAX)
        return WASI_EMFILE;
    if (fd < t->n)
        return WASI_ESUCCESS;
    uint32_t n = t->n ? t->n : 8;
    while (n <= fd)
        n *= 2;
    if (n > WB_FD_MAX)
        n = WB_FD_MAX;
    wbFd *s = realloc(t->slots, n * sizeof *s);
    if (!s)
        return WASI_ENOMEM;
    for (uint32_t i = t->n; i < n; i++)
        clear_slot(&s[i]);
    t->slots = s;
    t->n = n;
    return WASI_ESUCCESS;
}

uint16_t wbFdPut(wbFdTable *t, uint32_t fd, wbFd e)
{
    uint16_t err = grow(t, fd);
    if (!err && is_open(t, fd))
        err = WASI_EBADF;
    if (err) {
        release(&e);
        return err;
    }
    t->slots[fd] = e;
    return WASI_ESUCCESS;
}

uint16_t wbFdAdd(wbFdTable *t, wbFd e, uint32_t *out)
{
    uint32_t fd = 0;
    while (is_open(t, fd))
        fd++;
    *out = fd;
    return wbFdPut(t, fd, e);
}

uint16_t wbFdClose(wbFdTable *t, uint32_t fd)
{
    if (!is_open(t, fd))
        return WASI_EBADF;
    release(&t->slots[fd]);
    return WASI_ESUCCESS;
}

uint16_t wbFdRenumber(wbFdTable *t, uint32_t from, uint32_t to)
{
    if (!is_open(t, from) || !is_open(t, to))
        return WASI_EBADF;
    if (from == to)
        return WASI_ESUCCESS;
    release(&t->slots[to]);
    t->slots[to] = t->slots[from];
    clear_slot(&t->slots[from]);
    return WASI_ESUCCESS;
}
