/*
 * no_openat2.c — an LD_PRELOAD shim for the WASI suite (run.sh builds it
 * with the host's cc into build/wasi/no_openat2.so): syscall() answers
 * ENOSYS for openat2, as a kernel older than Linux 5.6 (or a seccomp filter)
 * would, so that wasmbox takes its fallback path walk; every other system
 * call goes through.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>

#ifndef SYS_openat2
#define SYS_openat2 437 /* the same number on every architecture */
#endif

long syscall(long number, ...);

long syscall(long number, ...)
{
    static long (*next)(long, ...);
    /* six arguments, whatever the call takes: as glibc's own syscall()
     * does, the unused ones are whatever the registers hold */
    va_list ap;
    va_start(ap, number);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    if (number == SYS_openat2) {
        errno = ENOSYS;
        return -1;
    }
    if (!next)
        next = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    if (!next) {
        errno = ENOSYS;
        return -1;
    }
    return next(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
