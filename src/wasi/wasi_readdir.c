/*
 * wasi_readdir.c — fd_readdir: a directory's entries as packed dirents
 * (24-byte header, then the name without a NUL). The cookie of an entry is
 * its index: d_next = index + 1, and cookie 0 starts from the top. Each
 * descriptor keeps a DIR stream of its own (on a fresh open of the
 * directory) and where it stands, so reading on from the last cookie costs
 * nothing; another cookie rewinds and skips. An entry that does not fit
 * whole is written truncated to fill the buffer, as the spec asks, and is
 * read again by the next call.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/errno.h"
#include "wasi/wasi_impl.h"
#include "wasi/wasi_stat.h"

static uint8_t entry_type(DIR *d, const struct dirent *de)
{
    switch (de->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
    default: break;
    }
    struct stat st; /* the file system does not say: ask */
    if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return wbWasiFiletype(st.st_mode);
    return WASI_FILETYPE_UNKNOWN;
}

/* Positions e->dir at entry `cookie`; 0 when past the end. */
static uint16_t seek_to(wbFd *e, uint64_t cookie, int *at_end)
{
    DIR *d = e->dir;
    *at_end = 0;
    if (cookie < e->dir_next) {
        rewinddir(d);
        e->dir_next = 0;
    }
    while (e->dir_next < cookie) {
        errno = 0;
        if (!readdir(d)) {
            if (errno)
                return wbWasiErrno(errno);
            *at_end = 1;
            return WASI_ESUCCESS;
        }
        e->dir_next++;
    }
    return WASI_ESUCCESS;
}

/* fd_readdir(fd, buf: ptr, buf_len: size, cookie: dircookie) -> size */
static uint16_t fd_readdir(wbWasiCall *c)
{
    uint32_t buf = WB_ARG32(c, 1), buf_len = WB_ARG32(c, 2), ret = WB_ARG32(c, 4);
    uint64_t cookie = WB_ARG64(c, 3);
    wbFd *e;
    uint16_t err = wbFdGet(&c->wasi->fds, WB_ARG32(c, 0), 0, &e);
    if (err)
        return err;
    if (e->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    if (!(e->base & WASI_RIGHTS_FD_READDIR))
        return WASI_ENOTCAPABLE;
    if (wbMemCheck(&c->mem, buf, buf_len) || wbMemCheck(&c->mem, ret, 4))
        return WASI_EFAULT;
    if (!e->dir) {
        int fd = openat(e->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return wbWasiErrno(errno);
        if (!(e->dir = fdopendir(fd))) {
            err = wbWasiErrno(errno);
            close(fd);
            return err;
        }
        e->dir_next = 0;
    }
    DIR *d = e->dir;
    int at_end;
    if ((err = seek_to(e, cookie, &at_end)))
        return err;
    uint64_t used = 0;
    while (!at_end && used < buf_len) {
        long loc = telldir(d);
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno)
                return wbWasiErrno(errno);
            break;
        }
        size_t namlen = strlen(de->d_name);
        uint8_t hdr[WASI_DIRENT_SIZE] = {0};
        uint64_t next = e->dir_next + 1, ino = (uint64_t)de->d_ino;
        for (unsigned b = 0; b < 8; b++) {
            hdr[b] = (uint8_t)(next >> (8 * b));
            hdr[8 + b] = (uint8_t)(ino >> (8 * b));
        }
        for (unsigned b = 0; b < 4; b++)
            hdr[16 + b] = (uint8_t)((uint32_t)namlen >> (8 * b));
        hdr[20] = entry_type(d, de);
        uint64_t room = buf_len - used;
        uint64_t h = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
        wbMemWrite(&c->mem, buf + used, hdr, h);
        if (room > WASI_DIRENT_SIZE)
            wbMemWrite(&c->mem, buf + used + WASI_DIRENT_SIZE, de->d_name,
                       namlen < room - WASI_DIRENT_SIZE ? namlen : room - WASI_DIRENT_SIZE);
        if (WASI_DIRENT_SIZE + namlen > room) {
            seekdir(d, loc); /* truncated: the next call starts with it */
            used = buf_len;
            break;
        }
        used += WASI_DIRENT_SIZE + namlen;
        e->dir_next++;
    }
    return wbMemPutU32(&c->mem, ret, (uint32_t)used);
}

const wbWasiFunc wbWasiReaddirFuncs[] = {
    {"fd_readdir", "iiiIi", 0, fd_readdir},
};
const size_t wbWasiReaddirFuncCount = sizeof wbWasiReaddirFuncs / sizeof wbWasiReaddirFuncs[0];
