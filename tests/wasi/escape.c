/*
 * escape.c — attempts to leave the /sandbox preopen. Every attempt must
 * fail, no read may return the outside file's text ("TOP SECRET"), and the
 * runner checks that the host tree next to the sandbox (outside/) is byte
 * for byte what it was. The test tree (see run.sh):
 *   CASE/outside/secret.txt            "TOP SECRET\n"
 *   CASE/outside/sub/file.txt
 *   CASE/sandbox/hello.txt, dir/, ...  the preopen
 *   CASE/sandbox/link_rel    -> ../outside/secret.txt
 *   CASE/sandbox/link_abs    -> CASE/outside/secret.txt (absolute)
 *   CASE/sandbox/linkdir     -> ../outside
 *   CASE/sandbox/linkdir_abs -> CASE/outside (absolute)
 * Cases: dotdot, absolute OUTSIDE_DIR, host_symlink_rel, host_symlink_abs,
 * guest_symlink OUTSIDE_DIR, hardlink, rename, readonly, and cross (run
 * with outside/ also granted read-only as /ro).
 */
#include "common.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define SECRET "TOP SECRET"

/* If an open that should have failed succeeded: show what it reads. */
static void leaked(int32_t fd, const char *path)
{
    char buf[128];
    size_t len;
    if (read_fd(fd, buf, sizeof buf, &len) == 0 && strstr(buf, SECRET))
        FAILF("read the outside file through %s: %s", path, buf);
    (void)raw_fd_close(fd);
}

#define MUST_NOT_OPEN(call, path)                                         \
    do {                                                                  \
        int32_t fd_ = -1;                                                 \
        int32_t e_ = (call);                                              \
        checks_run++;                                                     \
        if (e_ == 0) {                                                    \
            FAILF("%s: opened %s (fd %d)", #call, path, (int)fd_);        \
            leaked(fd_, path);                                            \
        }                                                                 \
    } while (0)

/* Every operation on path p, whose resolution leaves the sandbox before or
 * at its last component, must fail. */
static void try_through(const char *p)
{
    int32_t s = sandbox();
    /* a new name beside p (or in it, when p names a directory by "..") */
    char newp[512];
    size_t len = strlen(p);
    int dir = (len >= 2 && strcmp(p + len - 2, "..") == 0) || p[len - 1] == '/';
    snprintf(newp, sizeof newp, dir ? "%s/escaped.new" : "%s.new", p);
    __wasi_filestat_t st;
    MUST_NOT_OPEN(open_read(s, p, &fd_), p);
    MUST_NOT_OPEN(open_at(s, 0, p, 0, 0, &fd_), p);
    MUST_NOT_OPEN(open_at(s, FOLLOW, p, __WASI_OFLAGS_DIRECTORY, 0, &fd_), p);
    int32_t fd = -1;
    int32_t e = open_at(s, FOLLOW, p, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd);
    checks_run++;
    if (e == 0) {
        FAILF("opened %s for writing", p);
        (void)raw_fd_close(fd);
    }
    e = open_at(s, 0, newp, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, &fd);
    checks_run++;
    if (e == 0) {
        FAILF("created %s", newp);
        (void)raw_fd_close(fd);
    }
    CHECK_FAILS(raw_path_filestat_get(s, FOLLOW, PATH(p), PTR(&st)));
    CHECK_FAILS(raw_path_filestat_get(s, 0, PATH(p), PTR(&st)));
    CHECK_FAILS(raw_path_filestat_set_times(s, FOLLOW, PATH(p), 0, 0,
                                            __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_ATIM));
    CHECK_FAILS(raw_path_filestat_set_times(s, 0, PATH(p), 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    CHECK_FAILS(raw_path_create_directory(s, PATH(newp)));
    CHECK_FAILS(raw_path_unlink_file(s, PATH(p)));
    CHECK_FAILS(raw_path_remove_directory(s, PATH(p)));
    CHECK_FAILS(raw_path_rename(s, PATH(p), s, PATH("stolen")));
    CHECK_FAILS(raw_path_rename(s, PATH("hello.txt"), s, PATH(newp)));
    CHECK_FAILS(raw_path_link(s, 0, PATH(p), s, PATH("hardlinked")));
    CHECK_FAILS(raw_path_link(s, FOLLOW, PATH(p), s, PATH("hardlinked")));
    CHECK_FAILS(raw_path_link(s, 0, PATH("hello.txt"), s, PATH(newp)));
    CHECK_FAILS(raw_path_symlink(PATH("hello.txt"), s, PATH(newp)));
    char buf[128];
    int32_t used;
    CHECK_FAILS(raw_path_readlink(s, PATH(p), PTR(buf), sizeof buf, PTR(&used)));
}

/* p is a symlink in the sandbox pointing outside: everything that follows
 * it must fail; what acts on the link itself is allowed. */
static void try_final_link(const char *p)
{
    int32_t s = sandbox();
    __wasi_filestat_t st;
    MUST_NOT_OPEN(open_read(s, p, &fd_), p);
    MUST_NOT_OPEN(open_at(s, FOLLOW, p, 0, 0, &fd_), p);
    MUST_NOT_OPEN(open_at(s, FOLLOW, p, __WASI_OFLAGS_DIRECTORY, 0, &fd_), p);
    MUST_NOT_OPEN(open_at(s, FOLLOW, p, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd_), p);
    MUST_NOT_OPEN(open_at(s, 0, p, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd_), p);
    MUST_NOT_OPEN(open_at(s, 0, p, 0, 0, &fd_), p);
    CHECK_FAILS(raw_path_filestat_get(s, FOLLOW, PATH(p), PTR(&st)));
    CHECK_FAILS(raw_path_filestat_set_times(s, FOLLOW, PATH(p), 0, 0,
                                            __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_ATIM));
    CHECK_FAILS(raw_path_link(s, FOLLOW, PATH(p), s, PATH("hardlinked")));
    /* the link itself is inside: lstat works and says it is a link */
    CHECK_OK(raw_path_filestat_get(s, 0, PATH(p), PTR(&st)));
    CHECK_EQ(st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
}

/* The libc view: nothing outside the preopens exists. */
static void libc_cannot_open(const char *path)
{
    FILE *f = fopen(path, "r");
    checks_run++;
    if (f) {
        char buf[64] = {0};
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        FAILF("fopen(%s) succeeded, read %zu bytes: %s", path, n, buf);
        fclose(f);
    }
}

static void dotdot(int argc, char **argv)
{
    (void)argc, (void)argv;
    const char *paths[] = {"..", "../outside", "../outside/secret.txt",
                           "dir/../../outside/secret.txt", "./../outside/secret.txt",
                           "dir/sub/../../../outside/secret.txt", "dir/../..",
                           "../sandbox/../outside/secret.txt", "../../../../../../../../etc/passwd",
                           "dir/..//../outside/sub/file.txt"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        try_through(paths[i]);
    /* ".." from a subdirectory's fd: refused (each fd is its own root, as
     * in wasmtime) or the preopen itself, but never above it */
    int32_t d, up;
    CHECK_OK(open_at(sandbox(), 0, "dir", __WASI_OFLAGS_DIRECTORY, 0, &d));
    if (open_at(d, 0, "..", __WASI_OFLAGS_DIRECTORY, 0, &up) == 0) {
        int32_t top;
        CHECK_FAILS(open_at(up, 0, "..", __WASI_OFLAGS_DIRECTORY, 0, &top));
        CHECK_FAILS(open_at(up, FOLLOW, "../outside/secret.txt", 0, 0, &top));
    }
    CHECK_FAILS(open_at(d, FOLLOW, "../../outside/secret.txt", 0, 0, &up));
    CHECK_FAILS(open_at(d, FOLLOW, "../../outside", __WASI_OFLAGS_DIRECTORY, 0, &up));
    libc_cannot_open("/sandbox/../outside/secret.txt");
    libc_cannot_open("/sandbox/dir/../../outside/secret.txt");
    libc_cannot_open("../outside/secret.txt");
}

static void absolute(int argc, char **argv)
{
    char secret[512];
    CHECK(argc == 2);
    if (argc != 2)
        return;
    snprintf(secret, sizeof secret, "%s/secret.txt", argv[1]);
    try_through(secret);
    try_through(argv[1]);
    try_through("/etc/passwd");
    try_through("/");
    try_through("/sandbox/hello.txt"); /* guest paths are not host paths */
    libc_cannot_open(secret);
    libc_cannot_open("/etc/passwd");
}

static void host_symlink_rel(int argc, char **argv)
{
    (void)argc, (void)argv;
    try_final_link("link_rel");
    try_final_link("linkdir");
    try_through("linkdir/secret.txt");
    try_through("linkdir/sub");
    try_through("linkdir/sub/file.txt");
    try_through("link_rel/x");
    libc_cannot_open("/sandbox/link_rel");
    libc_cannot_open("/sandbox/linkdir/secret.txt");
}

static void host_symlink_abs(int argc, char **argv)
{
    (void)argc, (void)argv;
    try_final_link("link_abs");
    try_final_link("linkdir_abs");
    try_through("linkdir_abs/secret.txt");
    try_through("linkdir_abs/sub/file.txt");
    libc_cannot_open("/sandbox/link_abs");
    libc_cannot_open("/sandbox/linkdir_abs/secret.txt");
}

/* Makes a symlink; whether a host allows the link to be created is its
 * choice, but following it must fail. */
static void guest_link(const char *target, const char *name, int is_dir)
{
    int32_t e = raw_path_symlink(PATH(target), sandbox(), PATH(name));
    printf("symlink %s -> %s: %s\n", name, target, e == 0 ? "created" : errno_name(e));
    if (e != 0)
        return;
    try_final_link(name);
    if (is_dir) {
        char p[512];
        snprintf(p, sizeof p, "%s/secret.txt", name);
        try_through(p);
        snprintf(p, sizeof p, "%s/sub/file.txt", name);
        try_through(p);
    }
}

static void guest_symlink(int argc, char **argv)
{
    CHECK(argc == 2);
    if (argc != 2)
        return;
    char abs_secret[512];
    snprintf(abs_secret, sizeof abs_secret, "%s/secret.txt", argv[1]);
    guest_link("../outside/secret.txt", "g_rel", 0);
    guest_link(abs_secret, "g_abs", 0);
    guest_link("../outside", "g_dir", 1);
    guest_link(argv[1], "g_dir_abs", 1);
    guest_link("dir/../../outside", "g_deep", 1);
    guest_link("g_rel", "g_chain", 0);
    guest_link("/etc/passwd", "g_etc", 0);
    guest_link("../../outside/secret.txt", "dir/g_up", 0);
    /* a symlink loop is an error, not a hang */
    CHECK_OK(raw_path_symlink(PATH("loop2"), sandbox(), PATH("loop1")));
    CHECK_OK(raw_path_symlink(PATH("loop1"), sandbox(), PATH("loop2")));
    int32_t fd;
    CHECK_ERR_IN(open_read(sandbox(), "loop1", &fd), __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTCAPABLE,
                 __WASI_ERRNO_PERM);
    libc_cannot_open("/sandbox/g_rel");
    libc_cannot_open("/sandbox/g_dir/secret.txt");
}

static void hardlink(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    CHECK_FAILS(raw_path_link(s, 0, PATH("../outside/secret.txt"), s, PATH("hl1")));
    CHECK_FAILS(raw_path_link(s, FOLLOW, PATH("../outside/secret.txt"), s, PATH("hl1")));
    CHECK_FAILS(raw_path_link(s, FOLLOW, PATH("link_rel"), s, PATH("hl2")));
    CHECK_FAILS(raw_path_link(s, FOLLOW, PATH("link_abs"), s, PATH("hl3")));
    CHECK_FAILS(raw_path_link(s, 0, PATH("linkdir/secret.txt"), s, PATH("hl4")));
    CHECK_FAILS(raw_path_link(s, FOLLOW, PATH("linkdir_abs/secret.txt"), s, PATH("hl5")));
    CHECK_FAILS(raw_path_link(s, 0, PATH("hello.txt"), s, PATH("../outside/hl6")));
    CHECK_FAILS(raw_path_link(s, 0, PATH("hello.txt"), s, PATH("linkdir/hl7")));
    /* linking the symlink itself (no FOLLOW) may make another symlink, never
     * a hard link to the outside file */
    int32_t e = raw_path_link(s, 0, PATH("link_rel"), s, PATH("hl8"));
    printf("link of link_rel without follow: %s\n", e == 0 ? "created" : errno_name(e));
    if (e == 0)
        try_final_link("hl8");
    /* through a directory fd opened inside */
    int32_t d;
    CHECK_OK(open_at(s, 0, "dir", __WASI_OFLAGS_DIRECTORY, 0, &d));
    CHECK_FAILS(raw_path_link(d, 0, PATH("../../outside/secret.txt"), s, PATH("hl9")));
    CHECK_FAILS(raw_path_link(s, 0, PATH("hello.txt"), d, PATH("../../outside/hl10")));
}

static void rename_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    CHECK_FAILS(raw_path_rename(s, PATH("hello.txt"), s, PATH("../outside/r1")));
    CHECK_FAILS(raw_path_rename(s, PATH("hello.txt"), s, PATH("linkdir/r2")));
    CHECK_FAILS(raw_path_rename(s, PATH("hello.txt"), s, PATH("linkdir_abs/r3")));
    CHECK_FAILS(raw_path_rename(s, PATH("hello.txt"), s, PATH("../outside/secret.txt")));
    CHECK_FAILS(raw_path_rename(s, PATH("hello.txt"), s, PATH("linkdir/secret.txt")));
    CHECK_FAILS(raw_path_rename(s, PATH("dir"), s, PATH("../outside/dir")));
    CHECK_FAILS(raw_path_rename(s, PATH("dir"), s, PATH("linkdir/sub")));
    CHECK_FAILS(raw_path_rename(s, PATH("../outside/secret.txt"), s, PATH("stolen1")));
    CHECK_FAILS(raw_path_rename(s, PATH("linkdir/secret.txt"), s, PATH("stolen2")));
    CHECK_FAILS(raw_path_rename(s, PATH("linkdir_abs/sub"), s, PATH("stolen3")));
    CHECK_FAILS(raw_path_rename(s, PATH("../outside"), s, PATH("stolen4")));
    CHECK_FAILS(raw_path_rename(s, PATH("."), s, PATH("../moved")));
    int32_t d;
    CHECK_OK(open_at(s, 0, "dir", __WASI_OFLAGS_DIRECTORY, 0, &d));
    CHECK_FAILS(raw_path_rename(d, PATH("a.txt"), d, PATH("../../outside/r5")));
    CHECK_FAILS(raw_path_rename(d, PATH("../../outside/secret.txt"), s, PATH("stolen5")));
    /* renaming a link that points outside moves the link, not its target */
    CHECK_OK(raw_path_rename(s, PATH("link_rel"), s, PATH("dir/moved_link")));
    try_final_link("dir/moved_link");
    char buf[64];
    CHECK_OK(read_file(s, "hello.txt", buf, sizeof buf));
}

/* Run with --dir-ro: every kind of write fails; reads work. */
static void readonly(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    char buf[64];
    CHECK_OK(read_file(s, "hello.txt", buf, sizeof buf));
    CHECK_STR(buf, "hello, sandbox\n");
    CHECK_OK(read_file(s, "dir/a.txt", buf, sizeof buf));

    /* opening for writing: refused, or writes through the fd fail */
    int32_t fd;
    int32_t e = open_at(s, 0, "hello.txt", 0, 0, &fd);
    printf("open hello.txt with write rights: %s\n", e == 0 ? "opened" : errno_name(e));
    if (e == 0) {
        CHECK_FAILS(write_str(fd, "PWNED"));
        __wasi_ciovec_t iov = {(const uint8_t *)"PWNED", 5};
        int32_t n;
        CHECK_FAILS(raw_fd_pwrite(fd, PTR(&iov), 1, 0, PTR(&n)));
        CHECK_FAILS(raw_fd_filestat_set_size(fd, 0));
        CHECK_FAILS(raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM));
        CHECK_FAILS(raw_fd_allocate(fd, 0, 4096));
        CHECK_OK(raw_fd_close(fd));
    }
    CHECK_FAILS(open_at(s, 0, "hello.txt", __WASI_OFLAGS_TRUNC, 0, &fd));
    CHECK_FAILS(open_at(s, 0, "new.txt", __WASI_OFLAGS_CREAT, 0, &fd));
    if (open_at(s, 0, "hello.txt", 0, __WASI_FDFLAGS_APPEND, &fd) == 0) {
        CHECK_FAILS(write_str(fd, "PWNED"));
        CHECK_OK(raw_fd_close(fd));
    }
    /* through an fd opened read-only */
    CHECK_OK(open_read(s, "data.bin", &fd));
    CHECK_FAILS(write_str(fd, "PWNED"));
    CHECK_FAILS(raw_fd_filestat_set_size(fd, 0));
    CHECK_FAILS(raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM));
    CHECK_FAILS(raw_fd_allocate(fd, 0, 4096));
    CHECK_OK(raw_fd_close(fd));
    /* the directory operations */
    CHECK_FAILS(raw_path_create_directory(s, PATH("newdir")));
    CHECK_FAILS(raw_path_remove_directory(s, PATH("empty")));
    CHECK_FAILS(raw_path_unlink_file(s, PATH("hello.txt")));
    CHECK_FAILS(raw_path_unlink_file(s, PATH("inner_link")));
    CHECK_FAILS(raw_path_rename(s, PATH("hello.txt"), s, PATH("renamed.txt")));
    CHECK_FAILS(raw_path_rename(s, PATH("dir/a.txt"), s, PATH("dir/z.txt")));
    CHECK_FAILS(raw_path_link(s, 0, PATH("hello.txt"), s, PATH("hl.txt")));
    CHECK_FAILS(raw_path_symlink(PATH("hello.txt"), s, PATH("sl")));
    CHECK_FAILS(raw_path_filestat_set_times(s, 0, PATH("hello.txt"), 0, 0,
                                            __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_ATIM));
    CHECK_FAILS(raw_path_filestat_set_times(s, FOLLOW, PATH("inner_link"), 0, 0,
                                            __WASI_FSTFLAGS_MTIM_NOW));
    /* a subdirectory opened from the read-only preopen is read-only too */
    int32_t d;
    CHECK_OK(open_at(s, 0, "dir", __WASI_OFLAGS_DIRECTORY, 0, &d));
    CHECK_FAILS(open_at(d, 0, "new.txt", __WASI_OFLAGS_CREAT, 0, &fd));
    CHECK_FAILS(raw_path_unlink_file(d, PATH("a.txt")));
    CHECK_FAILS(raw_path_create_directory(d, PATH("x")));
    CHECK_FAILS(raw_path_remove_directory(d, PATH("sub")));
    CHECK_FAILS(raw_path_rename(d, PATH("a.txt"), s, PATH("a.txt")));
    /* and through libc */
    FILE *f = fopen("/sandbox/new2.txt", "w");
    CHECK(f == NULL);
    if (f)
        fclose(f);
    f = fopen("/sandbox/hello.txt", "a");
    CHECK(f == NULL || fputs("PWNED", f) == EOF || fflush(f) != 0);
    if (f)
        fclose(f);
}

/* Run with --dir-ro outside::/ro beside the read-write /sandbox: the
 * read-only tree must stay so through the writable one — no hard link of a
 * read-only file into /sandbox (then written through), no renames either
 * way, no raising a directory fd's rights. */
static void cross(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t rw = sandbox(), ro = preopen_fd("/ro"), fd;
    char buf[64];
    CHECK_OK(read_file(ro, "secret.txt", buf, sizeof buf)); /* granted: readable */
    CHECK_STR(buf, "TOP SECRET\n");
    CHECK_FAILS(raw_path_link(ro, 0, PATH("secret.txt"), rw, PATH("hl.txt")));
    if (open_at(rw, 0, "hl.txt", 0, 0, &fd) == 0) {
        FAILF("opened a link to the read-only file for writing");
        (void)write_str(fd, "PWNED");
    }
    CHECK_FAILS(raw_path_rename(ro, PATH("secret.txt"), rw, PATH("moved.txt")));
    CHECK_FAILS(raw_path_rename(ro, PATH("sub"), rw, PATH("moved_dir")));
    CHECK_FAILS(raw_path_rename(rw, PATH("hello.txt"), ro, PATH("planted.txt")));
    CHECK_FAILS(raw_path_link(rw, 0, PATH("hello.txt"), ro, PATH("planted2.txt")));
    CHECK_FAILS(raw_path_symlink(PATH("secret.txt"), ro, PATH("sl")));
    int32_t d;
    CHECK_OK(open_at(ro, 0, "sub", __WASI_OFLAGS_DIRECTORY, 0, &d));
    CHECK_FAILS(__wasi_fd_fdstat_set_rights(d, ALL_RIGHTS, ALL_RIGHTS));
    CHECK_FAILS(open_at(d, 0, "new.txt", __WASI_OFLAGS_CREAT, 0, &fd));
    CHECK_FAILS(open_at(d, 0, "file.txt", __WASI_OFLAGS_TRUNC, 0, &fd));
    /* renumbered over the writable preopen, it keeps its own rights (last:
     * /sandbox is gone after this) */
    CHECK_OK(raw_fd_renumber(d, rw));
    CHECK_FAILS(open_at(rw, 0, "new2.txt", __WASI_OFLAGS_CREAT, 0, &fd));
}

static const TestCase cases[] = {
    {"dotdot", dotdot},
    {"absolute", absolute},
    {"host_symlink_rel", host_symlink_rel},
    {"host_symlink_abs", host_symlink_abs},
    {"guest_symlink", guest_symlink},
    {"hardlink", hardlink},
    {"rename", rename_case},
    {"readonly", readonly},
    {"cross", cross},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
