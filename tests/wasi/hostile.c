/*
 * hostile.c — WASI calls with arguments no honest libc passes: pointers at
 * and past the end of linear memory, ranges that wrap around 2^32, huge
 * lengths and counts, negative offsets, fds never opened, stdio closed.
 * The host must answer with an errno (EFAULT for memory it cannot touch,
 * EBADF, EINVAL, ...) and never crash or touch memory outside the guest's.
 * Needs the /sandbox preopen (with hello.txt).
 */
#include "common.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define FAULT __WASI_ERRNO_FAULT
#define INVAL __WASI_ERRNO_INVAL
#define BADF __WASI_ERRNO_BADF

/* A guest address as an i32 (may point anywhere). */
#define ADDR(x) ((int32_t)(uint32_t)(x))

static int32_t sink(void)
{
    static int32_t fd = -1;
    if (fd < 0)
        CHECK_OK(open_at(sandbox(), 0, "sink.bin", __WASI_OFLAGS_CREAT, 0, &fd));
    return fd;
}

static int32_t hello(void)
{
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "hello.txt", &fd));
    return fd;
}

/* Grows memory by one page, which nothing else uses, and returns the new
 * end of memory: the bytes just below it are the case's to scribble on. */
static uint32_t fresh_end(void)
{
    if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1) {
        report("memory.grow failed\n");
        exit(4);
    }
    return mem_end();
}

/* Grows memory by a page and checks it is all zero: a host that wrote past
 * the end of memory would have left bytes there (or crashed). */
static void check_fresh_page(void)
{
    uint32_t end = mem_end();
    if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1) {
        FAILF("memory.grow failed");
        return;
    }
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)end;
    for (uint32_t i = 0; i < 65536; i++) {
        if (p[i] != 0) {
            FAILF("byte %u past the old end of memory is %u", i, p[i]);
            return;
        }
    }
    checks_run++;
}

/* The iovec array itself at or past the end of memory, or wrapping. */
static void iov_end(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t end = fresh_end();
    int32_t n = 0, in = hello(), out = sink();
    uint32_t places[] = {end - 4, end, end + 8, 0xfffffffcu, 0xfffffff8u};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        int32_t iovs = ADDR(places[i]);
        CHECK_ERR(raw_fd_write(out, iovs, 1, PTR(&n)), FAULT);
        CHECK_ERR(raw_fd_read(in, iovs, 1, PTR(&n)), FAULT);
        CHECK_ERR(raw_fd_pwrite(out, iovs, 1, 0, PTR(&n)), FAULT);
        CHECK_ERR(raw_fd_pread(in, iovs, 1, 0, PTR(&n)), FAULT);
        CHECK_FAILS(raw_sock_recv(in, iovs, 1, 0, PTR(&n), PTR(&n)));
    }
    /* the last whole iovec of memory is fine */
    __wasi_ciovec_t *last = (__wasi_ciovec_t *)(uintptr_t)(end - sizeof(__wasi_ciovec_t));
    last->buf = (const uint8_t *)"ok";
    last->buf_len = 2;
    CHECK_OK(raw_fd_write(out, PTR(last), 1, PTR(&n)));
    CHECK_EQ(n, 2);
    check_fresh_page();
}

/* Buffers that run past the end of memory or wrap around 2^32. */
static void iov_wrap(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t end = fresh_end();
    int32_t n = 0, in = hello(), out = sink();
    struct {
        uint32_t buf, len;
    } bad[] = {
        {end - 2, 4},          {end, 1},          {end + 100, 1},
        {0xfffffff0u, 0x20},   {0x10, 0xfffffff8u}, {0, 0xffffffffu},
        {end - 1, 0x80000000u}, {1, end},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t iov[2] = {bad[i].buf, bad[i].len};
        CHECK_ERR(raw_fd_write(out, PTR(iov), 1, PTR(&n)), FAULT);
        CHECK_ERR(raw_fd_read(in, PTR(iov), 1, PTR(&n)), FAULT);
        CHECK_ERR(raw_fd_pread(in, PTR(iov), 1, 0, PTR(&n)), FAULT);
        CHECK_ERR(raw_fd_pwrite(out, PTR(iov), 1, 0, PTR(&n)), FAULT);
        CHECK_ERR(raw_random_get(ADDR(bad[i].buf), ADDR(bad[i].len)), FAULT);
    }
    /* a good iovec followed by a bad one: still EFAULT, nothing past the end */
    char ok[4] = "abc";
    uint32_t two[4] = {(uint32_t)(uintptr_t)ok, 3, end - 1, 2};
    CHECK_ERR(raw_fd_read(in, PTR(two), 2, PTR(&n)), FAULT);
    CHECK_ERR(raw_fd_write(out, PTR(two), 2, PTR(&n)), FAULT);
    /* exactly the last 4 bytes of memory: fine, both ways */
    uint32_t last[2] = {end - 4, 4};
    CHECK_OK(raw_fd_read(in, PTR(last), 1, PTR(&n)));
    CHECK_EQ(n, 4);
    CHECK(memcmp((const void *)(uintptr_t)(end - 4), "hell", 4) == 0);
    CHECK_OK(raw_fd_write(out, PTR(last), 1, PTR(&n)));
    CHECK_EQ(n, 4);
    /* length 0 at the very end: fine or EFAULT, never a crash */
    uint32_t empty[2] = {end, 0};
    CHECK_ERR_IN(raw_fd_write(out, PTR(empty), 1, PTR(&n)), 0, FAULT);
    CHECK_ERR_IN(raw_random_get(ADDR(end), 0), 0, FAULT);
    check_fresh_page();
}

/* Counts and total lengths that are huge or overflow. */
static void iov_huge(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t n = 0, in = hello(), out = sink();
    static uint32_t iov[8];
    uint32_t counts[] = {0x10000000u, 0x7fffffffu, 0xffffffffu, 0x80000000u};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        CHECK_ERR_IN(raw_fd_write(out, PTR(iov), ADDR(counts[i]), PTR(&n)), FAULT, INVAL);
        CHECK_ERR_IN(raw_fd_read(in, PTR(iov), ADDR(counts[i]), PTR(&n)), FAULT, INVAL);
        CHECK_ERR_IN(raw_fd_pwrite(out, PTR(iov), ADDR(counts[i]), 0, PTR(&n)), FAULT, INVAL);
        CHECK_ERR_IN(raw_fd_pread(in, PTR(iov), ADDR(counts[i]), 0, PTR(&n)), FAULT, INVAL);
    }
    /* lengths summing past 2^32 */
    uint32_t sum[6] = {0, 0x80000000u, 0, 0x80000000u, 0, 0x10};
    CHECK_ERR_IN(raw_fd_write(out, PTR(sum), 3, PTR(&n)), FAULT, INVAL);
    CHECK_ERR_IN(raw_fd_read(in, PTR(sum), 3, PTR(&n)), FAULT, INVAL);
    uint32_t big[4] = {0, 0xffffffffu, 0, 0xffffffffu};
    CHECK_ERR_IN(raw_fd_write(out, PTR(big), 2, PTR(&n)), FAULT, INVAL);
    /* many small valid iovecs: all written, or EINVAL past the host's limit */
    enum { MANY = 5000 };
    static __wasi_ciovec_t many[MANY];
    for (int i = 0; i < MANY; i++)
        many[i] = (__wasi_ciovec_t){(const uint8_t *)"x", 1};
    int32_t e = raw_fd_write(out, PTR(many), MANY, PTR(&n));
    CHECK(e == INVAL || (e == 0 && n > 0 && n <= MANY));
    check_fresh_page();
}

/* Result pointers at the end of memory and wrapping. */
static void out_ptr(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t end = fresh_end();
    uint32_t spots[] = {end - 2, end, 0xfffffffeu};
    int32_t in = hello(), out = sink();
    char buf[8];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        int32_t r = ADDR(spots[i]);
        CHECK_ERR(raw_args_sizes_get(r, PTR(buf)), FAULT);
        CHECK_ERR(raw_args_sizes_get(PTR(buf), r), FAULT);
        CHECK_ERR(raw_environ_sizes_get(r, PTR(buf)), FAULT);
        CHECK_ERR(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, r), FAULT);
        CHECK_ERR(raw_clock_res_get(__WASI_CLOCKID_REALTIME, r), FAULT);
        CHECK_ERR(raw_fd_tell(in, r), FAULT);
        CHECK_ERR(raw_fd_seek(in, 0, __WASI_WHENCE_SET, r), FAULT);
        CHECK_ERR(raw_fd_fdstat_get(in, r), FAULT);
        CHECK_ERR(raw_fd_filestat_get(in, r), FAULT);
        CHECK_ERR(raw_fd_prestat_get(sandbox(), r), FAULT);
        CHECK_ERR(raw_path_filestat_get(sandbox(), 0, PATH("hello.txt"), r), FAULT);
        CHECK_ERR(raw_fd_read(in, PTR(&iov), 1, r), FAULT);
        CHECK_ERR(raw_fd_write(out, PTR(&iov), 1, r), FAULT);
        CHECK_ERR(raw_fd_pread(in, PTR(&iov), 1, 0, r), FAULT);
        CHECK_ERR(raw_fd_readdir(sandbox(), PTR(buf), sizeof buf, 0, r), FAULT);
        CHECK_ERR(raw_path_readlink(sandbox(), PATH("inner_link"), PTR(buf), sizeof buf, r),
                  FAULT);
        CHECK_ERR(raw_random_get(r, 8), FAULT);
    }
    /* path_open with a bad result pointer, many times: each must fail, and
     * must not leak a host descriptor (else the last open fails EMFILE) */
    for (int i = 0; i < 3000; i++) {
        int32_t e = raw_path_open(sandbox(), 0, PATH("hello.txt"), 0, ALL_RIGHTS, ALL_RIGHTS, 0,
                                  ADDR(end - 1));
        if (e != FAULT) {
            FAILF("path_open with its fd pointer at the end of memory: got %s",
                  errno_name(e));
            break;
        }
    }
    int32_t fd;
    CHECK_OK(open_read(sandbox(), "hello.txt", &fd));
    CHECK_OK(raw_fd_close(fd));
    check_fresh_page();
}

/* Paths at the end of memory, wrapping, huge, or with a NUL inside. */
static void path_bad(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t end = fresh_end();
    int32_t s = sandbox(), fd = -1;
    __wasi_filestat_t st;
    char out[64];
    int32_t n;
    struct {
        uint32_t ptr, len;
    } bad[] = {{end - 3, 10}, {end, 1}, {0xfffffff0u, 0x20}, {16, 0xffffffffu}, {16, 0x7fffffff}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t p = ADDR(bad[i].ptr), l = ADDR(bad[i].len);
#define BAD_PATH(call) CHECK_ERR_IN(call, FAULT, INVAL, __WASI_ERRNO_NAMETOOLONG)
        BAD_PATH(raw_path_open(s, 0, p, l, __WASI_OFLAGS_CREAT, ALL_RIGHTS, ALL_RIGHTS, 0,
                               PTR(&fd)));
        BAD_PATH(raw_path_create_directory(s, p, l));
        BAD_PATH(raw_path_remove_directory(s, p, l));
        BAD_PATH(raw_path_unlink_file(s, p, l));
        BAD_PATH(raw_path_filestat_get(s, 0, p, l, PTR(&st)));
        BAD_PATH(raw_path_filestat_set_times(s, 0, p, l, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
        BAD_PATH(raw_path_readlink(s, p, l, PTR(out), sizeof out, PTR(&n)));
        BAD_PATH(raw_path_rename(s, p, l, s, PATH("x")));
        BAD_PATH(raw_path_rename(s, PATH("hello.txt"), s, p, l));
        BAD_PATH(raw_path_link(s, 0, p, l, s, PATH("x")));
        BAD_PATH(raw_path_link(s, 0, PATH("hello.txt"), s, p, l));
        BAD_PATH(raw_path_symlink(p, l, s, PATH("x")));
        BAD_PATH(raw_path_symlink(PATH("hello.txt"), s, p, l));
        BAD_PATH(raw_fd_prestat_dir_name(s, p, l));
    }
    /* a NUL inside the path: an error, never the path cut at the NUL */
    static const char nul[] = "hello.txt\0../../x";
    int32_t len = sizeof nul - 1;
    CHECK_FAILS(raw_path_open(s, 0, PTR(nul), len, 0, ALL_RIGHTS, ALL_RIGHTS, 0, PTR(&fd)));
    CHECK_FAILS(raw_path_filestat_get(s, 0, PTR(nul), len, PTR(&st)));
    CHECK_FAILS(raw_path_unlink_file(s, PTR(nul), len));
    CHECK_FAILS(raw_path_rename(s, PTR(nul), len, s, PATH("renamed")));
    CHECK_FAILS(raw_path_link(s, 0, PTR(nul), len, s, PATH("linked")));
    CHECK_FAILS(raw_path_symlink(PATH("hello.txt"), s, PTR(nul), len));
    CHECK_FAILS(raw_path_create_directory(s, PTR("newdir\0x"), 8));
    CHECK_FAILS(raw_path_symlink(PTR("hello.txt\0x"), 11, s, PATH("nul_target")));
    /* an empty path */
    CHECK_FAILS(raw_path_open(s, 0, PTR(""), 0, __WASI_OFLAGS_CREAT, ALL_RIGHTS, ALL_RIGHTS, 0,
                              PTR(&fd)));
    CHECK_FAILS(raw_path_unlink_file(s, PTR(""), 0));
    CHECK_FAILS(raw_path_create_directory(s, PTR(""), 0));
    /* a very long but valid-memory path */
    static char longp[70000];
    memset(longp, 'a', sizeof longp - 1);
    CHECK_ERR_IN(raw_path_open(s, 0, PATH(longp), 0, ALL_RIGHTS, ALL_RIGHTS, 0, PTR(&fd)),
                 __WASI_ERRNO_NAMETOOLONG, INVAL, __WASI_ERRNO_NOENT);
    /* prestat name into a buffer that is too small, or past the end */
    memset(out, '#', sizeof out);
    int32_t e = raw_fd_prestat_dir_name(s, PTR(out), 1);
    CHECK(e != 0 || out[1] == '#'); /* an error, or at most 1 byte */
    CHECK_ERR(raw_fd_prestat_dir_name(s, ADDR(end - 2), 8), FAULT);
    /* hello.txt is intact */
    char buf[64];
    CHECK_OK(read_file(s, "hello.txt", buf, sizeof buf));
    CHECK_STR(buf, "hello, sandbox\n");
    check_fresh_page();
}

/* args_get / environ_get writing pointers or strings past the end. */
static void args_bad(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t end = fresh_end();
    static uint32_t ptrs[64];
    static char buf[1024];
    CHECK_ERR(raw_args_get(ADDR(end - 4), PTR(buf)), FAULT);
    CHECK_ERR(raw_args_get(PTR(ptrs), ADDR(end - 4)), FAULT);
    CHECK_ERR(raw_args_get(ADDR(0xfffffffcu), PTR(buf)), FAULT);
    CHECK_ERR(raw_environ_get(ADDR(end - 2), PTR(buf)), FAULT);
    CHECK_ERR(raw_environ_get(PTR(ptrs), ADDR(end - 3)), FAULT);
    /* and once properly, still fine */
    CHECK_OK(raw_args_get(PTR(ptrs), PTR(buf)));
    CHECK_STR((const char *)(uintptr_t)ptrs[1], "args_bad");
    CHECK_OK(raw_environ_get(PTR(ptrs), PTR(buf)));
    CHECK_STR((const char *)(uintptr_t)ptrs[0], "HOSTILE=1");
    check_fresh_page();
}

/* Offsets and sizes that are negative or huge. */
static void offsets(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t in = hello(), out = sink(), n = 0;
    uint64_t pos = 0;
    char buf[8];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    CHECK_ERR(raw_fd_seek(in, -1, __WASI_WHENCE_SET, PTR(&pos)), INVAL);
    CHECK_ERR(raw_fd_seek(in, INT64_MIN, __WASI_WHENCE_END, PTR(&pos)), INVAL);
    CHECK_ERR(raw_fd_seek(in, INT64_MIN, __WASI_WHENCE_CUR, PTR(&pos)), INVAL);
    CHECK_ERR_IN(raw_fd_seek(in, INT64_MAX, __WASI_WHENCE_END, PTR(&pos)), INVAL,
                 __WASI_ERRNO_OVERFLOW);
    CHECK_ERR(raw_fd_seek(in, 0, -1, PTR(&pos)), INVAL);
    /* pread/pwrite at offsets that are negative as off_t */
    CHECK_ERR_IN(raw_fd_pread(in, PTR(&iov), 1, INT64_MIN, PTR(&n)), INVAL,
                 __WASI_ERRNO_OVERFLOW);
    CHECK_ERR_IN(raw_fd_pread(in, PTR(&iov), 1, -1, PTR(&n)), INVAL, __WASI_ERRNO_OVERFLOW);
    __wasi_ciovec_t ciov = {(const uint8_t *)"x", 1};
    CHECK_ERR_IN(raw_fd_pwrite(out, PTR(&ciov), 1, -1, PTR(&n)), INVAL, __WASI_ERRNO_OVERFLOW,
                 __WASI_ERRNO_FBIG);
    CHECK_ERR_IN(raw_fd_pwrite(out, PTR(&ciov), 1, INT64_MAX, PTR(&n)), INVAL,
                 __WASI_ERRNO_OVERFLOW, __WASI_ERRNO_FBIG);
    /* sizes */
    CHECK_ERR_IN(raw_fd_filestat_set_size(out, -1), INVAL, __WASI_ERRNO_FBIG);
    CHECK_ERR_IN(raw_fd_filestat_set_size(out, INT64_MIN), INVAL, __WASI_ERRNO_FBIG);
    CHECK_ERR_IN(raw_fd_allocate(out, -1, 10), INVAL, __WASI_ERRNO_FBIG, __WASI_ERRNO_NOTSUP);
    CHECK_ERR_IN(raw_fd_allocate(out, 0, INT64_MIN), INVAL, __WASI_ERRNO_FBIG,
                 __WASI_ERRNO_NOTSUP);
    CHECK_ERR_IN(raw_fd_allocate(out, INT64_MAX, INT64_MAX), INVAL, __WASI_ERRNO_FBIG,
                 __WASI_ERRNO_NOTSUP);
    CHECK_ERR_IN(raw_fd_advise(out, -1, 10, 0), INVAL, 0);
    /* readdir cookies past the end or huge */
    int32_t used = -1;
    CHECK_OK(raw_fd_readdir(sandbox(), PTR(buf), sizeof buf, INT64_MAX, PTR(&used)));
    CHECK_EQ(used, 0);
    CHECK_ERR_IN(raw_fd_readdir(sandbox(), PTR(buf), sizeof buf, -1, PTR(&used)), 0, INVAL);
    /* times way out of range */
    CHECK_ERR_IN(raw_fd_filestat_set_times(out, -1, -1,
                                           __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
                 0, INVAL, __WASI_ERRNO_OVERFLOW);
    CHECK_ERR(raw_fd_filestat_set_times(out, 0, 0, 0x10), INVAL);
    /* hello.txt's position survived all of it */
    CHECK_OK(raw_fd_seek(in, 0, __WASI_WHENCE_SET, PTR(&pos)));
    CHECK_OK(raw_fd_read(in, PTR(&iov), 1, PTR(&n)));
    CHECK_EQ(n, 8);
}

/* Every fd function on numbers that were never opened. */
static void bad_fds(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fds[] = {4, 5, 9, 1000, 65535, 0x7fffffff, -1, INT32_MIN};
    char buf[64];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    int32_t n;
    uint64_t pos;
    __wasi_filestat_t st;
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        int32_t fd = fds[i], nfd;
        CHECK_ERR(raw_fd_write(fd, PTR(&iov), 1, PTR(&n)), BADF);
        CHECK_ERR(raw_fd_read(fd, PTR(&iov), 1, PTR(&n)), BADF);
        CHECK_ERR(raw_fd_pread(fd, PTR(&iov), 1, 0, PTR(&n)), BADF);
        CHECK_ERR(raw_fd_pwrite(fd, PTR(&iov), 1, 0, PTR(&n)), BADF);
        CHECK_ERR(raw_fd_seek(fd, 0, 0, PTR(&pos)), BADF);
        CHECK_ERR(raw_fd_tell(fd, PTR(&pos)), BADF);
        CHECK_ERR(raw_fd_close(fd), BADF);
        CHECK_ERR(raw_fd_sync(fd), BADF);
        CHECK_ERR(raw_fd_datasync(fd), BADF);
        CHECK_ERR(raw_fd_advise(fd, 0, 0, 0), BADF);
        CHECK_ERR(raw_fd_allocate(fd, 0, 1), BADF);
        CHECK_ERR(raw_fd_fdstat_get(fd, PTR(buf)), BADF);
        CHECK_ERR(raw_fd_fdstat_set_flags(fd, 0), BADF);
        CHECK_ERR(raw_fd_filestat_get(fd, PTR(&st)), BADF);
        CHECK_ERR(raw_fd_filestat_set_size(fd, 0), BADF);
        CHECK_ERR(raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), BADF);
        CHECK_ERR(raw_fd_prestat_get(fd, PTR(buf)), BADF);
        CHECK_ERR(raw_fd_prestat_dir_name(fd, PTR(buf), 4), BADF);
        CHECK_ERR(raw_fd_readdir(fd, PTR(buf), sizeof buf, 0, PTR(&n)), BADF);
        CHECK_ERR(raw_fd_renumber(fd, 1), BADF);
        CHECK_ERR(raw_fd_renumber(1, fd), BADF);
        CHECK_ERR(raw_path_open(fd, 0, PATH("hello.txt"), 0, ALL_RIGHTS, ALL_RIGHTS, 0,
                                PTR(&nfd)),
                  BADF);
        CHECK_ERR(raw_path_create_directory(fd, PATH("d")), BADF);
        CHECK_ERR(raw_path_unlink_file(fd, PATH("hello.txt")), BADF);
        CHECK_ERR(raw_path_remove_directory(fd, PATH("dir")), BADF);
        CHECK_ERR(raw_path_filestat_get(fd, 0, PATH("hello.txt"), PTR(&st)), BADF);
        CHECK_ERR(raw_path_readlink(fd, PATH("inner_link"), PTR(buf), 8, PTR(&n)), BADF);
        CHECK_ERR(raw_path_symlink(PATH("x"), fd, PATH("y")), BADF);
        CHECK_ERR(raw_path_rename(fd, PATH("hello.txt"), sandbox(), PATH("z")), BADF);
        CHECK_ERR(raw_path_rename(sandbox(), PATH("hello.txt"), fd, PATH("z")), BADF);
        CHECK_ERR(raw_path_link(fd, 0, PATH("hello.txt"), sandbox(), PATH("z")), BADF);
        CHECK_ERR(raw_path_link(sandbox(), 0, PATH("hello.txt"), fd, PATH("z")), BADF);
    }
    /* a file or stdout where a directory is needed */
    int32_t f = hello(), nfd;
    CHECK_ERR_IN(raw_path_open(f, 0, PATH("x"), 0, ALL_RIGHTS, ALL_RIGHTS, 0, PTR(&nfd)),
                 __WASI_ERRNO_NOTDIR, BADF, __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR_IN(raw_path_open(1, 0, PATH("x"), 0, ALL_RIGHTS, ALL_RIGHTS, 0, PTR(&nfd)),
                 __WASI_ERRNO_NOTDIR, BADF, __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR_IN(raw_path_create_directory(f, PATH("d")), __WASI_ERRNO_NOTDIR, BADF,
                 __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR_IN(raw_fd_readdir(1, PTR(buf), sizeof buf, 0, PTR(&n)), __WASI_ERRNO_NOTDIR, BADF,
                 __WASI_ERRNO_NOTCAPABLE);
    /* the preopen and hello.txt still work */
    char text[64];
    CHECK_OK(read_file(sandbox(), "hello.txt", text, sizeof text));
    CHECK_STR(text, "hello, sandbox\n");
}

/* readdir and poll_oneoff with bad buffers. */
static void readdir_poll(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t end = fresh_end();
    int32_t n = 0;
    CHECK_ERR(raw_fd_readdir(sandbox(), ADDR(end - 8), 64, 0, PTR(&n)), FAULT);
    CHECK_ERR(raw_fd_readdir(sandbox(), ADDR(0xfffffff0u), 64, 0, PTR(&n)), FAULT);
    CHECK_ERR(raw_fd_readdir(sandbox(), ADDR(end - 65536), 0x7fffffff, 0, PTR(&n)), FAULT);
    CHECK_ERR(raw_fd_readdir(sandbox(), ADDR(end - 65536), ADDR(0xffffffffu), 0, PTR(&n)), FAULT);
    /* a buffer of 0 bytes: nothing */
    CHECK_OK(raw_fd_readdir(sandbox(), ADDR(end - 65536), 0, 0, PTR(&n)));
    CHECK_EQ(n, 0);
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    sub.u.tag = __WASI_EVENTTYPE_CLOCK;
    sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub.u.u.clock.timeout = 1000;
    __wasi_event_t ev[4];
    CHECK_ERR(raw_poll_oneoff(ADDR(end - 16), PTR(ev), 1, PTR(&n)), FAULT);
    CHECK_ERR(raw_poll_oneoff(PTR(&sub), ADDR(end - 8), 1, PTR(&n)), FAULT);
    CHECK_ERR(raw_poll_oneoff(PTR(&sub), PTR(ev), 1, ADDR(end - 2)), FAULT);
    CHECK_ERR_IN(raw_poll_oneoff(PTR(&sub), PTR(ev), 0x7fffffff, PTR(&n)), FAULT, INVAL);
    CHECK_ERR_IN(raw_poll_oneoff(PTR(&sub), PTR(ev), ADDR(0xffffffffu), PTR(&n)), FAULT, INVAL);
    CHECK_ERR(raw_poll_oneoff(ADDR(0xffffffc0u), PTR(ev), 2, PTR(&n)), FAULT);
    /* subscriptions overlapping the events: allowed, just odd */
    CHECK_OK(raw_poll_oneoff(PTR(&sub), PTR(&sub), 1, PTR(&n)));
    check_fresh_page();
}

/* Results that fit exactly at the end of memory: allowed (a host whose
 * bounds check is off by one says EFAULT, or writes past the end). */
static void exact_end(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t end = fresh_end();
    int32_t s = sandbox(), n = -1;
    uint8_t *top = (uint8_t *)(uintptr_t)end;
    /* "/sandbox" is 8 bytes */
    CHECK_OK(raw_fd_prestat_dir_name(s, ADDR(end - 8), 8));
    CHECK(memcmp(top - 8, "/sandbox", 8) == 0);
    CHECK_OK(raw_random_get(ADDR(end - 16), 16));
    /* argv: "hostile.wasm\0exact_end\0" = 23 bytes; two pointers */
    int32_t argc2 = 0, bytes = 0;
    CHECK_OK(raw_args_sizes_get(PTR(&argc2), PTR(&bytes)));
    CHECK_EQ(bytes, 23);
    CHECK_OK(raw_args_get(ADDR(end - 1024), ADDR(end - (uint32_t)bytes)));
    CHECK(memcmp(top - 10, "exact_end", 10) == 0);
    CHECK_OK(raw_args_get(ADDR(end - (uint32_t)argc2 * 4), ADDR(end - 1024)));
    /* clock and tell results in the last 8 bytes */
    CHECK_OK(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, ADDR(end - 8)));
    CHECK_OK(raw_fd_tell(hello(), ADDR(end - 8)));
    CHECK_OK(raw_fd_filestat_get(s, ADDR(end - sizeof(__wasi_filestat_t))));
    CHECK_OK(raw_fd_fdstat_get(s, ADDR(end - sizeof(__wasi_fdstat_t))));
    /* a readdir buffer of 10 bytes at the end: filled, not one byte more */
    CHECK_OK(raw_fd_readdir(s, ADDR(end - 10), 10, 0, PTR(&n)));
    CHECK_EQ(n, 10);
    /* a readlink target into the last 4 bytes: truncated, or ERANGE */
    int32_t e = raw_path_readlink(s, PATH("inner_link"), ADDR(end - 4), 4, PTR(&n));
    CHECK(e == 0 || e == __WASI_ERRNO_RANGE);
    /* reading the file into its last bytes */
    uint32_t iov[2] = {end - 15, 15};
    CHECK_OK(raw_fd_read(hello(), PTR(iov), 1, PTR(&n)));
    CHECK_EQ(n, 15);
    CHECK(memcmp(top - 15, "hello, sandbox\n", 15) == 0);
    check_fresh_page();
}

/* Closes stdin, stdout and stderr, then opens files (which may take fds
 * 0..2): writes through them must land in the files, and the host's own
 * stderr must stay the host's: the guest then traps, and wasmbox's trap
 * message must reach its stderr, not a guest file. Results go to
 * sandbox/report.txt. */
static void close_stdio(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t s = sandbox(), fd;
    CHECK_OK(open_at(s, 0, "report.txt", __WASI_OFLAGS_CREAT, 0, &fd));
    report_fd = fd;
    CHECK_OK(raw_fd_close(0));
    CHECK_OK(raw_fd_close(1));
    CHECK_OK(raw_fd_close(2));
    CHECK_ERR(write_str(1, "lost\n"), BADF);
    CHECK_ERR(write_str(2, "lost\n"), BADF);
    int32_t a, b, c;
    CHECK_OK(open_at(s, 0, "a.txt", __WASI_OFLAGS_CREAT, 0, &a));
    CHECK_OK(open_at(s, 0, "b.txt", __WASI_OFLAGS_CREAT, 0, &b));
    CHECK_OK(open_at(s, 0, "c.txt", __WASI_OFLAGS_CREAT, 0, &c));
    CHECK_OK(write_str(a, "A\n"));
    CHECK_OK(write_str(b, "B\n"));
    CHECK_OK(write_str(c, "C\n"));
    report("fds %d %d %d\n", (int)a, (int)b, (int)c);
    /* renumbering a file onto a closed stdio fd is EBADF or works */
    int32_t e = raw_fd_renumber(c, 2);
    CHECK(e == 0 || e == BADF);
    report("%d checks, %d failed\n", checks_run, checks_failed);
    __builtin_trap();
}

static const TestCase cases[] = {
    {"iov_end", iov_end},   {"iov_wrap", iov_wrap}, {"iov_huge", iov_huge},
    {"out_ptr", out_ptr},   {"path_bad", path_bad}, {"args_bad", args_bad},
    {"offsets", offsets},   {"bad_fds", bad_fds},   {"readdir_poll", readdir_poll},
    {"exact_end", exact_end},     {"close_stdio", close_stdio},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
