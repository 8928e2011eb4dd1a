/*
 * fd_table.c — the guest descriptor table (see fd_table.h): a growable
 * array indexed by guest fd, new descriptors taking the lowest free number
 * as POSIX does.
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

static void release(wbFd *e)
{
    if (e->dir)
        closedir(e->dir);
    if (e->host >= 0)
        close(e->host);
    free(e->preopen);
    memset(e, 0, sizeof *e);
    e->host = -1;
}

void wbFdTableInit(wbFdTable *t)
{
    t->slots = NULL;
    t->n = 0;
}

void wbFdTableFree(wbFdTable *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        release(&t->slots[i]);
    free(t->slots);
    wbFdTableInit(t);
}

wbFd wbFdDescribe(int host)
{
    wbFd e;
    memset(&e, 0, sizeof e);
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

uint16_t wbFdGet(wbFdTable *t, uint32_t fd, uint64_t need, wbFd **out)
{
    *out = NULL;
    if (fd >= t->n || t->slots[fd].host < 0)
        return WASI_EBADF;
    if ((t->slots[fd].base & need) != need)
        return WASI_ENOTCAPABLE;
    *out = &t->slots[fd];
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
    for (uint32_t i = t->n; i < n; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].host = -1;
    }
    t->slots = s;
    t->n = n;
    return WASI_ESUCCESS;
}

uint16_t wbFdPut(wbFdTable *t, uint32_t fd, wbFd e)
{
    uint16_t err = grow(t, fd);
    if (!err && t->slots[fd].host >= 0)
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
    while (fd < t->n && t->slots[fd].host >= 0)
        fd++;
    *out = fd;
    return wbFdPut(t, fd, e);
}

uint16_t wbFdClose(wbFdTable *t, uint32_t fd)
{
    if (fd >= t->n || t->slots[fd].host < 0)
        return WASI_EBADF;
    release(&t->slots[fd]);
    return WASI_ESUCCESS;
}

uint16_t wbFdRenumber(wbFdTable *t, uint32_t from, uint32_t to)
{
    if (from >= t->n || t->slots[from].host < 0 || to >= t->n || t->slots[to].host < 0)
        return WASI_EBADF;
    if (from == to)
        return WASI_ESUCCESS;
    release(&t->slots[to]);
    t->slots[to] = t->slots[from];
    memset(&t->slots[from], 0, sizeof t->slots[from]);
    t->slots[from].host = -1;
    return WASI_ESUCCESS;
}
