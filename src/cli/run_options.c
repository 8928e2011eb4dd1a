/*
 * run_options.c — the values of `wasmbox run` options: sizes, durations and
 * counts (see run_options.h for the accepted forms).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/run_options.h"

/* Reads the leading decimal digits of text into *v; returns the first
 * character after them, or NULL when there are none or the value passes
 * 2^64. strtoull alone would also take signs and spaces. */
static const char *read_digits(const char *text, uint64_t *v)
{
    if (*text < '0' || *text > '9')
        return NULL;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(text, &end, 10);
    if (errno == ERANGE)
        return NULL;
    *v = n;
    return end;
}

int wbCliParseSize(const char *text, uint64_t *bytes)
{
    static const struct {
        const char *suffix;
        uint64_t unit;
    } units[] = {
        {"", 1},          {"b", 1},          {"k", 1ull << 10}, {"kib", 1ull << 10},
        {"m", 1ull << 20}, {"mib", 1ull << 20}, {"g", 1ull << 30}, {"gib", 1ull << 30},
    };
    uint64_t v;
    const char *rest = read_digits(text, &v);
    if (!rest)
        return 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(rest, units[i].suffix) == 0) {
            if (v > UINT64_MAX / units[i].unit)
                return 0;
            *bytes = v * units[i].unit;
            return 1;
        }
    }
    return 0;
}

int wbCliParseDuration(const char *text, uint64_t *ns)
{
    static const struct {
        const char *suffix;
        uint64_t unit;
    } units[] = {
        {"", 1000000000ull},  {"ms", 1000000ull},       {"s", 1000000000ull},
        {"m", 60000000000ull}, {"h", 3600000000000ull},
    };
    uint64_t whole;
    const char *rest = read_digits(text, &whole);
    if (!rest)
        return 0;
    /* a fraction: up to 6 digits count (microseconds of a second), more are
     * accepted and ignored */
    uint64_t frac = 0, scale = 1;
    if (*rest == '.') {
        rest++;
        if (*rest < '0' || *rest > '9')
            return 0;
        for (; *rest >= '0' && *rest <= '9'; rest++) {
            if (scale < 1000000) {
                frac = frac * 10 + (uint64_t)(*rest - '0');
                scale *= 10;
            }
        }
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(rest, units[i].suffix) == 0) {
            uint64_t unit = units[i].unit;
            if (whole > UINT64_MAX / unit)
                return 0;
            uint64_t total = whole * unit, part = frac * unit / scale; /* < 2^62 */
            if (total > UINT64_MAX - part)
                return 0;
            *ns = total + part;
            return 1;
        }
    }
    return 0;
}

int wbCliParseCount(const char *text, uint64_t *n)
{
    const char *rest = read_digits(text, n);
    return rest && *rest == '\0';
}

char *wbCliFormatSize(uint64_t bytes, char *buf, size_t n)
{
    static const struct {
        const char *name;
        uint64_t unit;
    } units[] = {{"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (bytes >= units[i].unit && bytes % units[i].unit == 0) {
            snprintf(buf, n, "%llu%s", (unsigned long long)(bytes / units[i].unit),
                     units[i].name);
            return buf;
        }
    }
    snprintf(buf, n, "%llu bytes", (unsigned long long)bytes);
    return buf;
}
