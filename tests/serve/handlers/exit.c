/*
 * exit.c — writes a well-formed response, then exits with code=N (default
 * 3): a non-zero status must still make the server answer 500.
 */
#include "wagi.h"

int main(void)
{
    printf("Content-Type: text/plain\n\nexiting with %lld\n", query_number("code", 3));
    fflush(stdout);
    exit((int)query_number("code", 3));
}
