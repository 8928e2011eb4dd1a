/*
 * cat.c — copies stdin to stdout with fd_read / fd_write in small chunks,
 * then writes "cat: N bytes" to stderr.
 */
#include "common.h"

int main(void)
{
    char buf[7]; /* small, so that a line takes several reads */
    unsigned long total = 0;
    for (;;) {
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
        int32_t n = 0;
        int32_t e = raw_fd_read(0, PTR(&iov), 1, PTR(&n));
        if (e != 0) {
            fprintf(stderr, "cat: read error %s\n", errno_name(e));
            return 1;
        }
        if (n == 0)
            break;
        __wasi_ciovec_t out = {(const uint8_t *)buf, (size_t)n};
        int32_t w = 0;
        e = raw_fd_write(1, PTR(&out), 1, PTR(&w));
        if (e != 0 || w != n) {
            fprintf(stderr, "cat: write error %s\n", errno_name(e));
            return 1;
        }
        total += (unsigned long)n;
    }
    fprintf(stderr, "cat: %lu bytes\n", total);
    return 0;
}
