/*
 * sort.c — wasmbox benchmark: compares, swaps and array indexing. Each
 * iteration fills an array of 200,000 pseudo-random 32-bit numbers, sorts one
 * copy with quicksort (median of three, insertion sort for short runs) and
 * another with heapsort, checks both are sorted and equal, and folds a sample
 * of the result into the checksum.
 *
 * Usage: sort [ITERATIONS]    (default 9; prints "sort(N) = 0xCHECKSUM";
 *                              aborts if the two sorts disagree)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ITERS 9
#define COUNT 200000u

uint32_t bench_run(uint32_t iters);

static void swap(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(uint32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void quick_sort(uint32_t *a, long n)
{
    while (n > 16) {
        long mid = n / 2;
        if (a[mid] < a[0])
            swap(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap(&a[n - 1], &a[mid]);
        uint32_t pivot = a[mid];
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(&a[i], &a[j]);
            i++;
            j--;
        }
        /* Recurse into the smaller part, loop on the larger. */
        if (j + 1 < n - j - 1) {
            quick_sort(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            quick_sort(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion_sort(a, n);
}

static void sift_down(uint32_t *a, long root, long n)
{
    for (;;) {
        long child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        if (a[root] >= a[child])
            return;
        swap(&a[root], &a[child]);
        root = child;
    }
}

static void heap_sort(uint32_t *a, long n)
{
    for (long i = n / 2 - 1; i >= 0; i--)
        sift_down(a, i, n);
    for (long end = n - 1; end > 0; end--) {
        swap(&a[0], &a[end]);
        sift_down(a, 0, end);
    }
}

uint32_t bench_run(uint32_t iters)
{
    uint32_t *a = malloc(COUNT * sizeof *a), *b = malloc(COUNT * sizeof *b);
    if (!a || !b)
        abort(); /* out of memory: a loud failure, never a checksum */
    uint32_t h = 0;
    uint64_t x = 0x2545F4914F6CDD1Dull; /* xorshift64 */
    for (uint32_t it = 0; it < iters; it++) {
        for (uint32_t i = 0; i < COUNT; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            a[i] = (uint32_t)(x >> 32);
        }
        /* Every 4th iteration has many equal keys. */
        if (it % 4 == 3)
            for (uint32_t i = 0; i < COUNT; i++)
                a[i] %= 1000;
        memcpy(b, a, COUNT * sizeof *a);
        quick_sort(a, COUNT);
        heap_sort(b, COUNT);
        for (uint32_t i = 0; i < COUNT; i++)
            if (a[i] != b[i] || (i > 0 && a[i - 1] > a[i]))
                abort(); /* a wrong sort: a loud failure, never a checksum */
        for (uint32_t i = 0; i < COUNT; i += 997)
            h = (h * 33u) ^ a[i];
    }
    free(a);
    free(b);
    return h;
}

#define BENCH_NAME "sort"
#include "bench_main.h"
