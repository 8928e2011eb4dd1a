/*
 * recurse.c — unbounded recursion: the call stack runs out (500).
 */
#include "wagi.h"

/* Called through a volatile pointer: no tail call, no inlining, no loop. */
static int rec(int n);
static int (*volatile rec_ptr)(int) = rec;
static volatile int stop = -1;

static int rec(int n)
{
    if (n == stop)
        return n;
    return rec_ptr(n + 1) + 1;
}

int main(void)
{
    printf("Content-Type: text/plain\n\nPARTIAL OUTPUT BEFORE THE RECURSION\n");
    fflush(stdout);
    printf("%d\n", rec_ptr(0));
    return 0;
}
