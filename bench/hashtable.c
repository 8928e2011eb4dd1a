/*
 * hashtable.c — wasmbox benchmark: hashing, random memory access and
 * branches. An open-addressing hash table (linear probing, 2^18 slots,
 * backward-shift deletion) of 32-bit keys to counters: each iteration
 * inserts 150,000 pseudo-random keys (some repeat), looks up 300,000 (about
 * half present), deletes a third of the keys and looks them up again.
 * Prints a checksum of the hits, counters and final size.
 *
 * Usage: hashtable [ITERATIONS]    (default 32; prints "hashtable(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ITERS 32
#define SLOTS (1u << 18)
#define MASK (SLOTS - 1)
#define INSERTS 150000u

uint32_t bench_run(uint32_t iters);

typedef struct slot {
    uint32_t key; /* 0: empty */
    uint32_t value;
} slot;

static uint32_t hash(uint32_t k)
{
    /* murmur3's finaliser */
    k ^= k >> 16;
    k *= 0x85ebca6bu;
    k ^= k >> 13;
    k *= 0xc2b2ae35u;
    k ^= k >> 16;
    return k;
}

/* Adds 1 to key's counter, inserting it at 1. Returns the new count. */
static uint32_t table_add(slot *t, uint32_t key)
{
    for (uint32_t i = hash(key) & MASK;; i = (i + 1) & MASK) {
        if (t[i].key == key)
            return ++t[i].value;
        if (t[i].key == 0) {
            t[i].key = key;
            t[i].value = 1;
            return 1;
        }
    }
}

static slot *table_find(slot *t, uint32_t key)
{
    for (uint32_t i = hash(key) & MASK;; i = (i + 1) & MASK) {
        if (t[i].key == key)
            return &t[i];
        if (t[i].key == 0)
            return NULL;
    }
}

/* Removes key; returns 1 if it was there. Backward-shift keeps probes short. */
static int table_remove(slot *t, uint32_t key)
{
    slot *s = table_find(t, key);
    if (!s)
        return 0;
    uint32_t hole = (uint32_t)(s - t);
    for (uint32_t i = (hole + 1) & MASK; t[i].key != 0; i = (i + 1) & MASK) {
        uint32_t home = hash(t[i].key) & MASK;
        /* Move t[i] into the hole unless its home lies cyclically in (hole, i]. */
        if (((i - home) & MASK) >= ((i - hole) & MASK)) {
            t[hole] = t[i];
            hole = i;
        }
    }
    t[hole].key = 0;
    t[hole].value = 0;
    return 1;
}

static uint32_t next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

uint32_t bench_run(uint32_t iters)
{
    slot *t = malloc(SLOTS * sizeof *t);
    if (!t)
        abort(); /* out of memory: a loud failure, never a checksum */
    uint32_t h = 0;
    for (uint32_t it = 0; it < iters; it++) {
        memset(t, 0, SLOTS * sizeof *t);
        uint32_t seed = 0x12345678u + it, x = seed;
        uint32_t sum = 0, hits = 0, removed = 0, size = 0;
        /* Keys from a range of 2^17 values, so some repeat. */
        for (uint32_t i = 0; i < INSERTS; i++) {
            uint32_t c = table_add(t, (next(&x) & 0x1ffff) + 1);
            sum += c;
            size += c == 1;
        }
        x = seed ^ 0x5bd1e995u;
        for (uint32_t i = 0; i < 2 * INSERTS; i++) {
            slot *s = table_find(t, (next(&x) & 0x3ffff) + 1);
            if (s) {
                hits++;
                sum += s->value * i;
            }
        }
        x = seed;
        for (uint32_t i = 0; i < INSERTS / 3; i++)
            removed += (uint32_t)table_remove(t, (next(&x) & 0x1ffff) + 1);
        x = seed;
        for (uint32_t i = 0; i < INSERTS / 3; i++)
            hits += table_find(t, (next(&x) & 0x1ffff) + 1) != NULL;
        h = (h * 33u) ^ sum ^ (hits << 7) ^ (removed << 14) ^ (size - removed);
    }
    free(t);
    return h;
}

#define BENCH_NAME "hashtable"
#include "bench_main.h"
