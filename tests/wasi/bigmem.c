/*
 * bigmem.c — a module whose initial memory is over 32 MiB (a large static
 * array): instantiating it under --max-memory 16MiB must fail with the
 * memory limit, before any of its code runs.
 */
#include <stdio.h>

static char big[32 << 20];

int main(int argc, char **argv)
{
    (void)argv;
    big[argc] = 1;
    printf("started with %d bytes of static data\n", (int)sizeof big);
    return big[0];
}
