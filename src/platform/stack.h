/*
 * stack.h — how deep the calling thread's machine stack may go, so that
 * native code can stop guest recursion ("call stack exhausted") before the
 * host's stack overflows.
 */
#ifndef WB_PLATFORM_STACK_H
#define WB_PLATFORM_STACK_H

#include <stdint.h>

/* The lowest address of the calling thread's stack. Found once per
 * thread; 0 when the host cannot tell. */
uintptr_t wbStackLow(void);

#endif /* WB_PLATFORM_STACK_H */
