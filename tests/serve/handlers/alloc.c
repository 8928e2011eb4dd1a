/*
 * alloc.c — mallocs 1 MiB blocks (touched) without end; when malloc
 * finally fails (the route's --max-memory), says so on stderr and exits 1:
 * the server must answer 500 and name the memory limit.
 */
#include "wagi.h"

static void *volatile blocks; /* chained, so the allocations cannot be dropped */

int main(void)
{
    unsigned n = 0;
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p) {
            fprintf(stderr, "malloc failed after %u MiB\n", n);
            return 1;
        }
        memset(p, 0xab, 1 << 20);
        *(void **)p = blocks;
        blocks = p;
        n++;
    }
}
