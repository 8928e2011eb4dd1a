/*
 * fib.c — wasmbox benchmark: calls and returns. Computes the Fibonacci
 * numbers fib(31) and fib(32) by naive double recursion (about 5.6 million
 * calls per iteration on average, fewer once the compiler has turned one of
 * the two calls into a loop) and prints a checksum of the results.
 *
 * Usage: fib [ITERATIONS]    (default 48; prints "fib(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ITERS 48

uint32_t bench_run(uint32_t iters);

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

uint32_t bench_run(uint32_t iters)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < iters; i++)
        h = (h * 33u) ^ fib(31 + (i & 1));
    return h;
}

#define BENCH_NAME "fib"
#include "bench_main.h"
