/*
 * stack.c — the calling thread's stack bounds. Threads other than the main
 * one ask glibc (pthread_getattr_np, which reads the thread's descriptor).
 * For the main thread glibc would read /proc/self/maps, tens of
 * microseconds of every `wasmbox run`: its stack is known instead from
 * where the process's stack ends (__libc_stack_end) and the stack rlimit.
 * The rlimit counts from the top of the stack, above __libc_stack_end by
 * the argument and environment strings, which the kernel keeps under a
 * quarter of the rlimit: so three quarters of it are below.
 * The answer is kept per thread.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/resource.h>

#include "platform/stack.h"

#if defined(__GLIBC__)
extern void *__libc_stack_end;

/* The main thread's lowest stack address when `sp` is on it, else 0. */
static uintptr_t main_stack_low(uintptr_t sp)
{
    struct rlimit rl;
    uintptr_t end = (uintptr_t)__libc_stack_end;
    if (!end || getrlimit(RLIMIT_STACK, &rl) != 0)
        return 0;
    uintptr_t size = rl.rlim_cur == RLIM_INFINITY ? (uintptr_t)8 << 20 : (uintptr_t)rl.rlim_cur;
    if (size > end || sp > end || sp <= end - size)
        return 0;
    return end - (size - size / 4);
}
#endif

uintptr_t wbStackLow(void)
{
    static _Thread_local uintptr_t low;
    static _Thread_local int known;
    if (!known) {
        known = 1;
#if defined(__GLIBC__)
        char here;
        low = main_stack_low((uintptr_t)&here);
        pthread_attr_t attr;
        if (!low && pthread_getattr_np(pthread_self(), &attr) == 0) {
            void *addr;
            size_t size;
            if (pthread_attr_getstack(&attr, &addr, &size) == 0)
                low = (uintptr_t)addr;
            pthread_attr_destroy(&attr);
        }
#endif
    }
    return low;
}
