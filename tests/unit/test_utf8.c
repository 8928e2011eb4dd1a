/*
 * test_utf8.c — UTF-8 checking of names: wbUtf8Valid on its own and through
 * wbReadName (a vec(byte) that must be UTF-8). Covers ASCII, 2/3/4-byte
 * sequences at their bounds, overlong forms, surrogates U+D800..U+DFFF,
 * code points above U+10FFFF, truncated sequences, stray continuation bytes
 * and the lead bytes 0xF8..0xFF that UTF-8 never uses.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/reader.h"
#include "unit.h"

#define MALFORMED_UTF8 "malformed UTF-8 encoding"

/* wbUtf8Valid on an exact-size copy, so ASan sees a read past the end. */
static bool valid(const uint8_t *b, size_t n)
{
    uint8_t *copy = unitDup(b, n);
    bool ok = wbUtf8Valid(copy, n);
    free(copy);
    return ok;
}

#define VALID(...) check_utf8(__FILE__, __LINE__, true, UNIT_BYTES(__VA_ARGS__))
#define INVALID(...) check_utf8(__FILE__, __LINE__, false, UNIT_BYTES(__VA_ARGS__))

static void check_utf8(const char *file, int line, bool want, const uint8_t *b, size_t n)
{
    unitCheckf(valid(b, n) == want, file, line, want ? "valid" : "invalid",
               "[%s] should be %s", unitHex(b, n), want ? "valid" : "rejected");
}

TEST(utf8_ascii)
{
    CHECK(valid(NULL, 0));
    VALID('a');
    VALID('h', 'e', 'l', 'l', 'o');
    VALID(0x00);            /* NUL is a character like any other */
    VALID(0x00, 0x7f, 0x20); /* DEL and space */
}

TEST(utf8_two_bytes)
{
    VALID(0xc2, 0x80); /* U+0080, the smallest */
    VALID(0xc3, 0xa9); /* é */
    VALID(0xdf, 0xbf); /* U+07FF, the largest */
    VALID('a', 0xc3, 0xa9, 'b');
    INVALID(0xc0, 0x80); /* overlong U+0000 */
    INVALID(0xc0, 0xaf); /* overlong '/' */
    INVALID(0xc1, 0xbf); /* overlong U+007F */
    INVALID(0xc2, 0x00); /* second byte not a continuation */
    INVALID(0xc2, 0x41);
    INVALID(0xc2, 0xc0);
}

TEST(utf8_three_bytes)
{
    VALID(0xe0, 0xa0, 0x80); /* U+0800, the smallest */
    VALID(0xe2, 0x82, 0xac); /* € */
    VALID(0xed, 0x9f, 0xbf); /* U+D7FF, just below the surrogates */
    VALID(0xee, 0x80, 0x80); /* U+E000, just above them */
    VALID(0xef, 0xbf, 0xbd); /* U+FFFD */
    VALID(0xef, 0xbf, 0xbf); /* U+FFFF, the largest */
    INVALID(0xe0, 0x80, 0x80); /* overlong U+0000 */
    INVALID(0xe0, 0x9f, 0xbf); /* overlong U+07FF */
    INVALID(0xe0, 0xa0, 0xc0); /* third byte not a continuation */
    INVALID(0xe0, 0x41, 0x80);
}

TEST(utf8_surrogates)
{
    INVALID(0xed, 0xa0, 0x80); /* U+D800 */
    INVALID(0xed, 0xad, 0xbf); /* U+DB7F */
    INVALID(0xed, 0xb0, 0x80); /* U+DC00 */
    INVALID(0xed, 0xbf, 0xbf); /* U+DFFF */
    INVALID(0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80); /* a CESU-8 surrogate pair */
}

TEST(utf8_four_bytes)
{
    VALID(0xf0, 0x90, 0x80, 0x80); /* U+10000, the smallest */
    VALID(0xf0, 0x9f, 0x98, 0x80); /* 😀 */
    VALID(0xf4, 0x8f, 0xbf, 0xbf); /* U+10FFFF, the largest */
    INVALID(0xf0, 0x80, 0x80, 0x80); /* overlong U+0000 */
    INVALID(0xf0, 0x8f, 0xbf, 0xbf); /* overlong U+FFFF */
    INVALID(0xf0, 0x90, 0x80, 0xc0); /* last byte not a continuation */
}

TEST(utf8_above_max)
{
    INVALID(0xf4, 0x90, 0x80, 0x80); /* U+110000 */
    INVALID(0xf4, 0xbf, 0xbf, 0xbf);
    INVALID(0xf5, 0x80, 0x80, 0x80);
    INVALID(0xf6, 0x80, 0x80, 0x80);
    INVALID(0xf7, 0xbf, 0xbf, 0xbf); /* U+1FFFFF */
}

TEST(utf8_truncated)
{
    INVALID(0xc2);
    INVALID(0xdf);
    INVALID(0xe0, 0xa0);
    INVALID(0xe2, 0x82);
    INVALID(0xef);
    INVALID(0xf0, 0x90, 0x80);
    INVALID(0xf4, 0x8f);
    INVALID(0xf0);
    INVALID('a', 'b', 0xe2, 0x82); /* cut off at the end of a longer name */
    INVALID(0xe2, 0x82, 'a');     /* cut off by an ASCII byte */
}

TEST(utf8_stray_continuation)
{
    INVALID(0x80);
    INVALID(0xbf);
    INVALID('a', 0x80, 'b');
    INVALID(0xc3, 0xa9, 0xa9); /* one continuation too many */
    INVALID(0xe2, 0x82, 0xac, 0x80);
    INVALID(0xf0, 0x9f, 0x98, 0x80, 0x80);
}

TEST(utf8_bad_leads)
{
    for (unsigned lead = 0xf8; lead <= 0xff; lead++) {
        uint8_t b[6] = {(uint8_t)lead, 0x80, 0x80, 0x80, 0x80, 0x80};
        for (size_t n = 1; n <= sizeof b; n++)
            CHECKF(!valid(b, n), "[%s] should be rejected", unitHex(b, n));
    }
    INVALID(0xf8, 0x88, 0x80, 0x80, 0x80);       /* old 5-byte form */
    INVALID(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80); /* old 6-byte form */
    INVALID(0xfe);
    INVALID(0xff);
    INVALID('o', 'k', 0xff);
}

/* Every byte string up to 2 bytes long, checked against a plain decoder of
 * the same rules: catches whatever the hand-picked cases above miss. */
TEST(utf8_all_short_strings)
{
    for (unsigned a = 0; a < 256; a++) {
        uint8_t one[1] = {(uint8_t)a};
        CHECKF(valid(one, 1) == (a < 0x80), "[%02x]", a);
        for (unsigned b = 0; b < 256; b++) {
            uint8_t two[2] = {(uint8_t)a, (uint8_t)b};
            bool want = (a < 0x80 && b < 0x80) ||
                        (a >= 0xc2 && a <= 0xdf && (b & 0xc0) == 0x80);
            CHECKF(valid(two, 2) == want, "[%02x %02x] should be %s", a, b,
                   want ? "valid" : "rejected");
        }
    }
}

/* Reads a name from an exact-size copy of the n bytes at b. */
static bool read_name(const uint8_t *b, size_t n, size_t skip, wb_error *err,
                      size_t *name_at, uint32_t *len, size_t *end_pos)
{
    uint8_t *copy = unitDup(b, n);
    memset(err, 0, sizeof *err);
    wbReader r = wbReaderInit(copy, n, err);
    r.pos = skip;
    const uint8_t *name = NULL;
    *len = 0;
    bool ok = wbReadName(&r, &name, len);
    *name_at = name ? (size_t)(name - copy) : (size_t)-1;
    *end_pos = r.pos;
    free(copy);
    return ok;
}

TEST(name_valid)
{
    static const uint8_t b[] = {0x00, 0x05, 'h', 0xc3, 0xa9, 'l', 'o', 0x2a};
    wb_error err;
    size_t at, end;
    uint32_t len;
    CHECK(read_name(b, sizeof b, 1, &err, &at, &len, &end));
    CHECK_EQ(len, 5);
    CHECK_EQ(at, 2);  /* points into the module, after the length */
    CHECK_EQ(end, 7); /* the byte after the name is left for the caller */
    CHECK_EQ(err.status, WB_OK);
}

TEST(name_empty)
{
    static const uint8_t b[] = {0x00};
    wb_error err;
    size_t at, end;
    uint32_t len = 99;
    CHECK(read_name(b, sizeof b, 0, &err, &at, &len, &end));
    CHECK_EQ(len, 0);
    CHECK_EQ(end, 1);
}

TEST(name_length_padded)
{
    static const uint8_t b[] = {0x82, 0x80, 0x00, 'o', 'k'}; /* length 2, 3 bytes */
    wb_error err;
    size_t at, end;
    uint32_t len;
    CHECK(read_name(b, sizeof b, 0, &err, &at, &len, &end));
    CHECK_EQ(len, 2);
    CHECK_EQ(at, 3);
    CHECK_EQ(end, 5);
}

/* A malformed name is reported at the start of the name (its length). */
TEST(name_malformed)
{
    static const uint8_t cases[][6] = {
        {0x02, 0xc0, 0x80},             /* overlong */
        {0x03, 0xed, 0xa0, 0x80},       /* surrogate */
        {0x04, 0xf4, 0x90, 0x80, 0x80}, /* above U+10FFFF */
        {0x01, 0x80},                   /* stray continuation */
        {0x02, 'a', 0xc3},              /* truncated sequence */
        {0x01, 0xff},                   /* never a lead byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[8] = {0x00, 0x00};
        memcpy(b + 2, cases[i], sizeof cases[i]);
        size_t n = 2 + 1 + (size_t)cases[i][0];
        wb_error err;
        size_t at, end;
        uint32_t len;
        CHECKF(!read_name(b, n, 2, &err, &at, &len, &end), "case %zu", i);
        CHECKF(err.status == WB_ERR_MALFORMED, "case %zu: status %d", i, (int)err.status);
        CHECK_STR(err.message, MALFORMED_UTF8);
        CHECKF(err.offset == 2, "case %zu: offset %zu", i, err.offset);
    }
}

/* A length running past the end is a length or end error, never UTF-8. */
TEST(name_too_long)
{
    static const uint8_t b[] = {0x05, 'a', 'b'};
    wb_error err;
    size_t at, end;
    uint32_t len;
    CHECK(!read_name(b, sizeof b, 0, &err, &at, &len, &end));
    CHECK_EQ(err.status, WB_ERR_MALFORMED);
    CHECKF(err.message && (strcmp(err.message, "length out of bounds") == 0 ||
                           strcmp(err.message, "unexpected end") == 0),
           "message \"%s\"", err.message ? err.message : "(null)");
}
