/*
 * wordfreq.c — the example workload `make run` builds for wasm32-wasi and
 * runs in wasmbox: a small, ordinary C program that knows nothing about
 * sandboxes.
 *
 *   wordfreq DIR [TOP]
 *
 * Reads every *.txt file in DIR, counts the words (runs of letters and
 * apostrophes, lowercased), writes DIR/wordfreq-report.txt with every word
 * and its count, most frequent first, and prints a summary with the TOP
 * (default 10) words. Under wasmbox, DIR is a preopened directory such as
 * /data, and the program can reach nothing else.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT "wordfreq-report.txt"
#define MAX_WORD 64

typedef struct Word {
    char *text; /* NULL: empty slot */
    unsigned long count;
} Word;

/* An open-addressing hash table of words, grown at 3/4 full. */
static Word *table;
static size_t capacity, used;

static size_t hash(const char *s)
{
    size_t h = 1469598103u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int grow(void)
{
    size_t ncap = capacity ? capacity * 2 : 1024;
    Word *n = calloc(ncap, sizeof *n);
    if (!n)
        return -1;
    for (size_t i = 0; i < capacity; i++) {
        if (!table[i].text)
            continue;
        size_t j = hash(table[i].text) & (ncap - 1);
        while (n[j].text)
            j = (j + 1) & (ncap - 1);
        n[j] = table[i];
    }
    free(table);
    table = n;
    capacity = ncap;
    return 0;
}

static int count_word(const char *w)
{
    if ((used + 1) * 4 > capacity * 3 && grow() != 0)
        return -1;
    size_t i = hash(w) & (capacity - 1);
    while (table[i].text && strcmp(table[i].text, w) != 0)
        i = (i + 1) & (capacity - 1);
    if (!table[i].text) {
        table[i].text = strdup(w);
        if (!table[i].text)
            return -1;
        used++;
    }
    table[i].count++;
    return 0;
}

/* Counts the words of one file; returns how many, or -1. */
static long count_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wordfreq: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char word[MAX_WORD];
    size_t len = 0;
    long words = 0;
    int c;
    do {
        c = fgetc(f);
        if (c != EOF && (isalpha(c) || (c == '\'' && len > 0))) {
            if (len + 1 < sizeof word)
                word[len++] = (char)tolower(c);
            continue;
        }
        while (len > 0 && word[len - 1] == '\'') /* "dogs'" counts as "dogs" */
            len--;
        if (len > 0) {
            word[len] = '\0';
            if (count_word(word) != 0) {
                fprintf(stderr, "wordfreq: out of memory\n");
                fclose(f);
                return -1;
            }
            words++;
            len = 0;
        }
    } while (c != EOF);
    fclose(f);
    return words;
}

static int by_count(const void *a, const void *b)
{
    const Word *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->text, y->text);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: wordfreq DIR [TOP]\n");
        return 2;
    }
    const char *dir = argv[1];
    int top = argc == 3 ? atoi(argv[2]) : 10;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "wordfreq: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char path[1024];
    long total = 0;
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_suffix(e->d_name, ".txt") || strcmp(e->d_name, REPORT) == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        long n = count_file(path);
        if (n < 0) {
            closedir(d);
            return 1;
        }
        printf("  %-24s %6ld words\n", e->d_name, n);
        total += n;
        files++;
    }
    closedir(d);

    /* the words, most frequent first */
    Word *list = malloc((used ? used : 1) * sizeof *list);
    if (!list) {
        fprintf(stderr, "wordfreq: out of memory\n");
        return 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < capacity; i++)
        if (table[i].text)
            list[n++] = table[i];
    qsort(list, n, sizeof *list, by_count);

    snprintf(path, sizeof path, "%s/%s", dir, REPORT);
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "wordfreq: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(out, "# %ld words, %zu distinct, in %d files\n", total, n, files);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%lu %s\n", list[i].count, list[i].text);
    if (fclose(out) != 0) {
        fprintf(stderr, "wordfreq: %s: %s\n", path, strerror(errno));
        return 1;
    }

    printf("%ld words (%zu distinct) in %d files; the %d most frequent:\n", total, n, files,
           top);
    for (size_t i = 0; i < n && i < (size_t)top; i++)
        printf("  %6lu  %s\n", list[i].count, list[i].text);
    printf("full list written to %s\n", path);
    return files > 0 ? 0 : 1;
}
