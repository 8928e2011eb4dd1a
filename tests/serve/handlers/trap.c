/*
 * trap.c — starts a well-formed response, flushes it, then traps
 * (unreachable): the server must answer 500 and send none of it.
 */
#include "wagi.h"

int main(void)
{
    printf("Content-Type: text/plain\n\nPARTIAL OUTPUT BEFORE THE TRAP\n");
    fflush(stdout);
    __builtin_trap();
}
