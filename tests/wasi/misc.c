/*
 * misc.c — random_get, sched_yield, proc_raise and the sock_* functions.
 *   random   fills buffers, two draws differ, length 0 works
 *   yield    sched_yield succeeds, many times
 *   sock     sock_accept/recv/send/shutdown: WASI preview1 without sockets
 *            fails cleanly (ENOTSUP, EBADF or ENOTSOCK), never crashes
 *   stdio_flags  sets NONBLOCK on stdin and APPEND on stdout and stderr
 *            (allowed or refused): the runner checks that the host's own
 *            file descriptions behind them did not change
 *   stdio_rights  tries to truncate, extend, re-time and seek stdout, then
 *            writes a line: when stdout is a host file opened for appending,
 *            the runner checks that what was in it is still there
 */
#include "common.h"

static void random_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    static uint8_t a[64], b[64], big[100000];
    CHECK_OK(raw_random_get(PTR(a), sizeof a));
    CHECK_OK(raw_random_get(PTR(b), sizeof b));
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK_OK(raw_random_get(PTR(a), 0));
    CHECK_OK(raw_random_get(PTR(big), sizeof big));
    size_t zeros = 0;
    for (size_t i = 0; i < sizeof big; i++)
        zeros += big[i] == 0;
    CHECK(zeros < sizeof big / 64); /* about 1/256 expected */
    /* the last byte of the buffer is filled too */
    memset(a, 0, sizeof a);
    int filled = 0;
    for (int i = 0; i < 8 && !filled; i++) {
        CHECK_OK(raw_random_get(PTR(a + 63), 1));
        filled = a[63] != 0;
    }
    CHECK(filled);
    CHECK_EQ(a[62], 0);
}

static void yield(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 1000; i++)
        CHECK_OK(raw_sched_yield());
}

/* The sandbox has no signals to deliver: proc_raise is ENOSYS, and the
 * guest goes on. */
static void raise_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK_ERR(raw_proc_raise(15 /* TERM */), __WASI_ERRNO_NOSYS);
    CHECK_ERR(raw_proc_raise(6 /* ABRT */), __WASI_ERRNO_NOSYS);
    CHECK_OK(raw_sched_yield());
}

static void sock(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t fds[] = {0, 1, 77, -1};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        int32_t fd = fds[i], r0 = 0, r1 = 0;
        char buf[8] = "ping";
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
        CHECK_ERR_IN(raw_sock_accept(fd, 0, PTR(&r0)), __WASI_ERRNO_NOTSUP, __WASI_ERRNO_BADF,
                     __WASI_ERRNO_NOTSOCK);
        CHECK_ERR_IN(raw_sock_recv(fd, PTR(&iov), 1, 0, PTR(&r0), PTR(&r1)),
                     __WASI_ERRNO_NOTSUP, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTSOCK);
        CHECK_ERR_IN(raw_sock_send(fd, PTR(&iov), 1, 0, PTR(&r0)), __WASI_ERRNO_NOTSUP,
                     __WASI_ERRNO_BADF, __WASI_ERRNO_NOTSOCK);
        CHECK_ERR_IN(raw_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR),
                     __WASI_ERRNO_NOTSUP, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTSOCK);
    }
    /* an fd that was never opened is EBADF or ENOTSUP */
    int32_t r = 0;
    CHECK_ERR_IN(raw_sock_accept(77, 0, PTR(&r)), __WASI_ERRNO_BADF, __WASI_ERRNO_NOTSUP);
    CHECK_ERR_IN(raw_sock_shutdown(77, 3), __WASI_ERRNO_BADF, __WASI_ERRNO_NOTSUP);
    /* stdout still works afterwards */
    CHECK_OK(write_str(1, "stdout still works\n"));
}

static void stdio_flags(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t e = raw_fd_fdstat_set_flags(0, __WASI_FDFLAGS_NONBLOCK);
    printf("stdin NONBLOCK: %s\n", errno_name(e));
    e = raw_fd_fdstat_set_flags(1, __WASI_FDFLAGS_APPEND);
    printf("stdout APPEND: %s\n", errno_name(e));
    e = raw_fd_fdstat_set_flags(2, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK);
    printf("stderr APPEND|NONBLOCK: %s\n", errno_name(e));
    if (e == 0) {
        __wasi_fdstat_t st;
        CHECK_OK(raw_fd_fdstat_get(2, PTR(&st)));
        CHECK(st.fs_flags & __WASI_FDFLAGS_APPEND);
    }
}

static void stdio_rights(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t pos;
    printf("set_size: %s\n", errno_name(raw_fd_filestat_set_size(1, 0)));
    printf("set_times: %s\n",
           errno_name(raw_fd_filestat_set_times(1, 0, 0, __WASI_FSTFLAGS_ATIM |
                                                             __WASI_FSTFLAGS_MTIM)));
    printf("allocate: %s\n", errno_name(raw_fd_allocate(1, 0, 1 << 20)));
    fflush(stdout);
    printf("seek: %s\n", errno_name(raw_fd_seek(1, 0, __WASI_WHENCE_SET, PTR(&pos))));
    __wasi_ciovec_t iov = {(const uint8_t *)"OVERWRITTEN", 11};
    int32_t n;
    printf("pwrite: %s\n", errno_name(raw_fd_pwrite(1, PTR(&iov), 1, 0, PTR(&n))));
    printf("guest line\n");
}

static const TestCase cases[] = {
    {"stdio_flags", stdio_flags},
    {"stdio_rights", stdio_rights},
    {"random", random_case},
    {"yield", yield},
    {"raise", raise_case},
    {"sock", sock},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
