/*
 * wagi.h — helpers shared by the serve suite's handlers (tests/serve/
 * handlers/NAME.c): the query string, the request body, header-safe output.
 * Each handler is a WASI command that `wasmbox serve` runs once per request
 * (WAGI: the request in the environment, its body on stdin; the response
 * headers, a blank line and the body on stdout).
 */
#ifndef SERVE_WAGI_H
#define SERVE_WAGI_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * query_param NAME — the value of NAME in QUERY_STRING ("a=1&b=x%20y"),
 * percent-decoded and with '+' as a space, or NULL when absent. A bare
 * "NAME" (no '=') gives "". The result lives until the next call.
 */
static inline const char *query_param(const char *name)
{
    static char value[4096];
    const char *q = getenv("QUERY_STRING");
    size_t len = strlen(name);
    while (q && *q) {
        const char *end = strchr(q, '&');
        size_t n = end ? (size_t)(end - q) : strlen(q);
        if (n >= len && strncmp(q, name, len) == 0 && (n == len || q[len] == '=')) {
            size_t o = 0;
            for (size_t i = len + 1; i < n && o + 1 < sizeof value; i++) {
                int hi, lo;
                if (q[i] == '+') {
                    value[o++] = ' ';
                } else if (q[i] == '%' && i + 2 < n && (hi = hexval(q[i + 1])) >= 0 &&
                           (lo = hexval(q[i + 2])) >= 0) {
                    value[o++] = (char)(hi * 16 + lo);
                    i += 2;
                } else {
                    value[o++] = q[i];
                }
            }
            value[o] = 0;
            return value;
        }
        q = end ? end + 1 : NULL;
    }
    return NULL;
}

/* query_number NAME DEFAULT — a decimal query parameter. */
static inline long long query_number(const char *name, long long dflt)
{
    const char *v = query_param(name);
    return v && *v ? strtoll(v, NULL, 10) : dflt;
}

/* read_body &LEN — all of stdin (malloc'd, NUL-terminated), or exits 70. */
static inline char *read_body(size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "out of memory reading the body\n");
            exit(70);
        }
        ssize_t got = read(0, buf + n, cap - n);
        if (got < 0) {
            perror("read");
            exit(70);
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* write_all — the bytes to stdout, unbuffered (after fflush). */
static inline void write_all(const void *p, size_t n)
{
    const char *c = p;
    fflush(stdout);
    while (n > 0) {
        ssize_t w = write(1, c, n);
        if (w <= 0) {
            perror("write");
            exit(71);
        }
        c += w;
        n -= (size_t)w;
    }
}

/* print_header_value — TEXT with control characters shown as '?', so that
 * whatever a client sent, the handler's own output stays well-formed. */
static inline void print_header_value(const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        putchar(*c < 0x20 || *c == 0x7f ? '?' : *c);
}

#endif /* SERVE_WAGI_H */
