/*
 * fd.c — the fd_* functions on files of the test tree (run.sh makes it):
 *   sandbox/hello.txt  "hello, sandbox\n" (15 bytes)
 *   sandbox/data.bin   "0123456789abcdefghij" (20 bytes)
 *   sandbox/dir/       a.txt ("a\n"), b.txt ("bb\n"), sub/
 *   sandbox/empty/     an empty directory
 * preopened as /sandbox. One case per function; the runner checks the
 * host's files afterwards where a case writes.
 */
#include "common.h"

#define HELLO "hello, sandbox\n"
#define DATA "0123456789abcdefghij"

static int32_t open_rw(const char *path)
{
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, path, 0, 0, &fd));
    return fd;
}

static uint64_t tell(int32_t fd)
{
    uint64_t pos = 0;
    CHECK_OK(raw_fd_tell(fd, PTR(&pos)));
    return pos;
}

static uint64_t file_size(int32_t fd)
{
    __wasi_filestat_t st;
    memset(&st, 0, sizeof st);
    CHECK_OK(raw_fd_filestat_get(fd, PTR(&st)));
    return st.size;
}

/* fd_read: scattered into two buffers, then EOF. */
static void read_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "hello.txt", &fd));
    char a[5], b[100];
    memset(b, 0, sizeof b);
    __wasi_iovec_t iov[2] = {{(uint8_t *)a, sizeof a}, {(uint8_t *)b, sizeof b}};
    int32_t n = 0;
    CHECK_OK(raw_fd_read(fd, PTR(iov), 2, PTR(&n)));
    CHECK_EQ(n, 15);
    CHECK(memcmp(a, "hello", 5) == 0);
    CHECK_STR(b, ", sandbox\n");
    CHECK_OK(raw_fd_read(fd, PTR(iov), 2, PTR(&n)));
    CHECK_EQ(n, 0);
    /* zero iovecs, and an iovec of length 0 */
    CHECK_OK(raw_fd_read(fd, PTR(iov), 0, PTR(&n)));
    CHECK_EQ(n, 0);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_write: gathered from three buffers into a new file (runner checks
 * sandbox/w.txt is "abcdef-gh"). */
static void write_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "w.txt", __WASI_OFLAGS_CREAT, 0, &fd));
    __wasi_ciovec_t iov[3] = {{(const uint8_t *)"abc", 3}, {(const uint8_t *)"def", 3},
                              {(const uint8_t *)"-gh", 3}};
    int32_t n = 0;
    CHECK_OK(raw_fd_write(fd, PTR(iov), 3, PTR(&n)));
    CHECK_EQ(n, 9);
    CHECK_EQ(tell(fd), 9);
    CHECK_OK(raw_fd_write(fd, PTR(iov), 0, PTR(&n)));
    CHECK_EQ(n, 0);
    CHECK_OK(raw_fd_close(fd));
    /* stdout and stderr are fds 1 and 2 */
    CHECK_OK(write_str(1, "to stdout\n"));
    CHECK_OK(write_str(2, "to stderr\n"));
}

/* fd_pread: at an offset, without moving the position. */
static void pread_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "data.bin", &fd));
    char buf[8] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, 5};
    int32_t n = 0;
    CHECK_OK(raw_fd_pread(fd, PTR(&iov), 1, 10, PTR(&n)));
    CHECK_EQ(n, 5);
    CHECK_STR(buf, "abcde");
    CHECK_EQ(tell(fd), 0);
    /* short read at the end, nothing past it */
    CHECK_OK(raw_fd_pread(fd, PTR(&iov), 1, 18, PTR(&n)));
    CHECK_EQ(n, 2);
    CHECK_OK(raw_fd_pread(fd, PTR(&iov), 1, 100, PTR(&n)));
    CHECK_EQ(n, 0);
    /* a plain read still starts at 0 */
    CHECK_OK(raw_fd_read(fd, PTR(&iov), 1, PTR(&n)));
    CHECK_EQ(n, 5);
    CHECK(memcmp(buf, "01234", 5) == 0);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_pwrite: at offsets, without moving the position (runner checks
 * data.bin is "012XY56789abcdefghij" followed by 5 zero bytes and "END"). */
static void pwrite_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd = open_rw("data.bin");
    __wasi_ciovec_t iov = {(const uint8_t *)"XY", 2};
    int32_t n = 0;
    CHECK_OK(raw_fd_pwrite(fd, PTR(&iov), 1, 3, PTR(&n)));
    CHECK_EQ(n, 2);
    CHECK_EQ(tell(fd), 0);
    __wasi_ciovec_t end = {(const uint8_t *)"END", 3};
    CHECK_OK(raw_fd_pwrite(fd, PTR(&end), 1, 25, PTR(&n)));
    CHECK_EQ(n, 3);
    CHECK_EQ(file_size(fd), 28);
    CHECK_EQ(tell(fd), 0);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_seek: each whence, past the end, and the invalid cases. */
static void seek_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "data.bin", &fd));
    uint64_t pos = 99;
    CHECK_OK(raw_fd_seek(fd, 5, __WASI_WHENCE_SET, PTR(&pos)));
    CHECK_EQ(pos, 5);
    CHECK_OK(raw_fd_seek(fd, 3, __WASI_WHENCE_CUR, PTR(&pos)));
    CHECK_EQ(pos, 8);
    CHECK_OK(raw_fd_seek(fd, -2, __WASI_WHENCE_CUR, PTR(&pos)));
    CHECK_EQ(pos, 6);
    CHECK_OK(raw_fd_seek(fd, -2, __WASI_WHENCE_END, PTR(&pos)));
    CHECK_EQ(pos, 18);
    char buf[4] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, 3};
    int32_t n = 0;
    CHECK_OK(raw_fd_read(fd, PTR(&iov), 1, PTR(&n)));
    CHECK_EQ(n, 2);
    CHECK_STR(buf, "ij");
    CHECK_OK(raw_fd_seek(fd, 10, __WASI_WHENCE_END, PTR(&pos)));
    CHECK_EQ(pos, 30);
    CHECK_OK(raw_fd_seek(fd, 0, __WASI_WHENCE_CUR, PTR(&pos)));
    CHECK_EQ(pos, 30);
    /* before the start: EINVAL, and the position does not move */
    CHECK_ERR(raw_fd_seek(fd, -1, __WASI_WHENCE_SET, PTR(&pos)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_seek(fd, -31, __WASI_WHENCE_CUR, PTR(&pos)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_seek(fd, -21, __WASI_WHENCE_END, PTR(&pos)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_seek(fd, INT64_MIN, __WASI_WHENCE_CUR, PTR(&pos)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_seek(fd, 0, 3, PTR(&pos)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_seek(fd, 0, 255, PTR(&pos)), __WASI_ERRNO_INVAL);
    CHECK_EQ(tell(fd), 30);
    CHECK_OK(raw_fd_close(fd));
    /* a directory is not seekable like a file */
    CHECK_FAILS(raw_fd_seek(sandbox(), 1, __WASI_WHENCE_SET, PTR(&pos)));
}

/* fd_tell: follows reads, writes and seeks. */
static void tell_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd = open_rw("data.bin");
    CHECK_EQ(tell(fd), 0);
    char buf[4];
    __wasi_iovec_t iov = {(uint8_t *)buf, 4};
    int32_t n;
    CHECK_OK(raw_fd_read(fd, PTR(&iov), 1, PTR(&n)));
    CHECK_EQ(tell(fd), 4);
    CHECK_OK(write_str(fd, "ZZ"));
    CHECK_EQ(tell(fd), 6);
    uint64_t pos;
    CHECK_OK(raw_fd_seek(fd, 0, __WASI_WHENCE_END, PTR(&pos)));
    CHECK_EQ(tell(fd), 20);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_sync and fd_datasync on a written file. */
static void sync_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "synced.txt", __WASI_OFLAGS_CREAT, 0, &fd));
    CHECK_OK(write_str(fd, "synced\n"));
    CHECK_OK(raw_fd_sync(fd));
    CHECK_OK(raw_fd_datasync(fd));
    CHECK_OK(raw_fd_close(fd));
    CHECK_ERR(raw_fd_sync(fd), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_datasync(fd), __WASI_ERRNO_BADF);
}

/* fd_advise: every advice is accepted; an unknown one is EINVAL. */
static void advise_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "data.bin", 0, 0, &fd));
    for (int32_t a = __WASI_ADVICE_NORMAL; a <= __WASI_ADVICE_NOREUSE; a++)
        CHECK_OK(raw_fd_advise(fd, 0, 10, a));
    CHECK_ERR(raw_fd_advise(fd, 0, 10, 6), __WASI_ERRNO_INVAL);
    CHECK_OK(raw_fd_close(fd));
    CHECK_ERR(raw_fd_advise(fd, 0, 10, 0), __WASI_ERRNO_BADF);
    /* without the FD_ADVISE right: ENOTCAPABLE */
    CHECK_OK(open_read(sandbox(), "data.bin", &fd));
    CHECK_ERR(raw_fd_advise(fd, 0, 10, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_allocate: grows a file to offset+len, never shrinks it (runner checks
 * sandbox/alloc.bin is 100 bytes). */
static void allocate_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "alloc.bin", __WASI_OFLAGS_CREAT, 0, &fd));
    CHECK_OK(raw_fd_allocate(fd, 0, 100));
    CHECK_EQ(file_size(fd), 100);
    CHECK_OK(raw_fd_allocate(fd, 10, 20));
    CHECK_EQ(file_size(fd), 100);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_fdstat_get: file types, flags and rights. */
static void fdstat_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_fdstat_t st;
    CHECK_OK(raw_fd_fdstat_get(sandbox(), PTR(&st)));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "hello.txt", &fd));
    CHECK_OK(raw_fd_fdstat_get(fd, PTR(&st)));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(st.fs_flags, 0);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READ);
    CHECK_OK(raw_fd_close(fd));
    CHECK_OK(open_at(sandbox(), 0, "hello.txt", 0, __WASI_FDFLAGS_APPEND, &fd));
    CHECK_OK(raw_fd_fdstat_get(fd, PTR(&st)));
    CHECK_EQ(st.fs_flags & __WASI_FDFLAGS_APPEND, __WASI_FDFLAGS_APPEND);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
    CHECK_OK(raw_fd_close(fd));
    /* stdio: the runner gives /dev/null as stdin, files as stdout/stderr */
    CHECK_OK(raw_fd_fdstat_get(0, PTR(&st)));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_CHARACTER_DEVICE);
    CHECK_OK(raw_fd_fdstat_get(1, PTR(&st)));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_OK(raw_fd_fdstat_get(2, PTR(&st)));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_ERR(raw_fd_fdstat_get(50, PTR(&st)), __WASI_ERRNO_BADF);
}

/* fd_fdstat_set_flags: APPEND on, then off (runner checks data.bin is
 * "A123456789abcdefghijZ"). */
static void set_flags_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd = open_rw("data.bin");
    CHECK_OK(raw_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    __wasi_fdstat_t st;
    CHECK_OK(raw_fd_fdstat_get(fd, PTR(&st)));
    CHECK_EQ(st.fs_flags & __WASI_FDFLAGS_APPEND, __WASI_FDFLAGS_APPEND);
    CHECK_OK(write_str(fd, "Z")); /* at the end, although the position was 0 */
    CHECK_OK(raw_fd_fdstat_set_flags(fd, 0));
    CHECK_OK(raw_fd_fdstat_get(fd, PTR(&st)));
    CHECK_EQ(st.fs_flags & __WASI_FDFLAGS_APPEND, 0);
    uint64_t pos;
    CHECK_OK(raw_fd_seek(fd, 0, __WASI_WHENCE_SET, PTR(&pos)));
    CHECK_OK(write_str(fd, "A")); /* at the position */
    CHECK_OK(raw_fd_close(fd));
}

/* fd_filestat_get: compared with the host's stat, passed by the runner as
 * argv: INODE SIZE MTIME_SECONDS NLINK. */
static void filestat_case(int argc, char **argv)
{
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "hello.txt", &fd));
    __wasi_filestat_t st;
    CHECK_OK(raw_fd_filestat_get(fd, PTR(&st)));
    CHECK_EQ(st.filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(st.size, 15);
    CHECK(argc == 5);
    if (argc == 5) {
        CHECK_EQ(st.ino, strtoull(argv[1], NULL, 10));
        CHECK_EQ(st.size, strtoull(argv[2], NULL, 10));
        CHECK_EQ(st.mtim / 1000000000ull, strtoull(argv[3], NULL, 10));
        CHECK_EQ(st.nlink, strtoull(argv[4], NULL, 10));
    }
    CHECK(st.atim > 0 && st.ctim > 0);
    CHECK_OK(raw_fd_close(fd));
    CHECK_OK(raw_fd_filestat_get(sandbox(), PTR(&st)));
    CHECK_EQ(st.filetype, __WASI_FILETYPE_DIRECTORY);
    CHECK_ERR(raw_fd_filestat_get(fd, PTR(&st)), __WASI_ERRNO_BADF);
}

/* fd_filestat_set_size: truncate, then extend (runner checks data.bin is
 * "01234" and 25 zero bytes). */
static void set_size_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd = open_rw("data.bin");
    CHECK_OK(raw_fd_filestat_set_size(fd, 5));
    CHECK_EQ(file_size(fd), 5);
    CHECK_OK(raw_fd_filestat_set_size(fd, 30));
    CHECK_EQ(file_size(fd), 30);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_filestat_set_times: explicit times and "now" (runner checks
 * hello.txt has atime 1000000000 and mtime 1234567890; data.bin's mtime
 * is within a minute of now). */
static void set_times_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd = open_rw("hello.txt");
    CHECK_OK(raw_fd_filestat_set_times(fd, 1000000000ll * 1000000000ll,
                                       1234567890ll * 1000000000ll + 500,
                                       __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    __wasi_filestat_t st;
    CHECK_OK(raw_fd_filestat_get(fd, PTR(&st)));
    CHECK_EQ(st.mtim / 1000000000ull, 1234567890);
    CHECK_EQ(st.atim / 1000000000ull, 1000000000);
    /* a time and "now" for the same field is EINVAL */
    CHECK_ERR(raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
              __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
              __WASI_ERRNO_INVAL);
    CHECK_OK(raw_fd_close(fd));
    fd = open_rw("data.bin");
    CHECK_OK(raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    CHECK_OK(raw_fd_close(fd));
}

/* Reads every entry of directory fd with a buffer of `bufsize` bytes,
 * resuming from the cookie of the last whole entry; appends "name:type "
 * for each except . and .. to out (sorted by the caller's expectations:
 * the order is the host's, so the runner-side string is compared as a set
 * via a count and a search). Returns the number of entries seen. */
static int read_dir(int32_t fd, size_t bufsize, char *out, size_t outcap, int *dots)
{
    static uint8_t buf[4096];
    uint64_t cookie = 0;
    int entries = 0, rounds = 0;
    out[0] = '\0';
    *dots = 0;
    for (;;) {
        int32_t used = 0;
        int32_t e = raw_fd_readdir(fd, PTR(buf), (int32_t)bufsize, (int64_t)cookie, PTR(&used));
        if (e != 0) {
            FAILF("fd_readdir: %s", errno_name(e));
            return entries;
        }
        if (++rounds > 1000) {
            FAILF("fd_readdir: no end after 1000 calls");
            return entries;
        }
        size_t off = 0;
        int whole = 0;
        while (off + sizeof(__wasi_dirent_t) <= (size_t)used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + off, sizeof d);
            if (off + sizeof d + d.d_namlen > (size_t)used)
                break; /* cut off: read it again from its cookie */
            char name[256];
            size_t len = d.d_namlen < 255 ? d.d_namlen : 255;
            memcpy(name, buf + off + sizeof d, len);
            name[len] = '\0';
            if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
                (*dots)++;
            } else {
                size_t o = strlen(out);
                snprintf(out + o, outcap - o, "%s:%d ", name, d.d_type);
            }
            entries++;
            whole++;
            cookie = d.d_next;
            off += sizeof d + d.d_namlen;
        }
        if ((size_t)used < bufsize)
            return entries; /* the end */
        if (whole == 0) {
            FAILF("fd_readdir: an entry does not fit in %zu bytes", bufsize);
            return entries;
        }
    }
}

/* fd_readdir: dir/ with a big buffer and with a tiny one (several calls,
 * cookies), an empty directory, a file. Prints the entries, one line each
 * way, for the runner to compare. */
static void readdir_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_at(sandbox(), 0, "dir", __WASI_OFLAGS_DIRECTORY, 0, &fd));
    char big[1024], small[1024];
    int dots;
    int n = read_dir(fd, 4096, big, sizeof big, &dots);
    CHECK_EQ(n - dots, 3);
    CHECK(dots == 0 || dots == 2);
    CHECK(strstr(big, "a.txt:4 ") != NULL);
    CHECK(strstr(big, "b.txt:4 ") != NULL);
    CHECK(strstr(big, "sub:3 ") != NULL);
    /* 24-byte header + name: 40 bytes hold one entry at a time */
    int m = read_dir(fd, 40, small, sizeof small, &dots);
    CHECK_EQ(m, n);
    CHECK_STR(small, big);
    printf("entries: %s\n", big);
    /* past the end: nothing */
    int32_t used = -1;
    static uint8_t buf[256];
    CHECK_OK(raw_fd_readdir(fd, PTR(buf), sizeof buf, 1000000, PTR(&used)));
    CHECK_EQ(used, 0);
    CHECK_OK(raw_fd_close(fd));

    CHECK_OK(open_at(sandbox(), 0, "empty", __WASI_OFLAGS_DIRECTORY, 0, &fd));
    n = read_dir(fd, 4096, big, sizeof big, &dots);
    CHECK_EQ(n - dots, 0);
    CHECK_OK(raw_fd_close(fd));

    CHECK_OK(open_read(sandbox(), "hello.txt", &fd));
    CHECK_ERR_IN(raw_fd_readdir(fd, PTR(buf), sizeof buf, 0, PTR(&used)), __WASI_ERRNO_NOTDIR,
                 __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(raw_fd_close(fd));
}

/* fd_renumber: moves one open file over another. */
static void renumber_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t a, b;
    CHECK_OK(open_read(sandbox(), "hello.txt", &a));
    CHECK_OK(open_read(sandbox(), "data.bin", &b));
    CHECK_OK(raw_fd_renumber(a, b));
    char buf[64];
    size_t len;
    CHECK_OK(read_fd(b, buf, sizeof buf, &len));
    CHECK_STR(buf, HELLO);
    CHECK_ERR(raw_fd_read(a, PTR(buf), 0, PTR(&len)), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_close(a), __WASI_ERRNO_BADF);
    /* onto itself: nothing changes */
    CHECK_OK(raw_fd_renumber(b, b));
    uint64_t pos = 1;
    CHECK_OK(raw_fd_seek(b, 0, __WASI_WHENCE_SET, PTR(&pos)));
    CHECK_OK(read_fd(b, buf, sizeof buf, &len));
    CHECK_STR(buf, HELLO);
    /* from or to an fd that is not open */
    CHECK_ERR(raw_fd_renumber(a, b), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_renumber(b, 60), __WASI_ERRNO_BADF);
    CHECK_OK(raw_fd_close(b));
    /* stdout renumbered onto a file, then written through */
    int32_t f;
    CHECK_OK(open_at(sandbox(), 0, "renumbered.txt", __WASI_OFLAGS_CREAT, 0, &f));
    CHECK_OK(raw_fd_renumber(f, 1));
    CHECK_OK(write_str(1, "via fd 1\n")); /* runner: lands in renumbered.txt */
}

/* fd_close: once, then EBADF for it and for every use of it. */
static void close_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "hello.txt", &fd));
    CHECK_OK(raw_fd_close(fd));
    CHECK_ERR(raw_fd_close(fd), __WASI_ERRNO_BADF);
    char buf[4];
    __wasi_iovec_t iov = {(uint8_t *)buf, 4};
    int32_t n;
    CHECK_ERR(raw_fd_read(fd, PTR(&iov), 1, PTR(&n)), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_close(40), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_close(-1), __WASI_ERRNO_BADF);
    /* the fd number is reused */
    int32_t again;
    CHECK_OK(open_read(sandbox(), "data.bin", &again));
    CHECK_EQ(again, fd);
    CHECK_OK(raw_fd_close(again));
}

/* fd_prestat_get / fd_prestat_dir_name: prints every preopen as
 * "preopen FD NAME"; fds that are not preopens are EBADF. */
static void prestat_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_prestat_t ps;
    int32_t fd = 3;
    for (;; fd++) {
        int32_t e = raw_fd_prestat_get(fd, PTR(&ps));
        if (e == __WASI_ERRNO_BADF)
            break;
        CHECK_OK(e);
        if (e != 0)
            break;
        CHECK_EQ(ps.tag, __WASI_PREOPENTYPE_DIR);
        char name[256] = {0};
        CHECK(ps.u.dir.pr_name_len < sizeof name);
        CHECK_OK(raw_fd_prestat_dir_name(fd, PTR(name), (int32_t)ps.u.dir.pr_name_len));
        CHECK_EQ(strlen(name), ps.u.dir.pr_name_len);
        printf("preopen %d %s\n", (int)fd, name);
    }
    CHECK_ERR(raw_fd_prestat_get(0, PTR(&ps)), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_prestat_get(1, PTR(&ps)), __WASI_ERRNO_BADF);
    int32_t file;
    CHECK_OK(open_read(sandbox(), "hello.txt", &file));
    CHECK_ERR(raw_fd_prestat_get(file, PTR(&ps)), __WASI_ERRNO_BADF);
    char name[8];
    CHECK_ERR(raw_fd_prestat_dir_name(file, PTR(name), sizeof name), __WASI_ERRNO_BADF);
}

static const TestCase cases[] = {
    {"read", read_case},         {"write", write_case},
    {"pread", pread_case},       {"pwrite", pwrite_case},
    {"seek", seek_case},         {"tell", tell_case},
    {"sync", sync_case},         {"advise", advise_case},
    {"allocate", allocate_case}, {"fdstat", fdstat_case},
    {"set_flags", set_flags_case}, {"filestat", filestat_case},
    {"set_size", set_size_case}, {"set_times", set_times_case},
    {"readdir", readdir_case},   {"renumber", renumber_case},
    {"close", close_case},       {"prestat", prestat_case},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
