/*
 * crc32.c — wasmbox benchmark: byte loads, table lookups, shifts. Computes
 * the CRC-32 (IEEE 802.3, as zlib) of a pseudo-random buffer once per
 * iteration, changing the first byte each time: 768 KiB with a
 * byte-at-a-time table, then 32 KiB more bit by bit. Prints a checksum of the
 * CRCs.
 *
 * Usage: crc32 [ITERATIONS]    (default 110; prints "crc32(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ITERS 110
#define SIZE (1u << 20)

uint32_t bench_run(uint32_t iters);

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

static uint32_t crc32_table(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    for (uint32_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t crc32_bitwise(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    for (uint32_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

uint32_t bench_run(uint32_t iters)
{
    uint8_t *buf = malloc(SIZE);
    if (!buf)
        abort(); /* out of memory: a loud failure, never a checksum */
    uint32_t x = 2463534242u; /* xorshift32 */
    for (uint32_t i = 0; i < SIZE; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)(x >> 24);
    }
    make_table();
    uint32_t h = 0;
    for (uint32_t i = 0; i < iters; i++) {
        buf[0] = (uint8_t)i;
        uint32_t crc = crc32_table(0, buf, SIZE * 3 / 4);
        crc = crc32_bitwise(crc, buf + SIZE * 3 / 4, SIZE / 4 / 8);
        h = (h * 33u) ^ crc;
    }
    free(buf);
    return h;
}

#define BENCH_NAME "crc32"
#include "bench_main.h"
