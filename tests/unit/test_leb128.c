/*
 * test_leb128.c — the LEB128 readers of engine/reader.h at every width
 * (u32, s32, s33, s64, u64): minimal and padded encodings of 0, 1, -1 and
 * the extremes, over-long encodings, unused bits set in the last byte,
 * truncated input, and the offsets and messages recorded in the wb_error.
 * Each input is copied into a buffer of exactly its size, so ASan reports a
 * read past the end.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/reader.h"
#include "unit.h"

typedef enum Width { U32, S32, S33, S64, U64 } Width;

static const char *const azWidth[] = {"u32", "s32", "s33", "s64", "u64"};

#define TOO_LONG "integer representation too long"
#define TOO_LARGE "integer too large"
#define END "unexpected end"

/* Decodes one integer of width `w` from the n bytes at `bytes`; the value is
 * sign-extended to 64 bits for the signed widths. Returns the read's result;
 * *consumed is how far the reader moved. */
static bool decode(Width w, const uint8_t *bytes, size_t n, uint64_t *val,
                   wb_error *err, size_t *consumed)
{
    uint8_t *copy = unitDup(bytes, n);
    memset(err, 0, sizeof *err);
    wbReader r = wbReaderInit(copy, n, err);
    bool ok = false;
    *val = 0;
    switch (w) {
    case U32: {
        uint32_t v;
        if ((ok = wbReadU32(&r, &v)))
            *val = v;
        break;
    }
    case S32: {
        int32_t v;
        if ((ok = wbReadS32(&r, &v)))
            *val = (uint64_t)(int64_t)v;
        break;
    }
    case S33: {
        int64_t v;
        if ((ok = wbReadS33(&r, &v)))
            *val = (uint64_t)v;
        break;
    }
    case S64: {
        int64_t v;
        if ((ok = wbReadS64(&r, &v)))
            *val = (uint64_t)v;
        break;
    }
    case U64:
        ok = wbReadU64(&r, val);
        break;
    }
    *consumed = r.pos;
    free(copy);
    return ok;
}

/* The n bytes decode to `want` and are all consumed. */
static void check_ok(const char *file, int line, Width w, uint64_t want,
                     const uint8_t *b, size_t n)
{
    uint64_t got;
    size_t used;
    wb_error err;
    bool ok = decode(w, b, n, &got, &err, &used);
    unitCheckf(ok, file, line, "decodes", "%s [%s]: %s", azWidth[w], unitHex(b, n),
               err.message ? err.message : "?");
    if (!ok)
        return;
    unitCheckf(got == want, file, line, "value", "%s [%s]: got 0x%llx, want 0x%llx",
               azWidth[w], unitHex(b, n), (unsigned long long)got, (unsigned long long)want);
    unitCheckf(used == n, file, line, "consumed", "%s [%s]: read %zu of %zu bytes",
               azWidth[w], unitHex(b, n), used, n);
    unitCheckf(err.status == WB_OK, file, line, "no error", "%s [%s]", azWidth[w], unitHex(b, n));
}

/* The n bytes are rejected as malformed with `message`. */
static void check_bad(const char *file, int line, Width w, const char *message,
                      const uint8_t *b, size_t n)
{
    uint64_t got;
    size_t used;
    wb_error err;
    bool ok = decode(w, b, n, &got, &err, &used);
    unitCheckf(!ok, file, line, "rejected", "%s [%s] decoded to 0x%llx", azWidth[w],
               unitHex(b, n), (unsigned long long)got);
    if (ok)
        return;
    unitCheckf(err.status == WB_ERR_MALFORMED, file, line, "malformed",
               "%s [%s]: status %d", azWidth[w], unitHex(b, n), (int)err.status);
    unitCheckf(err.message && strcmp(err.message, message) == 0, file, line, "message",
               "%s [%s]: \"%s\", want \"%s\"", azWidth[w], unitHex(b, n),
               err.message ? err.message : "(null)", message);
}

#define OK(w, want, ...) check_ok(__FILE__, __LINE__, w, (uint64_t)(want), UNIT_BYTES(__VA_ARGS__))
#define BAD(w, msg, ...) check_bad(__FILE__, __LINE__, w, msg, UNIT_BYTES(__VA_ARGS__))

/* Nine continuation bytes: zero payload, or all payload bits set. */
#define Z9 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80
#define F9 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff

TEST(leb_u32_values)
{
    OK(U32, 0, 0x00);
    OK(U32, 0, 0x80, 0x80, 0x80, 0x80, 0x00); /* padded to the maximum 5 bytes */
    OK(U32, 1, 0x01);
    OK(U32, 1, 0x81, 0x80, 0x80, 0x80, 0x00);
    OK(U32, 127, 0x7f);
    OK(U32, 128, 0x80, 0x01);
    OK(U32, 624485, 0xe5, 0x8e, 0x26);
    OK(U32, 0x7fffffff, 0xff, 0xff, 0xff, 0xff, 0x07);
    OK(U32, UINT32_MAX, 0xff, 0xff, 0xff, 0xff, 0x0f);
    /* -1 as an unsigned 32-bit value is its maximum */
    OK(U32, (uint32_t)-1, 0xff, 0xff, 0xff, 0xff, 0x0f);
}

TEST(leb_u32_errors)
{
    BAD(U32, TOO_LONG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    BAD(U32, TOO_LONG, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f);
    BAD(U32, TOO_LARGE, 0xff, 0xff, 0xff, 0xff, 0x1f); /* 2^32 + ... */
    BAD(U32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x10);
    BAD(U32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x70);
    BAD(U32, TOO_LARGE, 0x82, 0x80, 0x80, 0x80, 0x70);
    BAD(U32, TOO_LARGE, 0xff, 0xff, 0xff, 0xff, 0x7f); /* -1 sign-extended */
    BAD(U32, END, 0x80);
    BAD(U32, END, 0xff, 0xff, 0xff, 0xff);
}

TEST(leb_s32_values)
{
    OK(S32, 0, 0x00);
    OK(S32, 0, 0x80, 0x80, 0x80, 0x80, 0x00);
    OK(S32, 1, 0x01);
    OK(S32, 1, 0x81, 0x80, 0x80, 0x80, 0x00);
    OK(S32, -1, 0x7f);
    OK(S32, -1, 0xff, 0xff, 0xff, 0xff, 0x7f);
    OK(S32, 63, 0x3f);
    OK(S32, -64, 0x40);
    OK(S32, 64, 0xc0, 0x00);
    OK(S32, -65, 0xbf, 0x7f);
    OK(S32, -123456, 0xc0, 0xbb, 0x78);
    OK(S32, INT32_MAX, 0xff, 0xff, 0xff, 0xff, 0x07);
    OK(S32, INT32_MIN, 0x80, 0x80, 0x80, 0x80, 0x78);
}

TEST(leb_s32_errors)
{
    BAD(S32, TOO_LONG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    BAD(S32, TOO_LONG, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
    /* the sign bit (bit 3 of byte 5) and the 3 unused bits above it differ */
    BAD(S32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x08); /* +2^31 */
    BAD(S32, TOO_LARGE, 0xff, 0xff, 0xff, 0xff, 0x0f); /* 2^32 - 1 */
    BAD(S32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x70);
    BAD(S32, TOO_LARGE, 0xff, 0xff, 0xff, 0xff, 0x4f);
    BAD(S32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x1f);
    BAD(S32, END, 0x80);
    BAD(S32, END, 0xff, 0xff, 0xff, 0xff);
}

TEST(leb_s33_values)
{
    OK(S33, 0, 0x00);
    OK(S33, 0, 0x80, 0x80, 0x80, 0x80, 0x00);
    OK(S33, 1, 0x01);
    OK(S33, 1, 0x81, 0x80, 0x80, 0x80, 0x00);
    OK(S33, -1, 0x7f);
    OK(S33, -1, 0xff, 0xff, 0xff, 0xff, 0x7f);
    OK(S33, -64, 0x40); /* the empty block type 0x40 reads as -64 */
    OK(S33, 0x80000000, 0x80, 0x80, 0x80, 0x80, 0x08); /* too large for s32 */
    OK(S33, 0xffffffff, 0xff, 0xff, 0xff, 0xff, 0x0f);  /* max, 2^32 - 1 */
    OK(S33, -0x100000000LL, 0x80, 0x80, 0x80, 0x80, 0x70); /* min, -2^32 */
}

TEST(leb_s33_errors)
{
    BAD(S33, TOO_LONG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    BAD(S33, TOO_LONG, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
    /* sign bit is bit 4 of byte 5; bits 5 and 6 must match it */
    BAD(S33, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x10);
    BAD(S33, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x20);
    BAD(S33, TOO_LARGE, 0xff, 0xff, 0xff, 0xff, 0x6f);
    BAD(S33, TOO_LARGE, 0xff, 0xff, 0xff, 0xff, 0x3f);
    BAD(S33, END, 0x80);
    BAD(S33, END, 0x80, 0x80, 0x80, 0x80);
}

TEST(leb_s64_values)
{
    OK(S64, 0, 0x00);
    OK(S64, 0, Z9, 0x00); /* padded to the maximum 10 bytes */
    OK(S64, 1, 0x01);
    OK(S64, 1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    OK(S64, -1, 0x7f);
    OK(S64, -1, F9, 0x7f);
    OK(S64, 0x100000000LL, 0x80, 0x80, 0x80, 0x80, 0x10);
    OK(S64, -0x100000000LL, 0x80, 0x80, 0x80, 0x80, 0x70);
    OK(S64, INT64_MAX, F9, 0x00);
    OK(S64, INT64_MIN, Z9, 0x7f);
}

TEST(leb_s64_errors)
{
    BAD(S64, TOO_LONG, Z9, 0x80, 0x00);
    BAD(S64, TOO_LONG, F9, 0xff, 0x7f);
    /* byte 10 carries one payload bit (the sign); its 6 unused bits match it */
    BAD(S64, TOO_LARGE, Z9, 0x01);
    BAD(S64, TOO_LARGE, Z9, 0x02);
    BAD(S64, TOO_LARGE, F9, 0x7e);
    BAD(S64, TOO_LARGE, F9, 0x41);
    BAD(S64, END, 0x80);
    BAD(S64, END, Z9);
}

TEST(leb_u64_values)
{
    OK(U64, 0, 0x00);
    OK(U64, 0, Z9, 0x00);
    OK(U64, 1, 0x01);
    OK(U64, 1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    OK(U64, 0x100000000ULL, 0x80, 0x80, 0x80, 0x80, 0x10); /* too large for u32 */
    OK(U64, 0x8000000000000000ULL, Z9, 0x01);
    OK(U64, INT64_MAX, F9, 0x00);
    OK(U64, UINT64_MAX, F9, 0x01);
    OK(U64, (uint64_t)-1, F9, 0x01);
}

TEST(leb_u64_errors)
{
    BAD(U64, TOO_LONG, Z9, 0x80, 0x00);
    BAD(U64, TOO_LONG, F9, 0xff, 0x01);
    BAD(U64, TOO_LARGE, Z9, 0x02);
    BAD(U64, TOO_LARGE, F9, 0x03);
    BAD(U64, TOO_LARGE, F9, 0x7f); /* -1 sign-extended */
    BAD(U64, END, 0x80);
    BAD(U64, END, F9);
}

TEST(leb_empty_input)
{
    for (int w = U32; w <= U64; w++) {
        uint64_t v;
        size_t used;
        wb_error err;
        CHECKF(!decode((Width)w, NULL, 0, &v, &err, &used), "%s", azWidth[w]);
        CHECKF(err.status == WB_ERR_MALFORMED, "%s", azWidth[w]);
        CHECK_STR(err.message, END);
        CHECK_EQ(err.offset, 0);
    }
}

TEST(leb_reads_advance)
{
    static const uint8_t b[] = {0xe5, 0x8e, 0x26, 0x7f, 0x80, 0x01, 0x2a};
    wb_error err = {0};
    wbReader r = wbReaderInit(b, sizeof b, &err);
    uint32_t u = 0;
    int32_t s = 0;
    int64_t s64 = 0;
    CHECK(wbReadU32(&r, &u));
    CHECK_EQ(u, 624485);
    CHECK_EQ(r.pos, 3);
    CHECK(wbReadS32(&r, &s));
    CHECK_EQ(s, -1);
    CHECK_EQ(r.pos, 4);
    CHECK(wbReadS64(&r, &s64));
    CHECK_EQ(s64, 128);
    CHECK_EQ(r.pos, 6);
    CHECK(!wbReaderAtEnd(&r));
    CHECK_EQ(wbReaderLeft(&r), 1);
    CHECK(wbReadU32(&r, &u));
    CHECK_EQ(u, 42);
    CHECK(wbReaderAtEnd(&r));
    CHECK_EQ(err.status, WB_OK);
}

/* Over-long and too-large integers are reported at their first byte, a
 * truncated one at the end of the input, all as offsets in the module. */
TEST(leb_error_offsets)
{
    static const uint8_t too_long[] = {0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    static const uint8_t too_large[] = {0x00, 0xff, 0xff, 0xff, 0xff, 0x1f};
    static const uint8_t truncated[] = {0x00, 0x00, 0x00, 0x80, 0x80};
    uint8_t byte;
    uint32_t u;
    wb_error err = {0};
    wbReader r = wbReaderInit(too_long, sizeof too_long, &err);
    CHECK(wbReadU8(&r, &byte) && wbReadU8(&r, &byte));
    CHECK(!wbReadU32(&r, &u));
    CHECK_STR(err.message, TOO_LONG);
    CHECK_EQ(err.offset, 2);

    memset(&err, 0, sizeof err);
    r = wbReaderInit(too_large, sizeof too_large, &err);
    CHECK(wbReadU8(&r, &byte));
    CHECK(!wbReadU32(&r, &u));
    CHECK_STR(err.message, TOO_LARGE);
    CHECK_EQ(err.offset, 1);

    memset(&err, 0, sizeof err);
    r = wbReaderInit(truncated, sizeof truncated, &err);
    r.pos = 3;
    CHECK(!wbReadU32(&r, &u));
    CHECK_STR(err.message, END);
    CHECK_EQ(err.offset, 5);
}

/* Inside a section (a sub-reader) running out is "unexpected end of section
 * or function", at the end of the section, even with bytes after it. */
TEST(leb_end_of_section)
{
    static const uint8_t b[] = {0x07, 0x80, 0x80, 0x01, 0x00};
    uint8_t byte;
    uint32_t u;
    wb_error err = {0};
    wbReader r = wbReaderInit(b, sizeof b, &err), sec;
    CHECK(wbReadU8(&r, &byte));
    CHECK(wbReaderSub(&r, 2, &sec));
    CHECK_EQ(r.pos, 3);
    CHECK(!wbReadU32(&sec, &u));
    CHECK_EQ(err.status, WB_ERR_MALFORMED);
    CHECK_STR(err.message, "unexpected end of section or function");
    CHECK_EQ(err.offset, 3);
}

/* The first error is kept and every later read fails. */
TEST(leb_first_error_wins)
{
    static const uint8_t b[] = {0xff, 0xff, 0xff, 0xff, 0x1f, 0x01, 0x80};
    uint32_t u = 7;
    wb_error err = {0};
    wbReader r = wbReaderInit(b, sizeof b, &err);
    CHECK(!wbReadU32(&r, &u));
    CHECK(!wbReadU32(&r, &u));
    CHECK(!wbReadU32(&r, &u));
    CHECK_STR(err.message, TOO_LARGE);
    CHECK_EQ(err.offset, 0);
    CHECK_EQ(err.status, WB_ERR_MALFORMED);
}
