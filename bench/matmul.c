/*
 * matmul.c — wasmbox benchmark: floating-point loads, multiplies and adds
 * over arrays. Each iteration multiplies two 160x160 double matrices and two
 * 160x160 float matrices (naive i-j-k order, a dot product per element),
 * changing one input element each time, and folds the bits of the results'
 * sums into the checksum.
 *
 * Usage: matmul [ITERATIONS]    (default 20; prints "matmul(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ITERS 20
#define N 160

uint32_t bench_run(uint32_t iters);

static double ad[N * N], bd[N * N], cd[N * N];
static float af[N * N], bf[N * N], cf[N * N];

/* The naive dot-product order: the inner loop is a floating-point sum, which
 * the compiler may not reorder, so neither native code nor wasm vectorises
 * it and the ratio compares like with like. */
static void matmul_double(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double sum = 0;
            for (int k = 0; k < N; k++)
                sum += ad[i * N + k] * bd[k * N + j];
            cd[i * N + j] = sum;
        }
}

static void matmul_float(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            float sum = 0;
            for (int k = 0; k < N; k++)
                sum += af[i * N + k] * bf[k * N + j];
            cf[i * N + j] = sum;
        }
}

uint32_t bench_run(uint32_t iters)
{
    uint32_t x = 2463534242u; /* xorshift32 */
    for (int i = 0; i < N * N; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        ad[i] = (double)(x % 2001) / 1000.0 - 1.0;
        af[i] = (float)(x >> 21) / 1024.0f - 1.0f;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bd[i] = (double)(x % 2001) / 1000.0 - 1.0;
        bf[i] = (float)(x >> 21) / 1024.0f - 1.0f;
    }
    uint32_t h = 0;
    for (uint32_t it = 0; it < iters; it++) {
        ad[(it * 7919) % (N * N)] += 0.5;
        af[(it * 7919) % (N * N)] -= 0.25f;
        matmul_double();
        matmul_float();
        double sd = 0;
        float sf = 0;
        for (int i = 0; i < N * N; i++) {
            sd += cd[i] * (double)(i % 7 + 1);
            sf += cf[i];
        }
        uint64_t bd_bits;
        uint32_t bf_bits;
        memcpy(&bd_bits, &sd, sizeof bd_bits);
        memcpy(&bf_bits, &sf, sizeof bf_bits);
        h = (h * 33u) ^ (uint32_t)bd_bits ^ (uint32_t)(bd_bits >> 32) ^ (bf_bits << 1);
    }
    return h;
}

#define BENCH_NAME "matmul"
#include "bench_main.h"
