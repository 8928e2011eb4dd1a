/*
 * wasi_fd.c — the WASI functions on an open descriptor: reading and writing
 * (plain, positioned), seeking, status and metadata, flags and rights,
 * sync, advice and allocation, close and renumber, and the preopen
 * queries. Each checks the rights the call needs before touching the host.
 * Reads, writes and stat also serve memory streams (stream.h); every call
 * that is a syscall on the host descriptor asks for WB_NEED_HOST.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi/errno.h"
#include "wasi/wasi_impl.h"
#include "wasi/wasi_stat.h"

static uint16_t get_fd(wbWasiCall *c, uint64_t need, wbFd **e)
{
    return wbFdGet(&c->wasi->fds, WB_ARG32(c, 0), need, e);
}

/* Moves the bytes of fd_read / fd_write / fd_pread / fd_pwrite; offset < 0
 * means at the current position. */
static uint16_t transfer(wbWasiCall *c, int writing, int64_t offset, uint32_t iovs,
                         uint32_t count, uint32_t ret)
{
    uint64_t need = writing ? WASI_RIGHTS_FD_WRITE : WASI_RIGHTS_FD_READ;
    if (offset >= 0)
        need |= WASI_RIGHTS_FD_SEEK | WB_NEED_HOST;
    wbFd *e;
    uint16_t err = get_fd(c, need, &e);
    if (err)
        return err;
    if (wbMemCheck(&c->mem, ret, 4))
        return WASI_EFAULT;
    wbIovecs io;
    if ((err = wbMemIovecs(&c->mem, iovs, count, &io)))
        return err;
    uint64_t n = 0;
    if (io.n && e->kind == WB_FD_MEMORY) {
        err = writing ? wbStreamWrite(e->stream, &io, &n) : wbStreamRead(e->stream, &io, &n);
        if (err)
            return err;
    } else if (io.n) {
        ssize_t got;
        /* EINTR is not retried: a signal is how an embedder gets a guest
         * blocked here back to the interpreter, to stop it */
        if (offset >= 0)
            got = writing ? pwritev(e->host, io.v, io.n, offset)
                          : preadv(e->host, io.v, io.n, offset);
        else
            got = writing ? writev(e->host, io.v, io.n) : readv(e->host, io.v, io.n);
        if (got < 0)
            return wbWasiErrno(errno);
        n = (uint64_t)got;
    }
    return wbMemPutU32(&c->mem, ret, (uint32_t)n);
}

/* fd_read(fd, iovs: iovec array) -> size */
static uint16_t fd_read(wbWasiCall *c)
{
    return transfer(c, 0, -1, WB_ARG32(c, 1), WB_ARG32(c, 2), WB_ARG32(c, 3));
}

/* fd_write(fd, iovs: ciovec array) -> size */
static uint16_t fd_write(wbWasiCall *c)
{
    return transfer(c, 1, -1, WB_ARG32(c, 1), WB_ARG32(c, 2), WB_ARG32(c, 3));
}

/* fd_pread(fd, iovs: iovec array, offset: filesize) -> size */
static uint16_t fd_pread(wbWasiCall *c)
{
    if (WB_ARG64(c, 3) > INT64_MAX)
        return WASI_EINVAL;
    return transfer(c, 0, (int64_t)WB_ARG64(c, 3), WB_ARG32(c, 1), WB_ARG32(c, 2), WB_ARG32(c, 4));
}

/* fd_pwrite(fd, iovs: ciovec array, offset: filesize) -> size */
static uint16_t fd_pwrite(wbWasiCall *c)
{
    if (WB_ARG64(c, 3) > INT64_MAX)
        return WASI_EINVAL;
    return transfer(c, 1, (int64_t)WB_ARG64(c, 3), WB_ARG32(c, 1), WB_ARG32(c, 2), WB_ARG32(c, 4));
}

/* fd_seek(fd, offset: filedelta, whence) -> filesize. A resulting offset
 * below 0 is EINVAL (the host's lseek says so). */
static uint16_t fd_seek(wbWasiCall *c)
{
    int64_t off = (int64_t)WB_ARG64(c, 1);
    uint32_t whence = WB_ARG32(c, 2), ret = WB_ARG32(c, 3);
    int how;
    switch (whence) {
    case WASI_WHENCE_SET: how = SEEK_SET; break;
    case WASI_WHENCE_CUR: how = SEEK_CUR; break;
    case WASI_WHENCE_END: how = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    /* asking where we are needs only fd_tell */
    uint64_t need = off == 0 && how == SEEK_CUR ? WASI_RIGHTS_FD_TELL
                                                : WASI_RIGHTS_FD_SEEK | WASI_RIGHTS_FD_TELL;
    need |= WB_NEED_HOST;
    wbFd *e;
    uint16_t err = get_fd(c, need, &e);
    if (err)
        return err;
    if (wbMemCheck(&c->mem, ret, 8))
        return WASI_EFAULT;
    off_t pos = lseek(e->host, (off_t)off, how);
    if (pos < 0)
        return wbWasiErrno(errno);
    return wbMemPutU64(&c->mem, ret, (uint64_t)pos);
}

/* fd_tell(fd) -> filesize */
static uint16_t fd_tell(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_TELL | WB_NEED_HOST, &e);
    if (err)
        return err;
    uint32_t ret = WB_ARG32(c, 1);
    if (wbMemCheck(&c->mem, ret, 8))
        return WASI_EFAULT;
    off_t pos = lseek(e->host, 0, SEEK_CUR);
    if (pos < 0)
        return wbWasiErrno(errno);
    return wbMemPutU64(&c->mem, ret, (uint64_t)pos);
}

/* fd_close(fd) */
static uint16_t fd_close(wbWasiCall *c)
{
    return wbFdClose(&c->wasi->fds, WB_ARG32(c, 0));
}

/* fd_renumber(fd, to) */
static uint16_t fd_renumber(wbWasiCall *c)
{
    return wbFdRenumber(&c->wasi->fds, WB_ARG32(c, 0), WB_ARG32(c, 1));
}

/* fd_fdstat_get(fd) -> fdstat */
static uint16_t fd_fdstat_get(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_fd(c, 0, &e);
    if (err)
        return err;
    uint8_t st[WASI_FDSTAT_SIZE] = {0};
    st[0] = e->filetype;
    st[2] = (uint8_t)e->fdflags;
    st[3] = (uint8_t)(e->fdflags >> 8);
    for (unsigned b = 0; b < 8; b++) {
        st[8 + b] = (uint8_t)(e->base >> (8 * b));
        st[16 + b] = (uint8_t)(e->inheriting >> (8 * b));
    }
    return wbMemWrite(&c->mem, WB_ARG32(c, 1), st, sizeof st);
}

/* fd_fdstat_set_flags(fd, flags: fdflags). Only append and nonblock can
 * change on an open descriptor; asking to change dsync, rsync or sync is
 * ENOTSUP (the host cannot). */
static uint16_t fd_fdstat_set_flags(wbWasiCall *c)
{
    uint32_t flags = WB_ARG32(c, 1);
    if (flags & ~(uint32_t)WASI_FDFLAGS_ALL)
        return WASI_EINVAL;
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | WB_NEED_HOST, &e);
    if (err)
        return err;
    const uint32_t fixed = WASI_FDFLAGS_DSYNC | WASI_FDFLAGS_RSYNC | WASI_FDFLAGS_SYNC;
    if ((flags & fixed) != (e->fdflags & fixed))
        return WASI_ENOTSUP;
    int fl = fcntl(e->host, F_GETFL);
    if (fl < 0)
        return wbWasiErrno(errno);
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAGS_APPEND)
        fl |= O_APPEND;
    if (flags & WASI_FDFLAGS_NONBLOCK)
        fl |= O_NONBLOCK;
    if (fcntl(e->host, F_SETFL, fl) != 0)
        return wbWasiErrno(errno);
    e->fdflags = (uint16_t)flags;
    return WASI_ESUCCESS;
}

/* fd_fdstat_set_rights(fd, base, inheriting): rights can only shrink. */
static uint16_t fd_fdstat_set_rights(wbWasiCall *c)
{
    uint64_t base = WB_ARG64(c, 1), inh = WB_ARG64(c, 2);
    wbFd *e;
    uint16_t err = get_fd(c, 0, &e);
    if (err)
        return err;
    if ((base & ~e->base) || (inh & ~e->inheriting))
        return WASI_ENOTCAPABLE;
    e->base = base;
    e->inheriting = inh;
    return WASI_ESUCCESS;
}

/* fd_filestat_get(fd) -> filestat */
static uint16_t fd_filestat_get(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_FILESTAT_GET, &e);
    if (err)
        return err;
    uint32_t ret = WB_ARG32(c, 1);
    if (wbMemCheck(&c->mem, ret, WASI_FILESTAT_SIZE))
        return WASI_EFAULT;
    struct stat st;
    if (e->kind == WB_FD_MEMORY)
        memset(&st, 0, sizeof st); /* no file: all zero, filetype unknown */
    else if (fstat(e->host, &st) != 0)
        return wbWasiErrno(errno);
    return wbWasiPutFilestat(&c->mem, ret, &st);
}

/* fd_filestat_set_size(fd, size: filesize) */
static uint16_t fd_filestat_set_size(wbWasiCall *c)
{
    uint64_t size = WB_ARG64(c, 1);
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_FILESTAT_SET_SIZE | WB_NEED_HOST, &e);
    if (err)
        return err;
    if (size > INT64_MAX)
        return WASI_EINVAL;
    return ftruncate(e->host, (off_t)size) == 0 ? WASI_ESUCCESS : wbWasiErrno(errno);
}

/* fd_filestat_set_times(fd, atim, mtim, fst_flags) */
static uint16_t fd_filestat_set_times(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_FILESTAT_SET_TIMES | WB_NEED_HOST, &e);
    if (err)
        return err;
    struct timespec ts[2];
    if ((err = wbWasiTimes(WB_ARG64(c, 1), WB_ARG64(c, 2), WB_ARG32(c, 3), ts)))
        return err;
    return futimens(e->host, ts) == 0 ? WASI_ESUCCESS : wbWasiErrno(errno);
}

/* fd_advise(fd, offset, len, advice) */
static uint16_t fd_advise(wbWasiCall *c)
{
    uint64_t off = WB_ARG64(c, 1), len = WB_ARG64(c, 2);
    int advice;
    switch (WB_ARG32(c, 3)) {
    case WASI_ADVICE_NORMAL: advice = POSIX_FADV_NORMAL; break;
    case WASI_ADVICE_SEQUENTIAL: advice = POSIX_FADV_SEQUENTIAL; break;
    case WASI_ADVICE_RANDOM: advice = POSIX_FADV_RANDOM; break;
    case WASI_ADVICE_WILLNEED: advice = POSIX_FADV_WILLNEED; break;
    case WASI_ADVICE_DONTNEED: advice = POSIX_FADV_DONTNEED; break;
    case WASI_ADVICE_NOREUSE: advice = POSIX_FADV_NOREUSE; break;
    default: return WASI_EINVAL;
    }
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_ADVISE | WB_NEED_HOST, &e);
    if (err)
        return err;
    if (off > INT64_MAX || len > INT64_MAX)
        return WASI_EINVAL;
    int r = posix_fadvise(e->host, (off_t)off, (off_t)len, advice);
    return wbWasiErrno(r);
}

/* fd_allocate(fd, offset, len) */
static uint16_t fd_allocate(wbWasiCall *c)
{
    uint64_t off = WB_ARG64(c, 1), len = WB_ARG64(c, 2);
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_ALLOCATE | WB_NEED_HOST, &e);
    if (err)
        return err;
    if (off > INT64_MAX || len > INT64_MAX)
        return WASI_EINVAL;
    if (len > (uint64_t)INT64_MAX - off)
        return WASI_EFBIG;
    int r;
    do
        r = posix_fallocate(e->host, (off_t)off, (off_t)len);
    while (r == EINTR);
    return wbWasiErrno(r);
}

/* fd_datasync(fd) */
static uint16_t fd_datasync(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_DATASYNC | WB_NEED_HOST, &e);
    if (err)
        return err;
    return fdatasync(e->host) == 0 ? WASI_ESUCCESS : wbWasiErrno(errno);
}

/* fd_sync(fd) */
static uint16_t fd_sync(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_fd(c, WASI_RIGHTS_FD_SYNC | WB_NEED_HOST, &e);
    if (err)
        return err;
    return fsync(e->host) == 0 ? WASI_ESUCCESS : wbWasiErrno(errno);
}

/* The preopen `fd`: EBADF when it is not one. */
static uint16_t get_preopen(wbWasiCall *c, wbFd **e)
{
    uint16_t err = get_fd(c, 0, e);
    if (!err && !(*e)->preopen)
        err = WASI_EBADF;
    return err;
}

/* fd_prestat_get(fd) -> prestat */
static uint16_t fd_prestat_get(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_preopen(c, &e);
    if (err)
        return err;
    uint32_t len = (uint32_t)strlen(e->preopen);
    uint8_t ps[WASI_PRESTAT_SIZE] = {WASI_PREOPENTYPE_DIR, 0, 0, 0, (uint8_t)len,
                                     (uint8_t)(len >> 8), (uint8_t)(len >> 16),
                                     (uint8_t)(len >> 24)};
    return wbMemWrite(&c->mem, WB_ARG32(c, 1), ps, sizeof ps);
}

/* fd_prestat_dir_name(fd, path: ptr, path_len): the name, not terminated. */
static uint16_t fd_prestat_dir_name(wbWasiCall *c)
{
    wbFd *e;
    uint16_t err = get_preopen(c, &e);
    if (err)
        return err;
    size_t len = strlen(e->preopen);
    if (wbMemCheck(&c->mem, WB_ARG32(c, 1), WB_ARG32(c, 2)))
        return WASI_EFAULT; /* the whole buffer must be memory, not just the name's part */
    if (WB_ARG32(c, 2) < len)
        return WASI_ENAMETOOLONG;
    return wbMemWrite(&c->mem, WB_ARG32(c, 1), e->preopen, len);
}

const wbWasiFunc wbWasiFdFuncs[] = {
    {"fd_advise", "iIIi", 0, fd_advise},
    {"fd_allocate", "iII", 0, fd_allocate},
    {"fd_close", "i", 0, fd_close},
    {"fd_datasync", "i", 0, fd_datasync},
    {"fd_fdstat_get", "ii", 0, fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", 0, fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII", 0, fd_fdstat_set_rights},
    {"fd_filestat_get", "ii", 0, fd_filestat_get},
    {"fd_filestat_set_size", "iI", 0, fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi", 0, fd_filestat_set_times},
    {"fd_pread", "iiiIi", 0, fd_pread},
    {"fd_prestat_get", "ii", 0, fd_prestat_get},
    {"fd_prestat_dir_name", "iii", 0, fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi", 0, fd_pwrite},
    {"fd_read", "iiii", 0, fd_read},
    {"fd_renumber", "ii", 0, fd_renumber},
    {"fd_seek", "iIii", 0, fd_seek},
    {"fd_sync", "i", 0, fd_sync},
    {"fd_tell", "ii", 0, fd_tell},
    {"fd_write", "iiii", 0, fd_write},
};
const size_t wbWasiFdFuncCount = sizeof wbWasiFdFuncs / sizeof wbWasiFdFuncs[0];
