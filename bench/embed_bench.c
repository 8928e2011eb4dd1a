/*
 * embed_bench.c — in-process costs of wasmbox as an embedder sees them,
 * measured through the public API (include/wasmbox.h) only; scripts/bench.sh
 * runs it and prints its lines under "Embedding". It measures, on two tiny
 * modules given below as byte arrays:
 *
 *   - wb_module_new (decode, validate, compile) of a small module;
 *   - wb_store_new + wb_store_delete of an empty store;
 *   - wb_instance_new of a module with one function, and of one with a
 *     1-page memory and a data segment (a fresh store each time, not timed);
 *   - one wb_func_call of an export returning a constant;
 *   - a whole "empty program": load + instantiate + call _start + teardown;
 *   - host memory per idle instance: 1000 instances in one store, RSS
 *     growth (/proc/self/statm) and heap growth (glibc mallinfo2) divided by
 *     1000, minus the linear memory the guest touches; and the address space
 *     each reserves.
 *
 * Times are medians (with the 10th and 90th percentiles) over SAMPLES
 * samples, in microseconds.
 *
 * Usage: embed_bench [SAMPLES] [INSTANCES]    (defaults 10000 and 1000)
 * Exit status 0, or 1 when an API call fails (the error is printed).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif

#include "wasmbox.h"

/* (module (func (export "answer") (result i32) i32.const 42)) */
static const uint8_t module_func[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                   /* header */
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,                         /* type: [] -> [i32] */
    0x03, 0x02, 0x01, 0x00,                                           /* func: type 0 */
    0x07, 0x0a, 0x01, 0x06, 'a', 'n', 's', 'w', 'e', 'r', 0x00, 0x00, /* export */
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,                   /* code: i32.const 42 */
};

/*
 * (module
 *   (memory (export "memory") 1)
 *   (data (i32.const 0) "wasmbox")
 *   (func (export "_start"))
 *   (func (export "load") (result i32) i32.const 0 i32.load))
 */
static const uint8_t module_memory[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                   /* header */
    0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, 0x7f,       /* types */
    0x03, 0x03, 0x02, 0x00, 0x01,                                     /* funcs */
    0x05, 0x03, 0x01, 0x00, 0x01,                                     /* memory: min 1 */
    0x07, 0x1a, 0x03,                                                 /* exports */
    0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00,
    0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,
    0x04, 'l', 'o', 'a', 'd', 0x00, 0x01,
    0x0a, 0x0c, 0x02,                                                 /* code */
    0x02, 0x00, 0x0b,                                                 /* _start: nothing */
    0x07, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x0b,                   /* load: i32.load 0 */
    0x0b, 0x0d, 0x01, 0x00, 0x41, 0x00, 0x0b,                         /* data at 0: */
    0x07, 'w', 'a', 's', 'm', 'b', 'o', 'x',
};

static double *samples;
static long nsamples = 10000;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Prints one timing line from samples[0..nsamples). */
static void report(const char *what)
{
    qsort(samples, (size_t)nsamples, sizeof *samples, compare_double);
    printf("  %-52s %9.2f us   (p10 %.2f, p90 %.2f; %ld samples)\n", what,
           samples[nsamples / 2], samples[nsamples / 10], samples[nsamples * 9 / 10], nsamples);
}

static void fail(const char *what, wb_status s, const wb_error *err)
{
    char buf[256];
    fprintf(stderr, "embed_bench: %s: %s: %s\n", what, wb_status_name(s),
            err ? wb_error_format(err, buf, sizeof buf) : "");
    exit(1);
}

static wb_module *load(const uint8_t *bytes, size_t size)
{
    wb_module *m;
    wb_error err;
    wb_status s = wb_module_new(bytes, size, &m, &err);
    if (s != WB_OK)
        fail("wb_module_new", s, &err);
    return m;
}

static wb_store *new_store(void)
{
    wb_store *store = wb_store_new(NULL);
    if (!store)
        fail("wb_store_new", WB_ERR_NOMEM, NULL);
    return store;
}

static wb_instance *instantiate(wb_store *store, const wb_module *m)
{
    wb_instance *inst;
    wb_error err;
    wb_status s = wb_instance_new(store, m, NULL, &inst, &err);
    if (s != WB_OK)
        fail("wb_instance_new", s, &err);
    return inst;
}

static wb_func *export_func(const wb_instance *inst, const char *name)
{
    wb_extern ext;
    if (!wb_instance_export(inst, name, &ext) || ext.kind != WB_EXTERN_FUNC) {
        fprintf(stderr, "embed_bench: no exported function '%s'\n", name);
        exit(1);
    }
    return ext.of.func;
}

static void bench_module_new(void)
{
    for (long i = 0; i < nsamples; i++) {
        double t0 = now_us();
        wb_module *m = load(module_memory, sizeof module_memory);
        double t1 = now_us();
        wb_module_delete(m);
        samples[i] = t1 - t0;
    }
    report("wb_module_new, 2 functions + memory + data (85 B)");
}

static void bench_store(void)
{
    for (long i = 0; i < nsamples; i++) {
        double t0 = now_us();
        wb_store_delete(new_store());
        samples[i] = now_us() - t0;
    }
    report("wb_store_new + wb_store_delete (empty store)");
}

static void bench_instantiate(const uint8_t *bytes, size_t size, const char *what)
{
    wb_module *m = load(bytes, size);
    for (long i = 0; i < nsamples; i++) {
        wb_store *store = new_store();
        double t0 = now_us();
        instantiate(store, m);
        double t1 = now_us();
        wb_store_delete(store);
        samples[i] = t1 - t0;
    }
    wb_module_delete(m);
    report(what);
}

/* One call, timed over batches of 100 so the clock's own cost fades. */
static void bench_call(void)
{
    wb_module *m = load(module_func, sizeof module_func);
    wb_store *store = new_store();
    wb_func *f = export_func(instantiate(store, m), "answer");
    for (long i = 0; i < nsamples; i++) {
        wb_value result;
        wb_error err;
        double t0 = now_us();
        for (int k = 0; k < 100; k++) {
            wb_status s = wb_func_call(f, NULL, 0, &result, 1, &err);
            if (s != WB_OK || result.of.i32 != 42)
                fail("wb_func_call", s, &err);
        }
        samples[i] = (now_us() - t0) / 100;
    }
    wb_store_delete(store);
    wb_module_delete(m);
    report("wb_func_call of () -> i32.const 42");
}

static void bench_empty_program(void)
{
    for (long i = 0; i < nsamples; i++) {
        double t0 = now_us();
        wb_module *m = load(module_memory, sizeof module_memory);
        wb_store *store = new_store();
        wb_func *start = export_func(instantiate(store, m), "_start");
        wb_error err;
        wb_status s = wb_func_call(start, NULL, 0, NULL, 0, &err);
        if (s != WB_OK)
            fail("wb_func_call _start", s, &err);
        wb_store_delete(store);
        wb_module_delete(m);
        samples[i] = now_us() - t0;
    }
    report("empty program: load + instantiate + run + teardown");
}

/* Resident and virtual size of this process in bytes, from /proc/self/statm. */
static int statm(uint64_t *resident, uint64_t *virt)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, res = 0;
    int ok = f && fscanf(f, "%llu %llu", &size, &res) == 2;
    if (f)
        fclose(f);
    long ps = sysconf(_SC_PAGESIZE);
    *resident = res * (uint64_t)ps;
    *virt = size * (uint64_t)ps;
    return ok;
}

static uint64_t heap_bytes(void)
{
#ifdef HAVE_MALLINFO2
    struct mallinfo2 mi = mallinfo2();
    return (uint64_t)mi.uordblks + (uint64_t)mi.hblkhd;
#else
    return 0;
#endif
}

/*
 * Creates `count` instances of the module in one store and prints what each
 * costs the host. `touched` is the linear memory each instance's guest side
 * touches (its data segment), subtracted from the RSS figure.
 */
static void bench_idle_instances(const uint8_t *bytes, size_t size, long count, uint64_t touched,
                                 const char *what)
{
    wb_module *m = load(bytes, size);
    /* Warm the allocator up so its first growth is not charged. */
    wb_store *warm = new_store();
    for (int i = 0; i < 16; i++)
        instantiate(warm, m);
    wb_store_delete(warm);

    uint64_t rss0, virt0, rss1, virt1;
    uint64_t heap0 = heap_bytes();
    int ok = statm(&rss0, &virt0);
    wb_store *store = new_store();
    for (long i = 0; i < count; i++) {
        wb_func *f = export_func(instantiate(store, m), bytes == module_func ? "answer" : "load");
        wb_value result;
        wb_error err;
        wb_status s = wb_func_call(f, NULL, 0, &result, 1, &err); /* it has run once */
        if (s != WB_OK)
            fail("wb_func_call", s, &err);
    }
    uint64_t heap1 = heap_bytes();
    ok = ok && statm(&rss1, &virt1);
    wb_store_delete(store);
    wb_module_delete(m);
    if (!ok) {
        printf("  %-52s n/a (no /proc/self/statm)\n", what);
        return;
    }
    double rss = ((double)rss1 - (double)rss0) / (double)count - (double)touched;
    double virt = ((double)virt1 - (double)virt0) / (double)count;
    printf("  %-52s %9.0f B RSS", what, rss);
#ifdef HAVE_MALLINFO2
    printf(", %.0f B heap", ((double)heap1 - (double)heap0) / (double)count);
#else
    (void)heap1;
    (void)heap0;
#endif
    printf(", %.0f KiB address space (%ld instances)\n", virt / 1024, count);
}

int main(int argc, char **argv)
{
    long instances = 1000;
    if (argc > 1)
        nsamples = strtol(argv[1], NULL, 10);
    if (argc > 2)
        instances = strtol(argv[2], NULL, 10);
    if (nsamples < 10 || instances < 1) {
        fprintf(stderr, "usage: embed_bench [SAMPLES>=10] [INSTANCES>=1]\n");
        return 2;
    }
    samples = malloc((size_t)nsamples * sizeof *samples);
    if (!samples)
        return 1;
    long page = sysconf(_SC_PAGESIZE);

    bench_module_new();
    bench_store();
    bench_instantiate(module_func, sizeof module_func, "wb_instance_new, 1 function");
    bench_instantiate(module_memory, sizeof module_memory,
                      "wb_instance_new, 1-page memory + data segment");
    bench_call();
    bench_empty_program();
    bench_idle_instances(module_func, sizeof module_func, instances, 0,
                         "idle instance, 1 function: host memory each");
    bench_idle_instances(module_memory, sizeof module_memory, instances, (uint64_t)page,
                         "idle instance, 1-page memory: host memory each");
    printf("  (the 1-page line leaves out the %ld-byte page of linear memory its data\n"
           "   segment touches; heap = glibc mallinfo2, allocated whether touched or not)\n",
           page);
    free(samples);
    return 0;
}
