/*
 * bench_main.h — what every benchmark program shares: reading the optional
 * iteration count, and the main() that runs bench_run and prints
 * "NAME(N) = 0xCHECKSUM". Include it at the end of a program, after its
 * bench_run; define BENCH_NAME first, or BENCH_CUSTOM_MAIN to write a main
 * of your own with bench_iters(). Nothing here is built into the kernels
 * (BENCH_KERNEL), which export bench_run alone.
 */
#ifndef BENCH_KERNEL
#include <stdio.h>
#include <stdlib.h>

/* The iteration count from argv[1] (DEFAULT_ITERS without one), or -1
 * after printing the usage when it is not a number from 1 to 1,000,000. */
static long bench_iters(int argc, char **argv)
{
    long iters = DEFAULT_ITERS;
    if (argc > 1) {
        char *end;
        iters = strtol(argv[1], &end, 10);
        if (*end || iters < 1 || iters > 1000000) {
            fprintf(stderr, "usage: %s [ITERATIONS]\n", argv[0]);
            return -1;
        }
    }
    return iters;
}

#ifndef BENCH_CUSTOM_MAIN
int main(int argc, char **argv)
{
    long iters = bench_iters(argc, argv);
    if (iters < 0)
        return 2;
    printf("%s(%ld) = 0x%08lx\n", BENCH_NAME, iters, (unsigned long)bench_run((uint32_t)iters));
    return 0;
}
#endif
#endif
