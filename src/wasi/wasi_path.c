/*
 * wasi_path.c — the WASI functions that take a path: path_open and the
 * create / remove / rename / link / symlink / readlink / filestat calls.
 * Each checks the directory descriptor's rights, copies the guest path,
 * resolves it beneath that directory (path.h), and acts with an *at() call
 * on the last component, never following a symlink there unless the guest
 * asked for symlink_follow (and then only within the directory).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/errno.h"
#include "wasi/path.h"
#include "wasi/wasi_impl.h"
#include "wasi/wasi_stat.h"

/* The open directory `fd` with every right in `need` (out may be NULL). */
static uint16_t get_dir(wbWasiCall *c, uint32_t fd, uint64_t need, wbFd **out)
{
    wbFd *ignored;
    if (!out)
        out = &ignored;
    uint16_t err = wbFdGet(&c->wasi->fds, fd, 0, out);
    if (err)
        return err;
    if ((*out)->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    if (((*out)->base & need) != need)
        return WASI_ENOTCAPABLE;
    return WASI_ESUCCESS;
}

/* Resolves the guest path (ptr, len) beneath directory fd, which needs
 * `need`: see wbPathResolve. */
static uint16_t resolve(wbWasiCall *c, uint32_t fd, uint64_t need, uint32_t ptr, uint32_t len,
                        int follow, wbPathAt *at)
{
    at->dirfd = -1;
    wbFd *e;
    uint16_t err = get_dir(c, fd, need, &e);
    if (err)
        return err;
    char *path;
    if ((err = wbMemString(&c->mem, ptr, len, &path)))
        return err;
    err = wbPathResolve(e->host, path, len, follow, at);
    free(path);
    return err;
}

static uint16_t host_result(int r)
{
    return r == 0 ? WASI_ESUCCESS : wbWasiErrno(errno);
}

/* Whether (at) exists and is a directory: 1, 0, or -1 with errno set. */
static int is_dir(const wbPathAt *at)
{
    struct stat st;
    if (fstatat(at->dirfd, at->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

/* A path ending in '/' must name a directory: ENOTDIR when it names
 * something else, the lookup's error when nothing. */
static uint16_t check_must_dir(const wbPathAt *at)
{
    if (!at->must_dir)
        return WASI_ESUCCESS;
    int d = is_dir(at);
    return d < 0 ? wbWasiErrno(errno) : d ? WASI_ESUCCESS : WASI_ENOTDIR;
}

/* A new name ending in '/' (for a link or symlink) cannot be created. */
static uint16_t check_new_name(const wbPathAt *at)
{
    if (!at->must_dir)
        return WASI_ESUCCESS;
    struct stat st;
    return fstatat(at->dirfd, at->name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? WASI_EEXIST
                                                                        : WASI_ENOENT;
}

/* path_create_directory(fd, path) */
static uint16_t path_create_directory(wbWasiCall *c)
{
    wbPathAt at;
    uint16_t err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_CREATE_DIRECTORY, WB_ARG32(c, 1),
                           WB_ARG32(c, 2), 0, &at);
    if (!err)
        err = host_result(mkdirat(at.dirfd, at.name, 0777));
    wbPathAtClose(&at);
    return err;
}

/* path_remove_directory(fd, path) */
static uint16_t path_remove_directory(wbWasiCall *c)
{
    wbPathAt at;
    uint16_t err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_REMOVE_DIRECTORY, WB_ARG32(c, 1),
                           WB_ARG32(c, 2), 0, &at);
    if (!err)
        err = host_result(unlinkat(at.dirfd, at.name, AT_REMOVEDIR));
    wbPathAtClose(&at);
    return err;
}

/* path_unlink_file(fd, path) */
static uint16_t path_unlink_file(wbWasiCall *c)
{
    wbPathAt at;
    uint16_t err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_UNLINK_FILE, WB_ARG32(c, 1),
                           WB_ARG32(c, 2), 0, &at);
    if (!err && at.must_dir) {
        int d = is_dir(&at); /* "name/": a directory (EISDIR) or nothing to unlink */
        err = d < 0 ? wbWasiErrno(errno) : d ? WASI_EISDIR : WASI_ENOTDIR;
    }
    if (!err)
        err = host_result(unlinkat(at.dirfd, at.name, 0));
    wbPathAtClose(&at);
    return err;
}

/* path_filestat_get(fd, flags: lookupflags, path) -> filestat */
static uint16_t path_filestat_get(wbWasiCall *c)
{
    uint32_t ret = WB_ARG32(c, 4);
    wbPathAt at;
    uint16_t err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_FILESTAT_GET, WB_ARG32(c, 2),
                           WB_ARG32(c, 3), WB_ARG32(c, 1) & WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, &at);
    struct stat st;
    if (!err && fstatat(at.dirfd, at.name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        err = wbWasiErrno(errno);
    if (!err && at.must_dir && !S_ISDIR(st.st_mode))
        err = WASI_ENOTDIR;
    if (!err)
        err = wbWasiPutFilestat(&c->mem, ret, &st);
    wbPathAtClose(&at);
    return err;
}

/* path_filestat_set_times(fd, flags: lookupflags, path, atim, mtim, fst_flags) */
static uint16_t path_filestat_set_times(wbWasiCall *c)
{
    struct timespec ts[2];
    wbPathAt at = {.dirfd = -1};
    uint16_t err = get_dir(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_FILESTAT_SET_TIMES, NULL);
    if (!err)
        err = wbWasiTimes(WB_ARG64(c, 4), WB_ARG64(c, 5), WB_ARG32(c, 6), ts);
    if (!err)
        err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_FILESTAT_SET_TIMES, WB_ARG32(c, 2),
                      WB_ARG32(c, 3), WB_ARG32(c, 1) & WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, &at);
    if (!err)
        err = check_must_dir(&at);
    if (!err)
        err = host_result(utimensat(at.dirfd, at.name, ts, AT_SYMLINK_NOFOLLOW));
    wbPathAtClose(&at);
    return err;
}

/* path_link(old_fd, old_flags: lookupflags, old_path, new_fd, new_path).
 * With symlink_follow the link is made to what the old path's symlinks
 * lead to (within its directory); linkat itself never follows. */
static uint16_t path_link(wbWasiCall *c)
{
    wbPathAt from = {.dirfd = -1}, to = {.dirfd = -1};
    uint16_t err = get_dir(c, WB_ARG32(c, 4), WASI_RIGHTS_PATH_LINK_TARGET, NULL);
    if (!err)
        err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_LINK_SOURCE, WB_ARG32(c, 2),
                      WB_ARG32(c, 3), WB_ARG32(c, 1) & WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, &from);
    if (!err)
        err = resolve(c, WB_ARG32(c, 4), WASI_RIGHTS_PATH_LINK_TARGET, WB_ARG32(c, 5),
                      WB_ARG32(c, 6), 0, &to);
    if (!err && from.must_dir) {
        int d = is_dir(&from); /* a directory cannot be hard-linked */
        err = d < 0 ? wbWasiErrno(errno) : d ? WASI_EPERM : WASI_ENOTDIR;
    }
    if (!err)
        err = check_new_name(&to);
    if (!err)
        err = host_result(linkat(from.dirfd, from.name, to.dirfd, to.name, 0));
    wbPathAtClose(&from);
    wbPathAtClose(&to);
    return err;
}

/* path_rename(fd, old_path, new_fd, new_path) */
static uint16_t path_rename(wbWasiCall *c)
{
    wbPathAt from = {.dirfd = -1}, to = {.dirfd = -1};
    uint16_t err = get_dir(c, WB_ARG32(c, 3), WASI_RIGHTS_PATH_RENAME_TARGET, NULL);
    if (!err)
        err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_RENAME_SOURCE, WB_ARG32(c, 1),
                      WB_ARG32(c, 2), 0, &from);
    if (!err)
        err = resolve(c, WB_ARG32(c, 3), WASI_RIGHTS_PATH_RENAME_TARGET, WB_ARG32(c, 4),
                      WB_ARG32(c, 5), 0, &to);
    if (!err && (from.must_dir || to.must_dir)) {
        /* a trailing '/' on either name: only a directory may move */
        int d = is_dir(&from);
        err = d < 0 ? wbWasiErrno(errno) : d ? WASI_ESUCCESS : WASI_ENOTDIR;
    }
    if (!err)
        err = host_result(renameat(from.dirfd, from.name, to.dirfd, to.name));
    wbPathAtClose(&from);
    wbPathAtClose(&to);
    return err;
}

/* path_symlink(old_path, fd, new_path): the target is stored as given
 * (absolute or escaping targets too: following them is what is refused). */
static uint16_t path_symlink(wbWasiCall *c)
{
    uint32_t tptr = WB_ARG32(c, 0), tlen = WB_ARG32(c, 1);
    wbPathAt at = {.dirfd = -1};
    char *target = NULL;
    uint16_t err = get_dir(c, WB_ARG32(c, 2), WASI_RIGHTS_PATH_SYMLINK, NULL);
    if (!err)
        err = wbMemString(&c->mem, tptr, tlen, &target);
    if (!err && strlen(target) != tlen)
        err = WASI_EINVAL;
    if (!err && tlen == 0)
        err = WASI_ENOENT;
    if (!err)
        err = resolve(c, WB_ARG32(c, 2), WASI_RIGHTS_PATH_SYMLINK, WB_ARG32(c, 3), WB_ARG32(c, 4),
                      0, &at);
    if (!err)
        err = check_new_name(&at);
    if (!err)
        err = host_result(symlinkat(target, at.dirfd, at.name));
    free(target);
    wbPathAtClose(&at);
    return err;
}

/* path_readlink(fd, path, buf: ptr, buf_len: size) -> size. A target
 * longer than the buffer is truncated, as readlink(2) does. */
static uint16_t path_readlink(wbWasiCall *c)
{
    uint32_t buf = WB_ARG32(c, 3), buf_len = WB_ARG32(c, 4), ret = WB_ARG32(c, 5);
    wbPathAt at;
    uint16_t err = resolve(c, WB_ARG32(c, 0), WASI_RIGHTS_PATH_READLINK, WB_ARG32(c, 1),
                           WB_ARG32(c, 2), 0, &at);
    if (!err && (wbMemCheck(&c->mem, buf, buf_len) || wbMemCheck(&c->mem, ret, 4)))
        err = WASI_EFAULT;
    if (!err && at.must_dir) {
        struct stat st; /* "link/" names what the link leads to: not a link */
        err = fstatat(at.dirfd, at.name, &st, AT_SYMLINK_NOFOLLOW) != 0 ? wbWasiErrno(errno)
                                                                          : WASI_EINVAL;
    }
    if (!err) {
        char target[WB_PATH_MAX + 1];
        ssize_t n = readlinkat(at.dirfd, at.name, target, sizeof target);
        if (n < 0) {
            err = wbWasiErrno(errno);
        } else {
            uint32_t len = (uint64_t)n < buf_len ? (uint32_t)n : buf_len;
            wbMemWrite(&c->mem, buf, target, len);
            wbMemPutU32(&c->mem, ret, len);
        }
    }
    wbPathAtClose(&at);
    return err;
}

/* path_open(fd, dirflags: lookupflags, path, oflags, fs_rights_base,
 * fs_rights_inheriting, fdflags) -> fd. The directory needs path_open
 * (and path_create_file for creat, path_filestat_set_size for trunc); the
 * new descriptor gets the rights asked for that the directory's inheriting
 * rights allow, cut to what its kind supports. */
static uint16_t path_open(wbWasiCall *c)
{
    uint32_t dirfd = WB_ARG32(c, 0), dirflags = WB_ARG32(c, 1), ptr = WB_ARG32(c, 2),
             len = WB_ARG32(c, 3), oflags = WB_ARG32(c, 4), fdflags = WB_ARG32(c, 7),
             ret = WB_ARG32(c, 8);
    uint64_t base = WB_ARG64(c, 5), inheriting = WB_ARG64(c, 6);
    if ((oflags & ~(uint32_t)WASI_OFLAGS_ALL) || (fdflags & ~(uint32_t)WASI_FDFLAGS_ALL))
        return WASI_EINVAL;
    if ((oflags & WASI_OFLAGS_DIRECTORY) && (oflags & (WASI_OFLAGS_CREAT | WASI_OFLAGS_TRUNC)))
        return WASI_EINVAL;
    uint64_t need = WASI_RIGHTS_PATH_OPEN;
    if (oflags & WASI_OFLAGS_CREAT)
        need |= WASI_RIGHTS_PATH_CREATE_FILE;
    if (oflags & WASI_OFLAGS_TRUNC)
        need |= WASI_RIGHTS_PATH_FILESTAT_SET_SIZE;
    wbFd *dir;
    uint16_t err = get_dir(c, dirfd, need, &dir);
    if (err)
        return err;
    /* the sync flags need the matching rights to be inheritable */
    uint64_t need_inh = 0;
    if (fdflags & WASI_FDFLAGS_DSYNC)
        need_inh |= WASI_RIGHTS_FD_DATASYNC;
    if (fdflags & (WASI_FDFLAGS_RSYNC | WASI_FDFLAGS_SYNC))
        need_inh |= WASI_RIGHTS_FD_SYNC;
    if ((dir->inheriting & need_inh) != need_inh)
        return WASI_ENOTCAPABLE;
    base &= dir->inheriting;
    inheriting &= dir->inheriting;
    if (wbMemCheck(&c->mem, ret, 4))
        return WASI_EFAULT;

    const uint64_t reading = WASI_RIGHTS_FD_READ | WASI_RIGHTS_FD_READDIR;
    const uint64_t writing = WASI_RIGHTS_FD_WRITE | WASI_RIGHTS_FD_DATASYNC |
                             WASI_RIGHTS_FD_ALLOCATE | WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
    int flags = O_NOCTTY;
    if ((oflags & WASI_OFLAGS_DIRECTORY) || !(base & writing))
        flags |= O_RDONLY;
    else
        flags |= base & reading ? O_RDWR : O_WRONLY;
    if (oflags & WASI_OFLAGS_CREAT)
        flags |= O_CREAT;
    if (oflags & WASI_OFLAGS_DIRECTORY)
        flags |= O_DIRECTORY;
    if (oflags & WASI_OFLAGS_EXCL)
        flags |= O_EXCL;
    if (oflags & WASI_OFLAGS_TRUNC)
        flags |= O_TRUNC;
    if (fdflags & WASI_FDFLAGS_APPEND)
        flags |= O_APPEND;
    if (fdflags & WASI_FDFLAGS_DSYNC)
        flags |= O_DSYNC;
    if (fdflags & WASI_FDFLAGS_NONBLOCK)
        flags |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAGS_RSYNC)
        flags |= O_RSYNC;
    if (fdflags & WASI_FDFLAGS_SYNC)
        flags |= O_SYNC;

    char *path;
    if ((err = wbMemString(&c->mem, ptr, len, &path)))
        return err;
    int host = -1;
    err = wbPathOpen(dir->host, path, len, flags, 0666,
                     dirflags & WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, &host);
    free(path);
    if (err)
        return err;

    wbFd e = wbFdDescribe(host);
    if (e.filetype == WASI_FILETYPE_DIRECTORY) {
        e.base = base & WB_RIGHTS_DIR;
        e.inheriting = inheriting & WB_RIGHTS_DIR_INHERITING;
    } else {
        e.base = base & e.base;
        e.inheriting = 0;
    }
    e.fdflags = (uint16_t)fdflags;
    uint32_t fd;
    if ((err = wbFdAdd(&c->wasi->fds, e, &fd)))
        return err;
    return wbMemPutU32(&c->mem, ret, fd);
}

const wbWasiFunc wbWasiPathFuncs[] = {
    {"path_create_directory", "iii", 0, path_create_directory},
    {"path_filestat_get", "iiiii", 0, path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi", 0, path_filestat_set_times},
    {"path_link", "iiiiiii", 0, path_link},
    {"path_open", "iiiiiIIii", 0, path_open},
    {"path_readlink", "iiiiii", 0, path_readlink},
    {"path_remove_directory", "iii", 0, path_remove_directory},
    {"path_rename", "iiiiii", 0, path_rename},
    {"path_symlink", "iiiii", 0, path_symlink},
    {"path_unlink_file", "iii", 0, path_unlink_file},
};
const size_t wbWasiPathFuncCount = sizeof wbWasiPathFuncs / sizeof wbWasiPathFuncs[0];
