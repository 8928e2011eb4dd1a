/*
 * sieve.c — wasmbox benchmark: integer loops and byte stores. Counts the
 * primes below four million with the sieve of Eratosthenes, once per
 * iteration (the limit shifts slightly each time so no two runs are the
 * same work), and prints a checksum of the counts and sums.
 *
 * Usage: sieve [ITERATIONS]    (default 33; prints "sieve(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ITERS 33
#define LIMIT 4000000u

uint32_t bench_run(uint32_t iters);

/* Sieves [0, limit] in `composite` and returns a hash of count and sum. */
static uint32_t sieve(uint8_t *composite, uint32_t limit)
{
    memset(composite, 0, limit + 1);
    uint32_t count = 0, sum = 0;
    for (uint32_t i = 2; i <= limit; i++) {
        if (composite[i])
            continue;
        count++;
        sum += i;
        if ((uint64_t)i * i <= limit)
            for (uint32_t j = i * i; j <= limit; j += i)
                composite[j] = 1;
    }
    return count * 2654435761u ^ sum;
}

uint32_t bench_run(uint32_t iters)
{
    uint8_t *composite = malloc(LIMIT + 1);
    if (!composite)
        abort(); /* out of memory: a loud failure, never a checksum */
    uint32_t h = 0;
    for (uint32_t i = 0; i < iters; i++)
        h = (h * 33u) ^ sieve(composite, LIMIT - (i % 64));
    free(composite);
    return h;
}

#define BENCH_NAME "sieve"
#include "bench_main.h"
