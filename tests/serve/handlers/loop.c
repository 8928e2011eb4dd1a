/*
 * loop.c — spins for ever without calling the host: stopped only by the
 * route's --timeout (504) or --fuel (504).
 */
#include "wagi.h"

static volatile unsigned long long counter;

int main(void)
{
    printf("Content-Type: text/plain\n\nPARTIAL OUTPUT BEFORE THE LOOP\n");
    fflush(stdout);
    for (;;)
        counter++;
}
