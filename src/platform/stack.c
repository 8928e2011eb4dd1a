/*
 * stack.c — the calling thread's stack bounds (glibc's pthread_getattr_np;
 * for the main thread it reads the stack rlimit and /proc, so the answer is
 * kept per thread).
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "platform/stack.h"

uintptr_t wbStackLimit(uintptr_t margin)
{
    static _Thread_local uintptr_t low;
    static _Thread_local int known;
    if (!known) {
        known = 1;
#if defined(__GLIBC__)
        pthread_attr_t attr;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            void *addr;
            size_t size;
            if (pthread_attr_getstack(&attr, &addr, &size) == 0)
                low = (uintptr_t)addr;
            pthread_attr_destroy(&attr);
        }
#endif
    }
    return low ? low + margin : 0;
}
