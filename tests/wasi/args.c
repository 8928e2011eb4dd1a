/*
 * args.c — prints what the guest was given: "argc=N", one "argv[i]=[...]"
 * line per argument, then one "env[i]=[...]" line per environment entry,
 * both read through libc (which calls args_get / environ_get), and checks
 * that args_sizes_get / environ_sizes_get agree with what was read.
 */
#include "common.h"

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    size_t argbytes = 0;
    for (int i = 0; i < argc; i++) {
        printf("argv[%d]=[%s]\n", i, argv[i]);
        argbytes += strlen(argv[i]) + 1;
    }
    size_t envc = 0, envbytes = 0;
    for (char **e = environ; e && *e; e++, envc++) {
        printf("env[%zu]=[%s]\n", envc, *e);
        envbytes += strlen(*e) + 1;
    }
    printf("envc=%zu\n", envc);

    int32_t n = -1, size = -1;
    CHECK_OK(raw_args_sizes_get(PTR(&n), PTR(&size)));
    CHECK_EQ(n, argc);
    CHECK_EQ(size, argbytes);
    CHECK_OK(raw_environ_sizes_get(PTR(&n), PTR(&size)));
    CHECK_EQ(n, envc);
    CHECK_EQ(size, envbytes);

    /* args_get again by hand: pointers must point into the buffer */
    CHECK_OK(raw_args_sizes_get(PTR(&n), PTR(&size)));
    char **ptrs = calloc((size_t)n + 1, sizeof *ptrs);
    char *buf = calloc((size_t)size + 1, 1);
    CHECK_OK(raw_args_get(PTR(ptrs), PTR(buf)));
    for (int i = 0; i < n && i < argc; i++) {
        CHECK(ptrs[i] >= buf && ptrs[i] < buf + size);
        CHECK_STR(ptrs[i], argv[i]);
    }
    free(ptrs);
    free(buf);
    fflush(stdout);
    report("%d checks, %d failed\n", checks_run, checks_failed);
    return checks_failed ? 1 : 0;
}
