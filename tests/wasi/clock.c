/*
 * clock.c — clock_time_get and clock_res_get.
 *   realtime    prints "realtime=SECONDS" (the runner compares with the host)
 *   monotonic   never goes back, and advances
 *   res         resolutions of the realtime and monotonic clocks are sane
 *   cputime     process/thread CPU clocks: supported, or a clean error
 *   badid       unknown clock ids are EINVAL
 */
#include "common.h"

static uint64_t now(uint32_t id)
{
    uint64_t t = 0;
    CHECK_OK(raw_clock_time_get((int32_t)id, 1, PTR(&t)));
    return t;
}

static void realtime(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t t = now(__WASI_CLOCKID_REALTIME);
    CHECK(t > 1600000000ull * 1000000000ull); /* after 2020 */
    printf("realtime=%llu\n", (unsigned long long)(t / 1000000000ull));
    /* precision is a hint: 0 and huge values both work */
    uint64_t u = 0;
    CHECK_OK(raw_clock_time_get(__WASI_CLOCKID_REALTIME, 0, PTR(&u)));
    CHECK_OK(raw_clock_time_get(__WASI_CLOCKID_REALTIME, -1, PTR(&u)));
    CHECK(u >= t);
}

static void monotonic(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t first = now(__WASI_CLOCKID_MONOTONIC), prev = first;
    int advanced = 0;
    for (int i = 0; i < 100000 && !advanced; i++) {
        uint64_t t = now(__WASI_CLOCKID_MONOTONIC);
        if (t < prev) {
            FAILF("monotonic clock went back: %llu after %llu", (unsigned long long)t,
                  (unsigned long long)prev);
            break;
        }
        advanced = t > first;
        prev = t;
    }
    CHECK(advanced);
}

static void res(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t r = 0;
    CHECK_OK(raw_clock_res_get(__WASI_CLOCKID_REALTIME, PTR(&r)));
    CHECK(r > 0 && r <= 1000000000ull);
    r = 0;
    CHECK_OK(raw_clock_res_get(__WASI_CLOCKID_MONOTONIC, PTR(&r)));
    CHECK(r > 0 && r <= 1000000000ull);
}

static void cputime(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t ids[] = {__WASI_CLOCKID_PROCESS_CPUTIME_ID, __WASI_CLOCKID_THREAD_CPUTIME_ID};
    for (size_t i = 0; i < 2; i++) {
        uint64_t t = 0, r = 0;
        int32_t e = raw_clock_time_get((int32_t)ids[i], 1, PTR(&t));
        CHECK(e == 0 || e == __WASI_ERRNO_INVAL || e == __WASI_ERRNO_NOTSUP);
        e = raw_clock_res_get((int32_t)ids[i], PTR(&r));
        CHECK(e == 0 || e == __WASI_ERRNO_INVAL || e == __WASI_ERRNO_NOTSUP);
        if (e == 0)
            CHECK(r > 0);
    }
}

static void badid(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t t = 0;
    CHECK_ERR(raw_clock_time_get(4, 1, PTR(&t)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_clock_time_get(-1, 1, PTR(&t)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_clock_res_get(4, PTR(&t)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_clock_res_get(0x7fffffff, PTR(&t)), __WASI_ERRNO_INVAL);
}

static const TestCase cases[] = {
    {"realtime", realtime}, {"monotonic", monotonic}, {"res", res},
    {"cputime", cputime},   {"badid", badid},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
