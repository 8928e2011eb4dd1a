/*
 * path.c — the path_* functions, relative to the /sandbox preopen (the tree
 * of fd.c, plus sandbox/inner_link -> hello.txt). One case per function or
 * path_open flag; the runner checks the host's files afterwards.
 */
#include "common.h"

#define HELLO "hello, sandbox\n"
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static __wasi_filestat_t stat_path(int32_t lookup, const char *path, int32_t want)
{
    __wasi_filestat_t st;
    memset(&st, 0, sizeof st);
    int32_t e = raw_path_filestat_get(sandbox(), lookup, PATH(path), PTR(&st));
    if (e != want)
        FAILF("path_filestat_get(%s): got %s, want %s", path, errno_name(e), errno_name(want));
    checks_run++;
    return st;
}

/* path_open with CREAT: a new file (runner: sandbox/new.txt is "created\n"),
 * CREAT on an existing file keeps it, no CREAT on a missing one is ENOENT. */
static void open_creat(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK_OK(write_file(sandbox(), "new.txt", "created\n"));
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "hello.txt", __WASI_OFLAGS_CREAT, 0, &fd));
    CHECK_OK(raw_fd_close(fd));
    char buf[64];
    CHECK_OK(read_file(sandbox(), "hello.txt", buf, sizeof buf));
    CHECK_STR(buf, HELLO);
    CHECK_ERR(open_at(sandbox(), 0, "missing.txt", 0, 0, &fd), __WASI_ERRNO_NOENT);
    CHECK_ERR(open_at(sandbox(), 0, "nodir/x.txt", __WASI_OFLAGS_CREAT, 0, &fd),
              __WASI_ERRNO_NOENT);
    /* a file in a subdirectory, through a directory fd */
    int32_t dir;
    CHECK_OK(open_at(sandbox(), 0, "dir", __WASI_OFLAGS_DIRECTORY, 0, &dir));
    CHECK_OK(write_file(dir, "c.txt", "in dir\n"));
    CHECK_OK(raw_fd_close(dir));
}

/* path_open with CREAT|EXCL: EEXIST on an existing file (even through a
 * symlink), a new file otherwise. */
static void open_excl(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    int32_t flags = __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL;
    CHECK_ERR(open_at(sandbox(), 0, "hello.txt", flags, 0, &fd), __WASI_ERRNO_EXIST);
    CHECK_ERR(open_at(sandbox(), FOLLOW, "inner_link", flags, 0, &fd), __WASI_ERRNO_EXIST);
    CHECK_ERR(open_at(sandbox(), 0, "dir", flags, 0, &fd), __WASI_ERRNO_EXIST);
    CHECK_OK(open_at(sandbox(), 0, "excl.txt", flags, 0, &fd));
    CHECK_OK(write_str(fd, "excl\n"));
    CHECK_OK(raw_fd_close(fd));
    CHECK_ERR(open_at(sandbox(), 0, "excl.txt", flags, 0, &fd), __WASI_ERRNO_EXIST);
}

/* path_open with TRUNC (runner: data.bin is empty, hello.txt intact). */
static void open_trunc(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "data.bin", __WASI_OFLAGS_TRUNC, 0, &fd));
    __wasi_filestat_t st;
    CHECK_OK(raw_fd_filestat_get(fd, PTR(&st)));
    CHECK_EQ(st.size, 0);
    CHECK_OK(raw_fd_close(fd));
    CHECK_ERR_IN(open_at(sandbox(), 0, "dir", __WASI_OFLAGS_TRUNC, 0, &fd), __WASI_ERRNO_ISDIR,
                 __WASI_ERRNO_INVAL);
}

/* path_open with DIRECTORY: a directory opens, a file is ENOTDIR. */
static void open_directory(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "dir", __WASI_OFLAGS_DIRECTORY, 0, &fd));
    __wasi_fdstat_t st;
    CHECK_OK(raw_fd_fdstat_get(fd, PTR(&st)));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    int32_t sub;
    CHECK_OK(open_at(fd, 0, "sub", __WASI_OFLAGS_DIRECTORY, 0, &sub));
    CHECK_OK(raw_fd_close(sub));
    CHECK_OK(raw_fd_close(fd));
    CHECK_ERR(open_at(sandbox(), 0, "hello.txt", __WASI_OFLAGS_DIRECTORY, 0, &fd),
              __WASI_ERRNO_NOTDIR);
    CHECK_ERR(open_at(sandbox(), 0, "hello.txt/", 0, 0, &fd), __WASI_ERRNO_NOTDIR);
    CHECK_ERR(open_at(sandbox(), 0, "missing", __WASI_OFLAGS_DIRECTORY, 0, &fd),
              __WASI_ERRNO_NOENT);
    /* ".", and ".." that stays inside */
    CHECK_OK(open_at(sandbox(), 0, ".", __WASI_OFLAGS_DIRECTORY, 0, &fd));
    CHECK_OK(raw_fd_close(fd));
    char buf[64];
    CHECK_OK(read_file(sandbox(), "dir/../hello.txt", buf, sizeof buf));
    CHECK_STR(buf, HELLO);
    CHECK_OK(read_file(sandbox(), "./dir/./a.txt", buf, sizeof buf));
    CHECK_STR(buf, "a\n");
}

/* path_open of a symlink: followed with SYMLINK_FOLLOW, refused without;
 * fdflags APPEND (runner: hello.txt ends with "appended\n"). */
static void open_symlink_append(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), FOLLOW, "inner_link", 0, 0, &fd));
    char buf[64];
    size_t len;
    CHECK_OK(read_fd(fd, buf, sizeof buf, &len));
    CHECK_STR(buf, HELLO);
    CHECK_OK(raw_fd_close(fd));
    CHECK_ERR_IN(open_at(sandbox(), 0, "inner_link", 0, 0, &fd), __WASI_ERRNO_LOOP,
                 __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_MLINK);
    CHECK_OK(open_at(sandbox(), 0, "hello.txt", 0, __WASI_FDFLAGS_APPEND, &fd));
    CHECK_OK(write_str(fd, "appended\n"));
    CHECK_OK(raw_fd_close(fd));
}

/* path_create_directory (runner: made/ and made/inner/ exist). */
static void mkdir_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK_OK(raw_path_create_directory(sandbox(), PATH("made")));
    CHECK_ERR(raw_path_create_directory(sandbox(), PATH("made")), __WASI_ERRNO_EXIST);
    CHECK_ERR(raw_path_create_directory(sandbox(), PATH("hello.txt")), __WASI_ERRNO_EXIST);
    CHECK_OK(raw_path_create_directory(sandbox(), PATH("made/inner")));
    CHECK_ERR(raw_path_create_directory(sandbox(), PATH("nodir/x")), __WASI_ERRNO_NOENT);
    CHECK_ERR(raw_path_create_directory(sandbox(), PATH("hello.txt/x")), __WASI_ERRNO_NOTDIR);
    __wasi_filestat_t st = stat_path(0, "made/inner", 0);
    CHECK_EQ(st.filetype, __WASI_FILETYPE_DIRECTORY);
}

/* path_remove_directory (runner: dir/sub/ and empty/ are gone, dir/ stays). */
static void rmdir_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK_ERR(raw_path_remove_directory(sandbox(), PATH("dir")), __WASI_ERRNO_NOTEMPTY);
    CHECK_OK(raw_path_remove_directory(sandbox(), PATH("dir/sub")));
    CHECK_OK(raw_path_remove_directory(sandbox(), PATH("empty")));
    CHECK_ERR(raw_path_remove_directory(sandbox(), PATH("empty")), __WASI_ERRNO_NOENT);
    CHECK_ERR(raw_path_remove_directory(sandbox(), PATH("hello.txt")), __WASI_ERRNO_NOTDIR);
    CHECK_FAILS(raw_path_remove_directory(sandbox(), PATH(".")));
}

/* path_unlink_file (runner: hello.txt and link_rel are gone; the outside
 * file link_rel pointed at is untouched). */
static void unlink_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK_OK(raw_path_unlink_file(sandbox(), PATH("hello.txt")));
    CHECK_ERR(raw_path_unlink_file(sandbox(), PATH("hello.txt")), __WASI_ERRNO_NOENT);
    CHECK_ERR_IN(raw_path_unlink_file(sandbox(), PATH("dir")), __WASI_ERRNO_ISDIR,
                 __WASI_ERRNO_PERM);
    CHECK_ERR(raw_path_unlink_file(sandbox(), PATH("data.bin/")), __WASI_ERRNO_NOTDIR);
    /* a symlink is removed itself, not its target */
    CHECK_OK(raw_path_unlink_file(sandbox(), PATH("link_rel")));
    stat_path(0, "link_rel", __WASI_ERRNO_NOENT);
}

/* path_rename: file, directory, over an existing file (runner checks). */
static void rename_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    CHECK_OK(raw_path_rename(s, PATH("hello.txt"), s, PATH("renamed.txt")));
    stat_path(0, "hello.txt", __WASI_ERRNO_NOENT);
    CHECK_OK(raw_path_rename(s, PATH("dir"), s, PATH("dir2")));
    CHECK_OK(raw_path_rename(s, PATH("dir2/a.txt"), s, PATH("dir2/b.txt"))); /* replaces */
    CHECK_ERR(raw_path_rename(s, PATH("missing"), s, PATH("x")), __WASI_ERRNO_NOENT);
    CHECK_ERR(raw_path_rename(s, PATH("data.bin"), s, PATH("nodir/x")), __WASI_ERRNO_NOENT);
    CHECK_ERR_IN(raw_path_rename(s, PATH("dir2"), s, PATH("data.bin")), __WASI_ERRNO_NOTDIR,
                 __WASI_ERRNO_ISDIR);
    CHECK_ERR_IN(raw_path_rename(s, PATH("data.bin"), s, PATH("empty")), __WASI_ERRNO_ISDIR,
                 __WASI_ERRNO_EXIST, __WASI_ERRNO_NOTEMPTY);
    /* across two directory fds */
    int32_t d;
    CHECK_OK(open_at(s, 0, "empty", __WASI_OFLAGS_DIRECTORY, 0, &d));
    CHECK_OK(raw_path_rename(s, PATH("data.bin"), d, PATH("moved.bin")));
    CHECK_OK(raw_fd_close(d));
}

/* path_link: a hard link (runner: hl.txt has hello.txt's inode). */
static void link_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    CHECK_OK(raw_path_link(s, 0, PATH("hello.txt"), s, PATH("hl.txt")));
    __wasi_filestat_t a = stat_path(0, "hello.txt", 0), b = stat_path(0, "hl.txt", 0);
    CHECK_EQ(a.ino, b.ino);
    CHECK_EQ(a.nlink, 2);
    CHECK_ERR(raw_path_link(s, 0, PATH("hello.txt"), s, PATH("hl.txt")), __WASI_ERRNO_EXIST);
    CHECK_ERR(raw_path_link(s, 0, PATH("missing"), s, PATH("x")), __WASI_ERRNO_NOENT);
    CHECK_ERR_IN(raw_path_link(s, 0, PATH("dir"), s, PATH("dirlink")), __WASI_ERRNO_PERM,
                 __WASI_ERRNO_ISDIR, __WASI_ERRNO_ACCES);
    /* following a symlink inside the sandbox links its target */
    CHECK_OK(raw_path_link(s, FOLLOW, PATH("inner_link"), s, PATH("hl2.txt")));
    b = stat_path(0, "hl2.txt", 0);
    CHECK_EQ(b.filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(b.ino, a.ino);
}

/* path_symlink + path_readlink (runner: sl -> hello.txt, dsl -> dir). */
static void symlink_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    CHECK_OK(raw_path_symlink(PATH("hello.txt"), s, PATH("sl")));
    CHECK_OK(raw_path_symlink(PATH("dir"), s, PATH("dsl")));
    CHECK_ERR(raw_path_symlink(PATH("x"), s, PATH("hello.txt")), __WASI_ERRNO_EXIST);
    char buf[64];
    int32_t used = 0;
    CHECK_OK(raw_path_readlink(s, PATH("sl"), PTR(buf), sizeof buf, PTR(&used)));
    CHECK_EQ(used, 9);
    CHECK(memcmp(buf, "hello.txt", 9) == 0);
    CHECK_OK(read_file(s, "sl", buf, sizeof buf));
    CHECK_STR(buf, HELLO);
    CHECK_OK(read_file(s, "dsl/a.txt", buf, sizeof buf));
    CHECK_STR(buf, "a\n");
    /* a dangling symlink can be made; opening it is ENOENT */
    CHECK_OK(raw_path_symlink(PATH("nowhere"), s, PATH("dangling")));
    int32_t fd;
    CHECK_ERR(open_read(s, "dangling", &fd), __WASI_ERRNO_NOENT);
}

/* path_readlink: whole, into a short buffer, on a non-link. */
static void readlink_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    char buf[64];
    int32_t used = 0;
    CHECK_OK(raw_path_readlink(s, PATH("inner_link"), PTR(buf), sizeof buf, PTR(&used)));
    CHECK_EQ(used, 9);
    CHECK(memcmp(buf, "hello.txt", 9) == 0);
    /* reading a link that points outside is fine: it is only text */
    CHECK_OK(raw_path_readlink(s, PATH("link_rel"), PTR(buf), sizeof buf, PTR(&used)));
    CHECK_EQ(used, 21);
    CHECK(memcmp(buf, "../outside/secret.txt", 21) == 0);
    /* a short buffer: truncated, or ERANGE */
    memset(buf, '#', sizeof buf);
    int32_t e = raw_path_readlink(s, PATH("inner_link"), PTR(buf), 4, PTR(&used));
    CHECK(e == 0 || e == __WASI_ERRNO_RANGE);
    if (e == 0) {
        CHECK_EQ(used, 4);
        CHECK(memcmp(buf, "hell#", 5) == 0);
    }
    CHECK_ERR(raw_path_readlink(s, PATH("hello.txt"), PTR(buf), sizeof buf, PTR(&used)),
              __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_path_readlink(s, PATH("missing"), PTR(buf), sizeof buf, PTR(&used)),
              __WASI_ERRNO_NOENT);
}

/* path_filestat_get: types, sizes, following links or not. */
static void filestat_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_filestat_t st = stat_path(0, "hello.txt", 0);
    CHECK_EQ(st.filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(st.size, 15);
    st = stat_path(0, "dir", 0);
    CHECK_EQ(st.filetype, __WASI_FILETYPE_DIRECTORY);
    st = stat_path(0, "inner_link", 0);
    CHECK_EQ(st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
    CHECK_EQ(st.size, 9);
    st = stat_path(FOLLOW, "inner_link", 0);
    CHECK_EQ(st.filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(st.size, 15);
    st = stat_path(0, "dir/sub", 0);
    CHECK_EQ(st.filetype, __WASI_FILETYPE_DIRECTORY);
    stat_path(0, "missing", __WASI_ERRNO_NOENT);
    stat_path(0, "hello.txt/x", __WASI_ERRNO_NOTDIR);
}

/* path_filestat_set_times: explicit, through a followed symlink, "now"
 * (runner: hello.txt has atime 1000000000 and mtime 1300000000). */
static void set_times_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox();
    CHECK_OK(raw_path_filestat_set_times(s, 0, PATH("hello.txt"), 1000000000ll * 1000000000ll,
                                         1234567890ll * 1000000000ll,
                                         __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    __wasi_filestat_t st = stat_path(0, "hello.txt", 0);
    CHECK_EQ(st.mtim / 1000000000ull, 1234567890);
    /* through a symlink with SYMLINK_FOLLOW: the target (hello.txt) changes */
    CHECK_OK(raw_path_filestat_set_times(s, FOLLOW, PATH("inner_link"), 0,
                                         1300000000ll * 1000000000ll, __WASI_FSTFLAGS_MTIM));
    st = stat_path(0, "hello.txt", 0);
    CHECK_EQ(st.mtim / 1000000000ull, 1300000000);
    CHECK_OK(raw_path_filestat_set_times(s, 0, PATH("data.bin"), 0, 0,
                                         __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    CHECK_ERR(raw_path_filestat_set_times(s, 0, PATH("data.bin"), 0, 0,
                                          __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
              __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_path_filestat_set_times(s, 0, PATH("missing"), 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
              __WASI_ERRNO_NOENT);
}

static const TestCase cases[] = {
    {"open_creat", open_creat},
    {"open_excl", open_excl},
    {"open_trunc", open_trunc},
    {"open_directory", open_directory},
    {"open_symlink_append", open_symlink_append},
    {"mkdir", mkdir_case},
    {"rmdir", rmdir_case},
    {"unlink", unlink_case},
    {"rename", rename_case},
    {"link", link_case},
    {"symlink", symlink_case},
    {"readlink", readlink_case},
    {"filestat", filestat_case},
    {"set_times", set_times_case},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
