/*
 * unit_main.c — runs the unit tests registered with TEST() (see unit.h).
 *
 *     unit-tests            run every test case
 *     unit-tests WORD...    run the cases whose name contains one of the WORDs
 *     unit-tests --list     print the names of the cases
 *
 * Prints one line per failed check, then ends with "N passed, N failed",
 * where N counts test cases (a case passes when all of its checks hold).
 * Exits 1 when a case failed or no case ran, 2 on bad usage.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

typedef struct UnitCase {
    const char *name;
    const char *file;
    int line;
    unitFn fn;
} UnitCase;

#if defined(__SANITIZE_ADDRESS__)
#define UNIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIT_ASAN 1
#endif
#endif

#ifdef UNIT_ASAN
/* Defaults that ASAN_OPTIONS may override: an allocation the machine cannot
 * satisfy returns NULL instead of ending the run, so code under test that
 * asks for gigabytes fails its test case (as "out of memory") by name. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

static UnitCase *aCase;     /* registered cases */
static size_t nCase, nCaseAlloc;
static const char *zCurrent = "?"; /* name of the running case */
static unsigned long nCheck;       /* checks evaluated */
static unsigned long nCheckFailed; /* checks failed in the running case */

void unitRegister(const char *name, const char *file, int line, unitFn fn)
{
    if (nCase == nCaseAlloc) {
        nCaseAlloc = nCaseAlloc ? 2 * nCaseAlloc : 64;
        aCase = realloc(aCase, nCaseAlloc * sizeof *aCase);
        if (!aCase) {
            fputs("unit-tests: out of memory\n", stderr);
            exit(2);
        }
    }
    aCase[nCase++] = (UnitCase){name, file, line, fn};
}

/* The start of every failure line. */
static void fail_prefix(const char *file, int line)
{
    nCheckFailed++;
    printf("%s:%d: %s: ", file, line, zCurrent);
}

bool unitCheck(bool ok, const char *file, int line, const char *expr)
{
    nCheck++;
    if (!ok) {
        fail_prefix(file, line);
        printf("CHECK(%s) failed\n", expr);
    }
    return ok;
}

bool unitCheckf(bool ok, const char *file, int line, const char *expr,
                const char *fmt, ...)
{
    nCheck++;
    if (!ok) {
        va_list ap;
        fail_prefix(file, line);
        printf("CHECK(%s) failed: ", expr);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
    }
    return ok;
}

bool unitCheckInt(const char *file, int line, const char *a_expr,
                  const char *b_expr, intmax_t a, intmax_t b)
{
    nCheck++;
    if (a != b) {
        fail_prefix(file, line);
        printf("CHECK_EQ(%s, %s) failed: %" PRIdMAX " (0x%" PRIxMAX
               ") != %" PRIdMAX " (0x%" PRIxMAX ")\n",
               a_expr, b_expr, a, (uintmax_t)a, b, (uintmax_t)b);
    }
    return a == b;
}

bool unitCheckUint(const char *file, int line, const char *a_expr,
                   const char *b_expr, uintmax_t a, uintmax_t b)
{
    nCheck++;
    if (a != b) {
        fail_prefix(file, line);
        printf("CHECK_EQ(%s, %s) failed: %" PRIuMAX " (0x%" PRIxMAX
               ") != %" PRIuMAX " (0x%" PRIxMAX ")\n",
               a_expr, b_expr, a, a, b, b);
    }
    return a == b;
}

bool unitCheckStr(const char *file, int line, const char *a_expr,
                  const char *b_expr, const char *a, const char *b)
{
    bool ok = (a && b) ? strcmp(a, b) == 0 : a == b;
    nCheck++;
    if (!ok) {
        fail_prefix(file, line);
        printf("CHECK_STR(%s, %s) failed: ", a_expr, b_expr);
        printf(a ? "\"%s\"" : "%s", a ? a : "NULL");
        printf(" != ");
        printf(b ? "\"%s\"\n" : "%s\n", b ? b : "NULL");
    }
    return ok;
}

void *unitDup(const void *p, size_t n)
{
    void *copy = malloc(n ? n : 1);
    if (!copy) {
        fputs("unit-tests: out of memory\n", stderr);
        exit(2);
    }
    if (n)
        memcpy(copy, p, n);
    return copy;
}

const char *unitHex(const void *p, size_t n)
{
    static char buf[3 * 24 + 8];
    const uint8_t *b = p;
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (k + 8 > sizeof buf) {
            snprintf(buf + k, sizeof buf - k, " ...");
            break;
        }
        k += (size_t)snprintf(buf + k, sizeof buf - k, i ? " %02x" : "%02x", b[i]);
    }
    return buf;
}

static int by_file_and_line(const void *pa, const void *pb)
{
    const UnitCase *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static bool selected(const UnitCase *c, int argc, char **argv)
{
    if (argc < 2)
        return true;
    for (int i = 1; i < argc; i++)
        if (strstr(c->name, argv[i]))
            return true;
    return false;
}

int main(int argc, char **argv)
{
    unsigned long passed = 0, failed = 0;

    /* Constructors run in an order nobody promises: sort for stable logs. */
    if (nCase > 1)
        qsort(aCase, nCase, sizeof *aCase, by_file_and_line);

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < nCase; i++)
            printf("%s  (%s:%d)\n", aCase[i].name, aCase[i].file, aCase[i].line);
        free(aCase);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--list | WORD...]\n", argv[0]);
            free(aCase);
            return 2;
        }
    }

    for (size_t i = 0; i < nCase; i++) {
        if (!selected(&aCase[i], argc, argv))
            continue;
        zCurrent = aCase[i].name;
        nCheckFailed = 0;
        fflush(stdout);
        aCase[i].fn();
        if (nCheckFailed)
            failed++;
        else
            passed++;
    }
    free(aCase);
    printf("unit-tests: %lu test cases, %lu checks\n", passed + failed, nCheck);
    printf("%lu passed, %lu failed\n", passed, failed);
    return (failed || passed == 0) ? 1 : 0;
}

int unitCountFds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}
