/*
 * poll.c — poll_oneoff.
 *   clock        a relative monotonic timeout of 200 ms sleeps that long
 *   abstime      an absolute deadline 150 ms ahead
 *   two_clocks   of 50 ms and 10 s, only the first fires
 *   stdin        stdin has data (the runner pipes it): FD_READ fires before
 *                a 10 s timeout, reporting bytes available; then reads it
 *   stdin_wait   stdin gets data only after ~300 ms: poll waits for it
 *   stdout       FD_WRITE on stdout fires at once
 *   invalid      no subscriptions is EINVAL; a bad fd is reported in the
 *                event (EBADF) or as the call's error
 */
#include <time.h>

#include "common.h"

static uint64_t mono(void)
{
    uint64_t t = 0;
    CHECK_OK(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, PTR(&t)));
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, uint64_t ns, uint16_t flags)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s.u.u.clock.timeout = ns;
    s.u.u.clock.precision = 0;
    s.u.u.clock.flags = flags;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, uint8_t type, int32_t fd)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = (uint32_t)fd;
    return s;
}

#define MS 1000000ull

static void clock_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_subscription_t sub = clock_sub(42, 200 * MS, 0);
    __wasi_event_t ev[1];
    memset(ev, 0xff, sizeof ev);
    int32_t n = 0;
    uint64_t t0 = mono();
    CHECK_OK(raw_poll_oneoff(PTR(&sub), PTR(ev), 1, PTR(&n)));
    uint64_t dt = mono() - t0;
    CHECK_EQ(n, 1);
    CHECK_EQ(ev[0].userdata, 42);
    CHECK_EQ(ev[0].type, __WASI_EVENTTYPE_CLOCK);
    CHECK_EQ(ev[0].error, 0);
    CHECK(dt >= 200 * MS);
    CHECK(dt < 5000 * MS);
    printf("slept %llu ms\n", (unsigned long long)(dt / MS));
    /* libc's nanosleep goes through poll_oneoff too */
    struct timespec ts = {0, 50 * 1000000};
    t0 = mono();
    CHECK_EQ(nanosleep(&ts, NULL), 0);
    CHECK(mono() - t0 >= 50 * MS);
}

static void abstime(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t t0 = mono();
    __wasi_subscription_t sub =
        clock_sub(7, t0 + 150 * MS, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    __wasi_event_t ev;
    int32_t n = 0;
    CHECK_OK(raw_poll_oneoff(PTR(&sub), PTR(&ev), 1, PTR(&n)));
    CHECK_EQ(n, 1);
    CHECK_EQ(ev.userdata, 7);
    CHECK(mono() >= t0 + 150 * MS);
    /* a deadline in the past fires at once */
    sub = clock_sub(8, t0, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    uint64_t t1 = mono();
    CHECK_OK(raw_poll_oneoff(PTR(&sub), PTR(&ev), 1, PTR(&n)));
    CHECK_EQ(n, 1);
    CHECK(mono() - t1 < 1000 * MS);
}

static void two_clocks(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_subscription_t sub[2] = {clock_sub(1, 10000 * MS, 0), clock_sub(2, 50 * MS, 0)};
    __wasi_event_t ev[2];
    int32_t n = 0;
    uint64_t t0 = mono();
    CHECK_OK(raw_poll_oneoff(PTR(sub), PTR(ev), 2, PTR(&n)));
    CHECK_EQ(n, 1);
    CHECK_EQ(ev[0].userdata, 2);
    CHECK(mono() - t0 < 5000 * MS);
}

/* Waits for stdin with a 10 s timeout; checks FD_READ fired first. */
static void wait_stdin(uint64_t max_ms)
{
    __wasi_subscription_t sub[2] = {clock_sub(1, 10000 * MS, 0),
                                    fd_sub(2, __WASI_EVENTTYPE_FD_READ, 0)};
    __wasi_event_t ev[2];
    memset(ev, 0, sizeof ev);
    int32_t n = 0;
    uint64_t t0 = mono();
    CHECK_OK(raw_poll_oneoff(PTR(sub), PTR(ev), 2, PTR(&n)));
    uint64_t dt = mono() - t0;
    CHECK_EQ(n, 1);
    CHECK_EQ(ev[0].userdata, 2);
    CHECK_EQ(ev[0].type, __WASI_EVENTTYPE_FD_READ);
    CHECK_EQ(ev[0].error, 0);
    CHECK(dt < max_ms * MS);
    printf("waited %s\n", dt >= 100 * MS ? ">= 100 ms" : "< 100 ms");
    char buf[64];
    size_t len;
    CHECK_OK(read_fd(0, buf, sizeof buf, &len));
    printf("read [%s]\n", buf);
}

static void stdin_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    wait_stdin(5000);
}

static void stdin_wait(int argc, char **argv)
{
    (void)argc, (void)argv;
    wait_stdin(8000);
}

static void stdout_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_subscription_t sub[2] = {clock_sub(1, 10000 * MS, 0),
                                    fd_sub(2, __WASI_EVENTTYPE_FD_WRITE, 1)};
    __wasi_event_t ev[2];
    int32_t n = 0;
    uint64_t t0 = mono();
    CHECK_OK(raw_poll_oneoff(PTR(sub), PTR(ev), 2, PTR(&n)));
    CHECK(n >= 1);
    CHECK_EQ(ev[0].userdata, 2);
    CHECK_EQ(ev[0].type, __WASI_EVENTTYPE_FD_WRITE);
    CHECK(mono() - t0 < 5000 * MS);
}

static void invalid(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_subscription_t sub[2] = {clock_sub(1, 10 * MS, 0),
                                    fd_sub(2, __WASI_EVENTTYPE_FD_READ, 55)};
    __wasi_event_t ev[2];
    int32_t n = 0;
    CHECK_ERR(raw_poll_oneoff(PTR(sub), PTR(ev), 0, PTR(&n)), __WASI_ERRNO_INVAL);
    /* an fd never opened: an event carrying EBADF, or EBADF from the call */
    memset(ev, 0, sizeof ev);
    int32_t e = raw_poll_oneoff(PTR(sub), PTR(ev), 2, PTR(&n));
    CHECK(e == 0 || e == __WASI_ERRNO_BADF);
    if (e == 0) {
        CHECK(n >= 1);
        int found = 0;
        for (int32_t i = 0; i < n && i < 2; i++)
            if (ev[i].userdata == 2)
                found = ev[i].error == __WASI_ERRNO_BADF;
        CHECK(found);
    }
    /* an unknown event type */
    __wasi_subscription_t bad = clock_sub(3, 0, 0);
    bad.u.tag = 9;
    e = raw_poll_oneoff(PTR(&bad), PTR(ev), 1, PTR(&n));
    CHECK(e == __WASI_ERRNO_INVAL || (e == 0 && n == 1 && ev[0].error != 0));
    /* an unknown clock */
    bad = clock_sub(4, 10 * MS, 0);
    bad.u.u.clock.id = 77;
    e = raw_poll_oneoff(PTR(&bad), PTR(ev), 1, PTR(&n));
    CHECK(e == __WASI_ERRNO_INVAL || (e == 0 && n == 1 && ev[0].error == __WASI_ERRNO_INVAL));
}

static const TestCase cases[] = {
    {"clock", clock_case}, {"abstime", abstime},       {"two_clocks", two_clocks},
    {"stdin", stdin_case}, {"stdin_wait", stdin_wait}, {"stdout", stdout_case},
    {"invalid", invalid},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
