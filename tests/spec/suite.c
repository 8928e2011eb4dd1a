/*
 * suite.c — finds the .wast files to run: every one in the suite folder,
 * sorted by name, or just those named on the command line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static bool has_wast_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".wast") == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void spec_suite_free(char **names, size_t count)
{
    if (!names)
        return;
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* why: strerror text if the folder cannot be opened, NULL if it is empty. */
static void missing(const char *suite, const char *why)
{
    fprintf(stderr, "spec-runner: spec test suite not found: %s '%s'%s%s\n",
            why ? "cannot open" : "no .wast files in", suite,
            why ? ": " : "", why ? why : "");
    fprintf(stderr,
            "spec-runner: set $WASM_TESTSUITE or pass --suite DIR (a folder "
            "of .wast files; default ../shared/wasm-testsuite from the "
            "repository root)\n");
}

/* Every .wast in `suite`, sorted; NULL on error (message printed). */
static char **list_all(const char *suite, size_t *count)
{
    DIR *d = opendir(suite);
    if (!d) {
        missing(suite, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 0;
    char **names = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_wast_suffix(e->d_name))
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            char **bigger = realloc(names, ncap * sizeof *names);
            if (!bigger)
                break;
            names = bigger;
            cap = ncap;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (n == 0) {
        free(names);
        missing(suite, NULL);
        return NULL;
    }
    qsort(names, n, sizeof *names, compare_names);
    *count = n;
    return names;
}

/* "i32", "i32.wast" or "some/dir/i32.wast" -> malloc'ed "i32.wast". */
static char *wast_name(const char *arg)
{
    const char *slash = strrchr(arg, '/');
    const char *base = slash ? slash + 1 : arg;
    size_t n = strlen(base);
    bool suffixed = has_wast_suffix(base);
    char *s = malloc(n + (suffixed ? 0 : 5) + 1);
    if (s) {
        memcpy(s, base, n);
        strcpy(s + n, suffixed ? "" : ".wast");
    }
    return s;
}

static bool listed(char **names, size_t n, const char *name)
{
    return bsearch(&name, names, n, sizeof *names, compare_names) != NULL;
}

char **spec_suite_list(const spec_options *opt, size_t *count, int *status)
{
    size_t n_all = 0;
    char **all = list_all(opt->suite, &n_all);
    *count = 0;
    *status = 1;
    if (!all || opt->n_names == 0) {
        *count = n_all;
        return all;
    }
    char **picked = calloc((size_t)opt->n_names, sizeof *picked);
    size_t n = 0;
    bool ok = picked != NULL;
    for (int i = 0; ok && i < opt->n_names; i++) {
        char *name = wast_name(opt->names[i]);
        if (!name) {
            ok = false;
        } else if (!listed(all, n_all, name)) {
            fprintf(stderr, "spec-runner: no %s in the suite folder '%s'\n",
                    name, opt->suite);
            free(name);
            *status = 2;
            ok = false;
        } else if (listed(picked, n, name)) {
            free(name); /* named twice: run once */
        } else {
            picked[n++] = name;
            qsort(picked, n, sizeof *picked, compare_names);
        }
    }
    spec_suite_free(all, n_all);
    if (!ok) {
        spec_suite_free(picked, n);
        return NULL;
    }
    *count = n;
    return picked;
}
