/*
 * unit.h — the unit-test framework: self-registering test cases and checks.
 *
 *     #include "unit.h"
 *     TEST(leb_u32_zero) {
 *         CHECK_EQ(decode(...), 0);
 *     }
 *
 * TEST(name) defines a static test function and registers it before main()
 * runs (a constructor), so a new tests/unit/test_*.c file needs no list to be
 * edited. Checks do not stop the test: each failed one prints a line
 * "file:line: test: what failed" and marks the test case failed. Every check
 * returns whether it held, so a test can stop early: `if (!CHECK(p)) return;`.
 * unit_main.c runs the cases in file and line order and counts test cases.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*unitFn)(void);

/* Called by TEST's constructor; keeps the case for unit_main.c. */
void unitRegister(const char *name, const char *file, int line, unitFn fn);

bool unitCheck(bool ok, const char *file, int line, const char *expr);
bool unitCheckf(bool ok, const char *file, int line, const char *expr,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
bool unitCheckInt(const char *file, int line, const char *a_expr,
                  const char *b_expr, intmax_t a, intmax_t b);
bool unitCheckUint(const char *file, int line, const char *a_expr,
                   const char *b_expr, uintmax_t a, uintmax_t b);
bool unitCheckStr(const char *file, int line, const char *a_expr,
                  const char *b_expr, const char *a, const char *b);

/* "00 61 73 6d" for messages: the first bytes of p[0..n), in a static
 * buffer that the next call reuses. */
const char *unitHex(const void *p, size_t n);

/* A malloc'ed copy of p[0..n) in a block of exactly n bytes (1 when n is
 * 0), so ASan reports code under test that reads past the end of its
 * input. Free it with free(). Never NULL. */
void *unitDup(const void *p, size_t n);

/* How many descriptors this process has open (-1 without /proc): a test
 * compares it before and after, to show the code under test closed what
 * it opened. */
int unitCountFds(void);

/* UNIT_BYTES(0x00, 0x61) expands to `(const uint8_t[]){...}, size`: an
 * array and its length as two arguments, for helpers taking (bytes, n). */
#define UNIT_BYTES(...) \
    (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

#define TEST(name)                                                         \
    static void name(void);                                                \
    __attribute__((constructor)) static void unit_register_##name(void)    \
    {                                                                      \
        unitRegister(#name, __FILE__, __LINE__, name);                     \
    }                                                                      \
    static void name(void)

/* CHECK(cond): cond must hold. */
#define CHECK(cond) unitCheck(!!(cond), __FILE__, __LINE__, #cond)

/* CHECKF(cond, fmt, ...): as CHECK, adding printf-style context on failure
 * (which input, which iteration). */
#define CHECKF(cond, ...) unitCheckf(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

/* CHECK_EQ(actual, expected) for integers of any type (enums and bools
 * included); on failure prints both values, in decimal and hex. The
 * comparison is done in the signedness of `actual`. Each side is evaluated
 * once. Pointers do not compile: use CHECK(p == q). */
#define CHECK_EQ(a, b)                                                     \
    _Generic((a) + 0,                                                      \
        int: unitCheckInt, long: unitCheckInt, long long: unitCheckInt,    \
        unsigned int: unitCheckUint, unsigned long: unitCheckUint,         \
        unsigned long long: unitCheckUint)(__FILE__, __LINE__, #a, #b, (a), (b))

/* CHECK_STR(actual, expected): equal C strings; NULL equals only NULL. */
#define CHECK_STR(a, b) unitCheckStr(__FILE__, __LINE__, #a, #b, (a), (b))

#endif /* UNIT_H */
