/*
 * path.c — confined path resolution beneath a directory descriptor (see
 * path.h): openat2(RESOLVE_BENEATH) when the kernel has it, else a walk one
 * component at a time that applies the same rules by hand.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "wasi/errno.h"
#include "wasi/path.h"

#ifndef O_PATH
#define O_PATH O_RDONLY
#endif

static atomic_int force_walk;
static atomic_int openat2_state; /* 0 not probed yet, 1 usable, -1 missing */

void wbPathForceWalk(int on)
{
    atomic_store(&force_walk, on != 0);
}

#ifdef __linux__
#ifndef SYS_openat2
#define SYS_openat2 437 /* the same number on every architecture */
#endif

/* struct open_how of <linux/openat2.h>, which older headers lack */
typedef struct OpenHow {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
} OpenHow;

#define HOW_RESOLVE_NO_MAGICLINKS 0x02
#define HOW_RESOLVE_BENEATH 0x08

static int openat2_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
    OpenHow how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned)flags;
    how.mode = (flags & O_CREAT) ? mode : 0; /* openat2 rejects a mode otherwise */
    how.resolve = HOW_RESOLVE_BENEATH | HOW_RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int wbPathHasOpenat2(void)
{
    int s = atomic_load(&openat2_state);
    if (s == 0) {
        int fd = openat2_beneath(AT_FDCWD, ".", O_PATH | O_CLOEXEC, 0);
        s = fd < 0 && (errno == ENOSYS || errno == EPERM) ? -1 : 1;
        if (fd >= 0)
            close(fd);
        atomic_store(&openat2_state, s);
    }
    return s > 0;
}
#else
int wbPathHasOpenat2(void)
{
    return 0;
}
#endif

/* A guest path as given: not empty, not too long, no NUL inside (path[len]
 * is the terminator the caller added), relative. */
static uint16_t check_path(const char *path, size_t len)
{
    if (len == 0)
        return WASI_ENOENT;
    if (len > WB_PATH_MAX)
        return WASI_ENAMETOOLONG;
    if (strlen(path) != len)
        return WASI_EINVAL;
    if (path[0] == '/')
        return WASI_ENOTCAPABLE;
    return WASI_ESUCCESS;
}

/* Reads the target of symlink `name` in dirfd ("" for an O_PATH descriptor
 * of the link itself) into buf (WB_PATH_MAX + 1 bytes), NUL-terminated. A
 * target that is absolute is refused: it can never be followed. */
static uint16_t read_target(int dirfd, const char *name, char *buf)
{
    ssize_t n = readlinkat(dirfd, name, buf, WB_PATH_MAX + 1);
    if (n < 0)
        return wbWasiErrno(errno);
    if (n > WB_PATH_MAX)
        return WASI_ENAMETOOLONG;
    if (n == 0)
        return WASI_ENOENT;
    buf[n] = '\0';
    return buf[0] == '/' ? WASI_ENOTCAPABLE : WASI_ESUCCESS;
}

/* ------------------------------------------------------ the walk */

/* The directories entered so far, innermost last; `..` pops one, and a
 * `..` with none entered would leave the root. */
typedef struct Walk {
    int root;
    int *fds; /* owned */
    size_t depth, cap;
} Walk;

static int walk_cur(const Walk *w)
{
    return w->depth ? w->fds[w->depth - 1] : w->root;
}

static uint16_t walk_push(Walk *w, int fd)
{
    if (w->depth == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        int *fds = realloc(w->fds, cap * sizeof *fds);
        if (!fds)
            return WASI_ENOMEM;
        w->fds = fds;
        w->cap = cap;
    }
    w->fds[w->depth++] = fd;
    return WASI_ESUCCESS;
}

static void walk_pop(Walk *w)
{
    close(w->fds[--w->depth]);
}

/* Replaces the component ending at `rest` in *work by the target of the
 * symlink (dirfd, name): *work becomes target + the rest, read from pos 0. */
static uint16_t splice_link(char **work, size_t *pos, size_t rest, int dirfd, const char *name,
                       unsigned *links)
{
    if (++*links > WB_PATH_MAX_LINKS)
        return WASI_ELOOP;
    char target[WB_PATH_MAX + 1];
    uint16_t err = read_target(dirfd, name, target);
    if (err)
        return err;
    size_t tlen = strlen(target), rlen = strlen(*work + rest);
    char *nw = malloc(tlen + rlen + 1);
    if (!nw)
        return WASI_ENOMEM;
    memcpy(nw, target, tlen);
    memcpy(nw + tlen, *work + rest, rlen + 1);
    free(*work);
    *work = nw;
    *pos = 0;
    return WASI_ESUCCESS;
}

/* Resolves `path` one component at a time with O_NOFOLLOW, then opens the
 * last with `flags`. */
static uint16_t walk(int root, const char *path, int flags, mode_t mode, int follow, int *out)
{
    Walk w = {root, NULL, 0, 0};
    char *work = strdup(path);
    if (!work)
        return WASI_ENOMEM;
    size_t pos = 0;
    unsigned links = 0;
    uint16_t err = WASI_ESUCCESS;
    for (;;) {
        while (work[pos] == '/')
            pos++;
        size_t end = pos;
        while (work[end] && work[end] != '/')
            end++;
        size_t next = end;
        while (work[next] == '/')
            next++;
        int last = work[next] == '\0';
        int slash = work[end] == '/'; /* the last component ends in '/' */
        char c[WB_NAME_MAX + 1];
        if (end - pos > WB_NAME_MAX) {
            err = WASI_ENAMETOOLONG;
            break;
        }
        memcpy(c, work + pos, end - pos);
        c[end - pos] = '\0';
        if (!c[0])
            strcpy(c, ".");
        int cur = walk_cur(&w);

        if (strcmp(c, "..") == 0) {
            if (w.depth == 0) {
                err = WASI_ENOTCAPABLE;
                break;
            }
            walk_pop(&w);
            cur = walk_cur(&w);
            strcpy(c, ".");
        }
        if (strcmp(c, ".") == 0) {
            if (!last) {
                pos = next;
                continue;
            }
            if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
                err = WASI_EEXIST;
                break;
            }
            int fd = openat(cur, ".", flags | O_CLOEXEC, mode);
            if (fd < 0)
                err = wbWasiErrno(errno);
            else
                *out = fd;
            break;
        }

        if (!last) { /* a directory to enter, or a symlink to expand */
            int fd = openat(cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
            struct stat st;
            if (fd < 0 || fstat(fd, &st) != 0) {
                err = wbWasiErrno(errno);
                if (fd >= 0)
                    close(fd);
                break;
            }
            if (S_ISLNK(st.st_mode)) {
                err = splice_link(&work, &pos, end, fd, "", &links);
                close(fd);
                if (err)
                    break;
                continue;
            }
            if (!S_ISDIR(st.st_mode)) {
                close(fd);
                err = WASI_ENOTDIR;
                break;
            }
            if ((err = walk_push(&w, fd))) {
                close(fd);
                break;
            }
            pos = next;
            continue;
        }

        /* the last component; a trailing '/' means a directory, followed */
        int fflags = flags, ffollow = follow;
        if (slash) {
            if (flags & O_CREAT) {
                err = WASI_EISDIR;
                break;
            }
            fflags |= O_DIRECTORY;
            ffollow = 1;
        }
        struct stat st;
        if (ffollow && fstatat(cur, c, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
            if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
                err = WASI_EEXIST; /* O_EXCL never follows */
                break;
            }
            if ((err = splice_link(&work, &pos, end, cur, c, &links)))
                break;
            continue;
        }
        int fd = openat(cur, c, fflags | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0) {
            /* replaced by a symlink since the fstatat: look again */
            if (errno == ELOOP && ffollow && ++links <= WB_PATH_MAX_LINKS)
                continue;
            err = wbWasiErrno(errno);
            break;
        }
        *out = fd;
        break;
    }
    while (w.depth)
        walk_pop(&w);
    free(w.fds);
    free(work);
    return err;
}

/* ------------------------------------------------------ the API */

uint16_t wbPathOpen(int root, const char *path, size_t len, int flags, mode_t mode, int follow,
                    int *out)
{
    *out = -1;
    uint16_t err = check_path(path, len);
    if (err)
        return err;
    flags &= ~O_NOFOLLOW;
#ifdef __linux__
    if (!atomic_load(&force_walk) && wbPathHasOpenat2()) {
        int oflags = flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
        for (int tries = 0; tries < 8; tries++) {
            int fd = openat2_beneath(root, path, oflags, mode);
            if (fd >= 0) {
                *out = fd;
                return WASI_ESUCCESS;
            }
            if (errno == EXDEV) /* the path would leave the root */
                return WASI_ENOTCAPABLE;
            if (errno != EAGAIN) /* EAGAIN: a rename raced the lookup */
                return wbWasiErrno(errno);
        }
    }
#endif
    return walk(root, path, flags, mode, follow, out);
}

void wbPathAtClose(wbPathAt *at)
{
    if (at->dirfd >= 0)
        close(at->dirfd);
    at->dirfd = -1;
}

/* Splits p (relative, no trailing '/') at its last '/', opens the directory
 * part beneath root and copies the last component into at->name. */
static uint16_t open_parent(int root, char *p, wbPathAt *at)
{
    char *slash = strrchr(p, '/');
    const char *leaf = slash ? slash + 1 : p;
    if (strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0) {
        /* the path names a directory itself: act on "." inside it */
        strcpy(at->name, ".");
        return wbPathOpen(root, p, strlen(p), O_PATH | O_DIRECTORY, 0, 1, &at->dirfd);
    }
    if (strlen(leaf) > WB_NAME_MAX)
        return WASI_ENAMETOOLONG;
    strcpy(at->name, leaf);
    if (!slash)
        return wbPathOpen(root, ".", 1, O_PATH | O_DIRECTORY, 0, 1, &at->dirfd);
    *slash = '\0';
    uint16_t err = wbPathOpen(root, p, strlen(p), O_PATH | O_DIRECTORY, 0, 1, &at->dirfd);
    *slash = '/';
    return err;
}

uint16_t wbPathResolve(int root, const char *path, size_t len, int follow, wbPathAt *at)
{
    at->dirfd = -1;
    at->name[0] = '\0';
    at->must_dir = 0;
    uint16_t err = check_path(path, len);
    if (err)
        return err;
    char *p = strdup(path);
    if (!p)
        return WASI_ENOMEM;
    for (unsigned links = 0;;) {
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/') {
            p[--n] = '\0';
            at->must_dir = 1;
        }
        if ((err = open_parent(root, p, at)))
            break;
        struct stat st;
        if (!follow || fstatat(at->dirfd, at->name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISLNK(st.st_mode))
            break; /* done (a missing last component is for the caller to judge) */
        /* a symlink to follow: its target replaces the last component */
        char target[WB_PATH_MAX + 1];
        if (++links > WB_PATH_MAX_LINKS) {
            err = WASI_ELOOP;
            break;
        }
        if ((err = read_target(at->dirfd, at->name, target)))
            break;
        wbPathAtClose(at);
        char *slash = strrchr(p, '/');
        size_t dlen = slash ? (size_t)(slash - p) + 1 : 0, tlen = strlen(target);
        char *np = malloc(dlen + tlen + 1);
        if (!np) {
            err = WASI_ENOMEM;
            break;
        }
        memcpy(np, p, dlen);
        memcpy(np + dlen, target, tlen + 1);
        free(p);
        p = np;
    }
    free(p);
    if (err)
        wbPathAtClose(at);
    return err;
}
