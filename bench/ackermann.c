/*
 * ackermann.c — wasmbox benchmark: deep recursion. Computes the Ackermann
 * function A(3, 8) and A(3, 9) alternately; A(3, 9) makes about 11 million
 * calls and recurses about 4,000 frames deep. Prints a checksum of the
 * results and of the number of calls.
 *
 * Usage: ackermann [ITERATIONS]    (default 38; prints "ackermann(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ITERS 38

uint32_t bench_run(uint32_t iters);

static uint32_t calls;

static uint32_t ack(uint32_t m, uint32_t n)
{
    calls++;
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

uint32_t bench_run(uint32_t iters)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < iters; i++) {
        calls = 0;
        uint32_t r = ack(3, 8 + (i & 1));
        h = (h * 33u) ^ r ^ (calls << 12);
    }
    return h;
}

#define BENCH_NAME "ackermann"
#include "bench_main.h"
