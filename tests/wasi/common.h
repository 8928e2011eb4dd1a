/*
 * common.h — shared by the WASI test programs (tests/wasi/NAME.c, built to
 * wasm32-wasi by tests/wasi/run.sh).
 *
 * Each program is a set of named cases: `prog.wasm CASE [ARGS...]` runs one.
 * A case makes checks; each failed check prints one line
 *   FAIL prog.c:LINE: what: got X, want Y
 * and at the end the program prints "N checks, N failed" and exits 0 when
 * nothing failed, else 1. The runner asserts the exit status, the output and
 * the effects on the host's files.
 *
 * The WASI functions are called raw — `raw_fd_write(fd, iovs, n, ret)` —
 * through imports declared here with every pointer as a plain i32, so a
 * case can hand the host any address: the end of memory, 0xfffffff0, a
 * length that wraps. Errors are WASI errno values (__WASI_ERRNO_*).
 */
#ifndef WASI_TEST_COMMON_H
#define WASI_TEST_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* Helpers: not every program uses every one. */
#define HELPER static __attribute__((unused))

/* ------------------------------------------------------------ raw imports */

#define WASI_IMPORT(name) \
    __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

int32_t raw_args_get(int32_t argv, int32_t buf) WASI_IMPORT(args_get);
int32_t raw_args_sizes_get(int32_t argc, int32_t bufsize) WASI_IMPORT(args_sizes_get);
int32_t raw_environ_get(int32_t env, int32_t buf) WASI_IMPORT(environ_get);
int32_t raw_environ_sizes_get(int32_t n, int32_t bufsize) WASI_IMPORT(environ_sizes_get);
int32_t raw_clock_res_get(int32_t id, int32_t ret) WASI_IMPORT(clock_res_get);
int32_t raw_clock_time_get(int32_t id, int64_t precision, int32_t ret) WASI_IMPORT(clock_time_get);
int32_t raw_fd_advise(int32_t fd, int64_t off, int64_t len, int32_t advice) WASI_IMPORT(fd_advise);
int32_t raw_fd_allocate(int32_t fd, int64_t off, int64_t len) WASI_IMPORT(fd_allocate);
int32_t raw_fd_close(int32_t fd) WASI_IMPORT(fd_close);
int32_t raw_fd_datasync(int32_t fd) WASI_IMPORT(fd_datasync);
int32_t raw_fd_fdstat_get(int32_t fd, int32_t ret) WASI_IMPORT(fd_fdstat_get);
int32_t raw_fd_fdstat_set_flags(int32_t fd, int32_t flags) WASI_IMPORT(fd_fdstat_set_flags);
int32_t raw_fd_filestat_get(int32_t fd, int32_t ret) WASI_IMPORT(fd_filestat_get);
int32_t raw_fd_filestat_set_size(int32_t fd, int64_t size) WASI_IMPORT(fd_filestat_set_size);
int32_t raw_fd_filestat_set_times(int32_t fd, int64_t atim, int64_t mtim, int32_t flags)
    WASI_IMPORT(fd_filestat_set_times);
int32_t raw_fd_pread(int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t ret)
    WASI_IMPORT(fd_pread);
int32_t raw_fd_prestat_get(int32_t fd, int32_t ret) WASI_IMPORT(fd_prestat_get);
int32_t raw_fd_prestat_dir_name(int32_t fd, int32_t buf, int32_t len)
    WASI_IMPORT(fd_prestat_dir_name);
int32_t raw_fd_pwrite(int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t ret)
    WASI_IMPORT(fd_pwrite);
int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t ret) WASI_IMPORT(fd_read);
int32_t raw_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t ret)
    WASI_IMPORT(fd_readdir);
int32_t raw_fd_renumber(int32_t fd, int32_t to) WASI_IMPORT(fd_renumber);
int32_t raw_fd_seek(int32_t fd, int64_t off, int32_t whence, int32_t ret) WASI_IMPORT(fd_seek);
int32_t raw_fd_sync(int32_t fd) WASI_IMPORT(fd_sync);
int32_t raw_fd_tell(int32_t fd, int32_t ret) WASI_IMPORT(fd_tell);
int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t ret) WASI_IMPORT(fd_write);
int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_create_directory);
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path, int32_t len, int32_t ret)
    WASI_IMPORT(path_filestat_get);
int32_t raw_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path, int32_t len,
                                    int64_t atim, int64_t mtim, int32_t fst)
    WASI_IMPORT(path_filestat_set_times);
int32_t raw_path_link(int32_t ofd, int32_t oflags, int32_t opath, int32_t olen, int32_t nfd,
                      int32_t npath, int32_t nlen) WASI_IMPORT(path_link);
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t len, int32_t oflags,
                      int64_t base, int64_t inheriting, int32_t fdflags, int32_t ret)
    WASI_IMPORT(path_open);
int32_t raw_path_readlink(int32_t fd, int32_t path, int32_t len, int32_t buf, int32_t buflen,
                          int32_t ret) WASI_IMPORT(path_readlink);
int32_t raw_path_remove_directory(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_remove_directory);
int32_t raw_path_rename(int32_t fd, int32_t opath, int32_t olen, int32_t nfd, int32_t npath,
                        int32_t nlen) WASI_IMPORT(path_rename);
int32_t raw_path_symlink(int32_t opath, int32_t olen, int32_t fd, int32_t npath, int32_t nlen)
    WASI_IMPORT(path_symlink);
int32_t raw_path_unlink_file(int32_t fd, int32_t path, int32_t len) WASI_IMPORT(path_unlink_file);
int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t ret) WASI_IMPORT(poll_oneoff);
_Noreturn void raw_proc_exit(int32_t code) WASI_IMPORT(proc_exit);
int32_t raw_random_get(int32_t buf, int32_t len) WASI_IMPORT(random_get);
int32_t raw_sched_yield(void) WASI_IMPORT(sched_yield);
int32_t raw_proc_raise(int32_t sig) WASI_IMPORT(proc_raise);
int32_t raw_sock_accept(int32_t fd, int32_t flags, int32_t ret) WASI_IMPORT(sock_accept);
int32_t raw_sock_recv(int32_t fd, int32_t ri, int32_t rin, int32_t flags, int32_t ret0,
                      int32_t ret1) WASI_IMPORT(sock_recv);
int32_t raw_sock_send(int32_t fd, int32_t si, int32_t sin, int32_t flags, int32_t ret)
    WASI_IMPORT(sock_send);
int32_t raw_sock_shutdown(int32_t fd, int32_t how) WASI_IMPORT(sock_shutdown);

/* A guest pointer as the i32 the raw imports take. */
#define PTR(p) ((int32_t)(uintptr_t)(p))
/* A path argument: pointer and length. */
#define PATH(s) PTR(s), (int32_t)strlen(s)

/* Every right WASI preview1 defines (bits 0..29). */
#define ALL_RIGHTS ((int64_t)((1ull << 30) - 1))

/* Bytes of linear memory 0 (the first address past its end). */
static inline uint32_t mem_end(void)
{
    return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

/* ------------------------------------------------------------------ checks */

static int checks_run, checks_failed;
/* Where check failures and the closing line go (a case that closes stdout
 * points it at a file). */
static int32_t report_fd = 1;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
HELPER void report(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    fflush(stdout);
    __wasi_ciovec_t iov = {(const uint8_t *)buf, (size_t)n};
    int32_t written;
    (void)raw_fd_write(report_fd, PTR(&iov), 1, PTR(&written));
}

HELPER const char *errno_name(int32_t e)
{
    switch (e) {
    case 0: return "SUCCESS";
    case __WASI_ERRNO_2BIG: return "2BIG";
    case __WASI_ERRNO_ACCES: return "ACCES";
    case __WASI_ERRNO_BADF: return "BADF";
    case __WASI_ERRNO_EXIST: return "EXIST";
    case __WASI_ERRNO_FAULT: return "FAULT";
    case __WASI_ERRNO_FBIG: return "FBIG";
    case __WASI_ERRNO_ILSEQ: return "ILSEQ";
    case __WASI_ERRNO_INTR: return "INTR";
    case __WASI_ERRNO_INVAL: return "INVAL";
    case __WASI_ERRNO_IO: return "IO";
    case __WASI_ERRNO_ISDIR: return "ISDIR";
    case __WASI_ERRNO_LOOP: return "LOOP";
    case __WASI_ERRNO_MFILE: return "MFILE";
    case __WASI_ERRNO_MLINK: return "MLINK";
    case __WASI_ERRNO_NAMETOOLONG: return "NAMETOOLONG";
    case __WASI_ERRNO_NOENT: return "NOENT";
    case __WASI_ERRNO_NOMEM: return "NOMEM";
    case __WASI_ERRNO_NOSYS: return "NOSYS";
    case __WASI_ERRNO_NOTDIR: return "NOTDIR";
    case __WASI_ERRNO_NOTEMPTY: return "NOTEMPTY";
    case __WASI_ERRNO_NOTSOCK: return "NOTSOCK";
    case __WASI_ERRNO_NOTSUP: return "NOTSUP";
    case __WASI_ERRNO_OVERFLOW: return "OVERFLOW";
    case __WASI_ERRNO_PERM: return "PERM";
    case __WASI_ERRNO_RANGE: return "RANGE";
    case __WASI_ERRNO_ROFS: return "ROFS";
    case __WASI_ERRNO_SPIPE: return "SPIPE";
    case __WASI_ERRNO_XDEV: return "XDEV";
    case __WASI_ERRNO_NOTCAPABLE: return "NOTCAPABLE";
    default: {
        static char other[16];
        snprintf(other, sizeof other, "errno %d", (int)e);
        return other;
    }
    }
}

#define FAILF(...)                                                      \
    do {                                                                \
        checks_failed++;                                                \
        report("FAIL %s:%d: ", __FILE__, __LINE__);                     \
        report(__VA_ARGS__);                                            \
        report("\n");                                                   \
    } while (0)

/* A condition that must hold. */
#define CHECK(cond)                                                     \
    do {                                                                \
        checks_run++;                                                   \
        if (!(cond))                                                    \
            FAILF("%s", #cond);                                         \
    } while (0)

/* Two integers that must be equal. */
#define CHECK_EQ(a, b)                                                  \
    do {                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);             \
        checks_run++;                                                   \
        if (a_ != b_)                                                   \
            FAILF("%s == %s: got %lld, want %lld", #a, #b, a_, b_);     \
    } while (0)

/* Two strings that must be equal. */
#define CHECK_STR(a, b)                                                 \
    do {                                                                \
        const char *a_ = (a), *b_ = (b);                                \
        checks_run++;                                                   \
        if (strcmp(a_, b_) != 0)                                        \
            FAILF("%s: got \"%s\", want \"%s\"", #a, a_, b_);           \
    } while (0)

/* A WASI call that must return `want` (an errno value, 0 for success). */
#define CHECK_ERR(call, want)                                           \
    do {                                                                \
        int32_t got_ = (call);                                          \
        checks_run++;                                                   \
        if (got_ != (int32_t)(want))                                    \
            FAILF("%s: got %s, want %s", #call, errno_name(got_),       \
                  errno_name(want));                                    \
    } while (0)

#define CHECK_OK(call) CHECK_ERR(call, 0)

/* A WASI call that must fail with one of the listed errno values. */
#define CHECK_ERR_IN(call, ...)                                         \
    do {                                                                \
        int32_t got_ = (call);                                          \
        static const int32_t ok_[] = {__VA_ARGS__};                     \
        int found_ = 0;                                                 \
        for (size_t i_ = 0; i_ < sizeof ok_ / sizeof ok_[0]; i_++)      \
            found_ |= got_ == ok_[i_];                                  \
        checks_run++;                                                   \
        if (!found_)                                                    \
            FAILF("%s: got %s, want one of %s", #call, errno_name(got_), \
                  #__VA_ARGS__);                                        \
    } while (0)

/* A WASI call that must fail (any error). */
#define CHECK_FAILS(call)                                               \
    do {                                                                \
        int32_t got_ = (call);                                          \
        checks_run++;                                                   \
        if (got_ == 0)                                                  \
            FAILF("%s: succeeded, want an error", #call);               \
    } while (0)

/* ------------------------------------------------------------ file helpers */

/* The fd of the preopened directory the guest sees as `name`; exits 3 when
 * there is none. */
HELPER int32_t preopen_fd(const char *name)
{
    for (int32_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        int32_t e = raw_fd_prestat_get(fd, PTR(&ps));
        if (e == __WASI_ERRNO_BADF)
            break;
        if (e != 0 || ps.tag != __WASI_PREOPENTYPE_DIR)
            continue;
        char buf[256];
        size_t len = ps.u.dir.pr_name_len;
        if (len >= sizeof buf || raw_fd_prestat_dir_name(fd, PTR(buf), (int32_t)len) != 0)
            continue;
        buf[len] = '\0';
        if (strcmp(buf, name) == 0)
            return fd;
    }
    report("no preopened directory named %s\n", name);
    exit(3);
}

/* The usual preopen of the test tree: the host's sandbox/ as /sandbox. */
HELPER int32_t sandbox(void)
{
    static int32_t fd = -1;
    if (fd < 0)
        fd = preopen_fd("/sandbox");
    return fd;
}

/* path_open with every right; returns the errno, the new fd in *fd. */
HELPER int32_t open_at(int32_t dir, int32_t lookup, const char *path, int32_t oflags,
                       int32_t fdflags, int32_t *fd)
{
    *fd = -1;
    return raw_path_open(dir, lookup, PATH(path), oflags, ALL_RIGHTS, ALL_RIGHTS, fdflags,
                         PTR(fd));
}

/* Opens path for reading only (the read-related rights only). */
HELPER int32_t open_read(int32_t dir, const char *path, int32_t *fd)
{
    int64_t r = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |
                __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR;
    *fd = -1;
    return raw_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, PATH(path), 0, r, r, 0, PTR(fd));
}

/* Writes all of s to fd; returns the errno. */
HELPER int32_t write_str(int32_t fd, const char *s)
{
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    int32_t n = 0;
    int32_t e = raw_fd_write(fd, PTR(&iov), 1, PTR(&n));
    if (e == 0 && (size_t)n != strlen(s))
        return __WASI_ERRNO_IO;
    return e;
}

/* Reads up to cap-1 bytes of fd into buf (NUL-terminated); returns the
 * errno, the count in *len. */
HELPER int32_t read_fd(int32_t fd, char *buf, size_t cap, size_t *len)
{
    size_t total = 0;
    *len = 0;
    buf[0] = '\0';
    while (total + 1 < cap) {
        __wasi_iovec_t iov = {(uint8_t *)buf + total, cap - 1 - total};
        int32_t n = 0;
        int32_t e = raw_fd_read(fd, PTR(&iov), 1, PTR(&n));
        if (e != 0)
            return e;
        if (n == 0)
            break;
        total += (size_t)n;
    }
    buf[total] = '\0';
    *len = total;
    return 0;
}

/* Reads the whole file at path (following symlinks); returns the errno. */
HELPER int32_t read_file(int32_t dir, const char *path, char *buf, size_t cap)
{
    int32_t fd;
    buf[0] = '\0';
    int32_t e = open_read(dir, path, &fd);
    if (e != 0)
        return e;
    size_t len;
    e = read_fd(fd, buf, cap, &len);
    (void)raw_fd_close(fd);
    return e;
}

/* Creates (or truncates) path and writes s into it; returns the errno. */
HELPER int32_t write_file(int32_t dir, const char *path, const char *s)
{
    int32_t fd;
    int32_t e = open_at(dir, 0, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd);
    if (e != 0)
        return e;
    e = write_str(fd, s);
    (void)raw_fd_close(fd);
    return e;
}

/* ------------------------------------------------------------------ cases */

typedef struct TestCase {
    const char *name;
    void (*run)(int argc, char **argv); /* argv[0] is the case's name */
} TestCase;

/* main() of every test program: runs the case argv[1] with the words after
 * it, prints the closing line, exits 0 when every check held. */
HELPER int run_cases(const TestCase *cases, size_t n, int argc, char **argv)
{
    if (argc < 2) {
        report("usage: %s CASE [ARGS...]; cases:", argc > 0 ? argv[0] : "prog");
        for (size_t i = 0; i < n; i++)
            report(" %s", cases[i].name);
        report("\n");
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(cases[i].name, argv[1]) == 0) {
            cases[i].run(argc - 1, argv + 1);
            fflush(stdout);
            report("%d checks, %d failed\n", checks_run, checks_failed);
            return checks_failed ? 1 : 0;
        }
    }
    report("unknown case %s\n", argv[1]);
    return 2;
}

#define RUN_CASES(table) run_cases(table, sizeof table / sizeof table[0], argc, argv)

#endif /* WASI_TEST_COMMON_H */
