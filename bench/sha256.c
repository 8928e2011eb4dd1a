/*
 * sha256.c — wasmbox benchmark: 32-bit rotates, adds and big-endian loads.
 * A self-contained SHA-256 (FIPS 180-4) hashes a 256 KiB pseudo-random
 * buffer once per iteration (the first word is the iteration number) and the
 * program prints a checksum of the digests. `sha256 --hex FILE` prints a
 * file's digest, to check the implementation against sha256sum.
 *
 * Usage: sha256 [ITERATIONS]    (default 200; prints "sha256(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ITERS 200
#define SIZE (256u << 10)

uint32_t bench_run(uint32_t iters);

typedef struct sha256 {
    uint32_t h[8];
    uint8_t block[64];
    uint32_t used;   /* bytes in block */
    uint64_t length; /* total bytes */
} sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_init(sha256 *s)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    s->used = 0;
    s->length = 0;
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

static void sha256_update(sha256 *s, const uint8_t *p, size_t n)
{
    s->length += n;
    while (n > 0) {
        if (s->used == 0 && n >= 64) {
            sha256_block(s->h, p);
            p += 64;
            n -= 64;
            continue;
        }
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += (uint32_t)take;
        p += take;
        n -= take;
        if (s->used == 64) {
            sha256_block(s->h, s->block);
            s->used = 0;
        }
    }
}

static void sha256_final(sha256 *s, uint8_t out[32])
{
    uint64_t bits = s->length * 8;
    uint8_t pad[72] = {0x80};
    size_t padlen = (s->used < 56 ? 56 : 120) - s->used;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(s, pad, padlen + 8);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (uint8_t)(s->h[i] >> (24 - 8 * j));
}

uint32_t bench_run(uint32_t iters)
{
    uint8_t *buf = malloc(SIZE);
    if (!buf)
        abort(); /* out of memory: a loud failure, never a checksum */
    uint32_t x = 88172645u; /* xorshift32 */
    for (uint32_t i = 0; i < SIZE; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
    uint32_t h = 0;
    for (uint32_t i = 0; i < iters; i++) {
        memcpy(buf, &i, sizeof i);
        sha256 s;
        uint8_t digest[32];
        sha256_init(&s);
        /* Uneven pieces, so the buffering path runs too. */
        sha256_update(&s, buf, 1000);
        sha256_update(&s, buf + 1000, SIZE - 1000 - i % 64);
        sha256_final(&s, digest);
        for (int j = 0; j < 32; j += 4)
            h = (h * 33u) ^ ((uint32_t)digest[j] << 24 | (uint32_t)digest[j + 1] << 16 |
                             (uint32_t)digest[j + 2] << 8 | digest[j + 3]);
    }
    free(buf);
    return h;
}

#define BENCH_CUSTOM_MAIN
#include "bench_main.h"

#ifndef BENCH_KERNEL
/* Prints the SHA-256 of a file, as sha256sum does. */
static int hex_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    sha256 s;
    uint8_t chunk[4096], digest[32];
    size_t n;
    sha256_init(&s);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sha256_update(&s, chunk, n);
    fclose(f);
    sha256_final(&s, digest);
    for (int i = 0; i < 32; i++)
        printf("%02x", digest[i]);
    printf("  %s\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--hex") == 0)
        return hex_file(argv[2]);
    long iters = bench_iters(argc, argv);
    if (iters < 0)
        return 2;
    printf("sha256(%ld) = 0x%08lx\n", iters, (unsigned long)bench_run((uint32_t)iters));
    return 0;
}
#endif
