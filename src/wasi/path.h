/*
 * path.h — confined path resolution: a guest path names something beneath
 * a directory descriptor (a preopen, or a directory opened from one) and can
 * never reach outside it. Absolute paths, `..` above the directory, and
 * symlinks whose target is absolute or climbs above it all fail with
 * WASI_ENOTCAPABLE (as wasmtime answers).
 *
 * On Linux the kernel resolves with openat2(RESOLVE_BENEATH); where that
 * system call is missing (ENOSYS, or EPERM from a seccomp filter) the same
 * rules are applied by a walk one component at a time with O_NOFOLLOW,
 * counting depth for `..` and expanding symlinks by hand (at most
 * WB_PATH_MAX_LINKS). Every descriptor opened here is O_CLOEXEC.
 */
#ifndef WASI_PATH_H
#define WASI_PATH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WB_PATH_MAX_LINKS 40
#define WB_PATH_MAX 4096 /* longest guest path accepted (ENAMETOOLONG) */
#define WB_NAME_MAX 255

/*
 * Opens `path` (len bytes, no NUL among them) beneath `root` with open(2)
 * `flags` (O_CLOEXEC is added) and `mode` (used with O_CREAT). Symlinks in
 * the middle are followed (confined); the last component is followed only
 * when `follow` (else O_NOFOLLOW applies, as for open(2)). Returns a WASI
 * errno; on success *out is the new host descriptor.
 */
uint16_t wbPathOpen(int root, const char *path, size_t len, int flags, mode_t mode, int follow,
                    int *out);

/* The directory holding a path's last component, for the *at() calls. */
typedef struct wbPathAt {
    int dirfd;                  /* owned (O_PATH); -1 when unset */
    char name[WB_NAME_MAX + 1]; /* the last component: never "..", and "." only
                                   when the path names that directory itself
                                   (it ended in "." or "..") */
    int must_dir;               /* the path ended in '/' */
} wbPathAt;

/*
 * Resolves all but the last component of `path` beneath `root`. With
 * `follow`, a last component that is a symlink is replaced by its target
 * (confined, repeatedly), so the result never names a symlink; without, it
 * may. Returns a WASI errno; on success release `at` with wbPathAtClose.
 */
uint16_t wbPathResolve(int root, const char *path, size_t len, int follow, wbPathAt *at);
void wbPathAtClose(wbPathAt *at);

/* For tests: non-zero forces the component walk even where openat2 works. */
void wbPathForceWalk(int on);
/* Non-zero when openat2 is in use. */
int wbPathHasOpenat2(void);

#endif /* WASI_PATH_H */
