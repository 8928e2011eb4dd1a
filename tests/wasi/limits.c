/*
 * limits.c — guests that run into the sandbox's limits, or trap. The runner
 * gives the options (--timeout, --fuel, --max-memory, --max-stack) and
 * checks wasmbox's exit status and message.
 *   loop          spins without calling the host (stopped by --timeout/--fuel)
 *   loop_yield    spins calling sched_yield
 *   loop_clock    spins calling clock_time_get
 *   sleep         sleeps 60 s in poll_oneoff (stopped by --timeout)
 *   read_stdin    blocks reading stdin (stopped by --timeout)
 *   work N        a bounded loop of N iterations, prints "done"
 *   recurse       unbounded recursion (call stack exhausted)
 *   deep N        recursion N deep, then returns: prints "depth N"
 *   grow          memory.grow by 1 page until it fails; prints the pages
 *                 and exits 1 (as a program reporting out of memory does)
 *   malloc        malloc 1 MiB blocks (touched) until NULL; prints how many
 *                 and exits 1
 *   grow_trap     memory.grow until it fails, then traps (as a program that
 *                 aborts when out of memory does)
 *   unreachable   traps: unreachable
 *   oob           traps: out of bounds memory access
 *   div0          traps: integer divide by zero
 */
#include "common.h"

static volatile uint64_t counter;

static void loop(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;)
        counter++;
}

static void loop_yield(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;) {
        if (raw_sched_yield() != 0)
            counter++;
    }
}

static void loop_clock(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;) {
        uint64_t t;
        counter += raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, PTR(&t)) == 0;
    }
}

static void sleep_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s.u.u.clock.timeout = 60ull * 1000000000ull;
    __wasi_event_t ev;
    int32_t n;
    CHECK_OK(raw_poll_oneoff(PTR(&s), PTR(&ev), 1, PTR(&n)));
    printf("woke up\n");
}

static void read_stdin(int argc, char **argv)
{
    (void)argc, (void)argv;
    char buf[16];
    size_t len;
    CHECK_OK(read_fd(0, buf, sizeof buf, &len));
    printf("read %zu bytes\n", len);
}

static void work(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000;
    for (uint64_t i = 0; i < n; i++)
        counter += i;
    printf("done\n");
}

/* Called through a volatile pointer: no tail call, no inlining, no loop. */
static int rec(int n);
static int (*volatile rec_ptr)(int) = rec;
static volatile int max_depth = -1;

static int rec(int n)
{
    if (n == max_depth)
        return n;
    return rec_ptr(n + 1) + 1;
}

static void recurse(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("result %d\n", rec_ptr(0));
}

static void deep(int argc, char **argv)
{
    max_depth = argc > 1 ? atoi(argv[1]) : 1000;
    printf("depth %d\n", rec_ptr(0) - max_depth);
}

static void grow(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;) {
        if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1) {
            printf("memory.grow failed at %u pages\n", (unsigned)__builtin_wasm_memory_size(0));
            exit(1);
        }
    }
}

static void grow_trap(int argc, char **argv)
{
    (void)argc, (void)argv;
    while (__builtin_wasm_memory_grow(0, 16) != (size_t)-1)
        counter++;
    __builtin_trap();
}

/* The blocks are chained from a volatile head, so that the compiler can
 * neither drop the allocations nor assume they succeed. */
static void *volatile blocks;

static void malloc_case(int argc, char **argv)
{
    (void)argc, (void)argv;
    unsigned n = 0;
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p) {
            printf("malloc failed after %u MiB\n", n);
            exit(1);
        }
        memset(p, 0xab, 1 << 20);
        *(void **)p = blocks;
        blocks = p;
        n++;
    }
}

static void unreachable(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("before the trap\n");
    fflush(stdout);
    __builtin_trap();
}

static void oob(int argc, char **argv)
{
    (void)argc, (void)argv;
    volatile uint32_t addr = 0xfffffff0u;
    counter = *(volatile uint32_t *)(uintptr_t)addr;
}

static void div0(int argc, char **argv)
{
    (void)argc, (void)argv;
    volatile int a = 1, b = 0;
    counter = (uint64_t)(a / b);
}

static const TestCase cases[] = {
    {"loop", loop},           {"loop_yield", loop_yield},
    {"loop_clock", loop_clock}, {"sleep", sleep_case},
    {"read_stdin", read_stdin}, {"work", work},
    {"recurse", recurse},     {"deep", deep},
    {"grow", grow},           {"malloc", malloc_case},
    {"grow_trap", grow_trap},
    {"unreachable", unreachable}, {"oob", oob},
    {"div0", div0},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
