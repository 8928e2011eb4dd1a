/*
 * strings.c — wasmbox benchmark: the C string library and byte handling.
 * Each iteration builds a 128 KiB text of pseudo-random words (memcpy),
 * tokenizes it (strspn/strcspn), looks each word up in a sorted keyword list
 * (strcmp), builds a new string from the words (reversed or upper-cased),
 * counts patterns in it (strstr, strchr), sorts 4,096 words (qsort + strcmp
 * through a function pointer) and hashes the results into the checksum.
 *
 * Usage: strings [ITERATIONS]    (default 90; prints "strings(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ITERS 90
#define TEXT_SIZE (128u << 10)
#define MAX_TOKENS (TEXT_SIZE / 2)
#define SORTED 4096

uint32_t bench_run(uint32_t iters);

static const char *const syllables[32] = {
    "ka", "lo", "mi", "zu", "ren", "to", "sha", "vel", "or", "an", "tri", "pe", "qua", "dor", "el", "fi",
    "gon", "ha", "ix", "jo", "ku", "lan", "mo", "nu", "o", "pra", "ro", "si", "tu", "ul", "wen", "xa",
};

/* Sorted, for the binary search. */
static const char *const keywords[] = {
    "anka", "dorel", "fi", "ha", "kalo", "lanmo", "mi", "orka", "quaro", "renel", "sha", "tu", "zu",
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

static uint32_t rng(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* Fills text with words and separators; returns its length. */
static size_t make_text(char *text, size_t cap, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    size_t n = 0;
    while (n + 32 < cap) {
        int parts = 1 + (int)(rng(&x) % 4);
        for (int i = 0; i < parts; i++) {
            const char *s = syllables[rng(&x) % 32];
            size_t len = strlen(s);
            memcpy(text + n, s, len);
            n += len;
        }
        uint32_t r = rng(&x) % 16;
        const char *sep = r < 11 ? " " : r < 14 ? ", " : r < 15 ? ".\n" : "; ";
        size_t len = strlen(sep);
        memcpy(text + n, sep, len);
        n += len;
    }
    text[n] = '\0';
    return n;
}

static int is_keyword(const char *w)
{
    size_t lo = 0, hi = NKEYWORDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w, keywords[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static int compare_words(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint32_t fnv1a(const char *s, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static size_t count_substr(const char *hay, const char *needle)
{
    size_t count = 0, len = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
        count++;
    return count;
}

uint32_t bench_run(uint32_t iters)
{
    char *text = malloc(TEXT_SIZE), *out = malloc(2 * TEXT_SIZE);
    char **tokens = malloc(MAX_TOKENS * sizeof *tokens);
    if (!text || !out || !tokens)
        abort(); /* out of memory: a loud failure, never a checksum */
    uint32_t h = 2166136261u;
    for (uint32_t it = 0; it < iters; it++) {
        make_text(text, TEXT_SIZE, it);
        /* Tokenize in place. */
        size_t ntok = 0, keyword_hits = 0;
        char *p = text;
        for (;;) {
            p += strspn(p, " ,.;\n");
            if (*p == '\0')
                break;
            size_t len = strcspn(p, " ,.;\n");
            tokens[ntok++] = p;
            if (p[len] == '\0')
                break;
            p[len] = '\0';
            p += len + 1;
        }
        /* Build the output string. */
        size_t n = 0;
        for (size_t i = 0; i < ntok; i++) {
            const char *w = tokens[i];
            size_t len = strlen(w);
            keyword_hits += (size_t)is_keyword(w);
            if (len > 6) {
                for (size_t j = 0; j < len; j++)
                    out[n + j] = (char)(w[j] >= 'a' && w[j] <= 'z' ? w[j] - 32 : w[j]);
            } else if (len > 3) {
                for (size_t j = 0; j < len; j++)
                    out[n + j] = w[len - 1 - j];
            } else {
                memcpy(out + n, w, len);
            }
            n += len;
            out[n++] = i % 13 == 12 ? '\n' : '-';
        }
        out[n] = '\0';
        size_t ka = count_substr(out, "ka-"), oro = count_substr(out, "ORO"),
               zu = count_substr(out, "-zu"), lines = 0;
        for (const char *q = strchr(out, '\n'); q; q = strchr(q + 1, '\n'))
            lines++;
        /* Words that share their first three letters with the next one. */
        size_t prefixes = 0;
        for (size_t i = 0; i + 1 < ntok; i++)
            prefixes += strncmp(tokens[i], tokens[i + 1], 3) == 0;
        size_t nsort = ntok < SORTED ? ntok : SORTED;
        qsort(tokens, nsort, sizeof *tokens, compare_words);
        for (size_t i = 0; i < nsort; i += 64)
            h = fnv1a(tokens[i], strlen(tokens[i]), h);
        h = fnv1a(out, n, h);
        h = (h * 33u) ^ (uint32_t)(ntok + (keyword_hits << 3) + (ka << 6) + (oro << 9) +
                                   (zu << 12) + (lines << 15) + (prefixes << 18));
    }
    free(text);
    free(out);
    free(tokens);
    return h;
}

#define BENCH_NAME "strings"
#include "bench_main.h"
