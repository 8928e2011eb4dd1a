/*
 * big.c — answers 200 with n=N bytes of body (default 1 MiB), byte i being
 * i % 251, application/octet-stream.
 */
#include "wagi.h"

int main(void)
{
    long long n = query_number("n", 1 << 20);
    static unsigned char chunk[251 * 256]; /* a whole number of periods */
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = (unsigned char)(i % 251);
    printf("Content-Type: application/octet-stream\n\n");
    while (n > 0) {
        size_t k = n < (long long)sizeof chunk ? (size_t)n : sizeof chunk;
        write_all(chunk, k);
        n -= (long long)k;
    }
    return 0;
}
