/*
 * collatz.c — wasmbox benchmark: 64-bit integer arithmetic and unpredictable
 * branches. Walks the Collatz sequence of every number in a block of 100,000
 * consecutive starting values per iteration, and prints a checksum of the
 * step counts and the longest chain found.
 *
 * Usage: collatz [ITERATIONS]    (default 17; prints "collatz(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ITERS 17
#define BLOCK 100000u

uint32_t bench_run(uint32_t iters);

/* Steps from n down to 1. */
static uint32_t collatz_steps(uint64_t n)
{
    uint32_t steps = 0;
    while (n != 1) {
        n = (n & 1) ? 3 * n + 1 : n >> 1;
        steps++;
    }
    return steps;
}

uint32_t bench_run(uint32_t iters)
{
    uint32_t h = 0, best = 0;
    uint64_t best_start = 0, total = 0;
    for (uint32_t i = 0; i < iters; i++) {
        uint64_t first = 1 + (uint64_t)i * BLOCK;
        for (uint64_t n = first; n < first + BLOCK; n++) {
            uint32_t s = collatz_steps(n);
            total += s;
            if (s > best) {
                best = s;
                best_start = n;
            }
        }
        h = (h * 31u) ^ (uint32_t)total;
    }
    return h ^ best ^ (uint32_t)(best_start * 0x9E3779B97F4A7C15ull >> 32);
}

#define BENCH_NAME "collatz"
#include "bench_main.h"
