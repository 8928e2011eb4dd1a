/*
 * reader.c — bounds-checked reads of LEB128 integers, floats, byte ranges and
 * UTF-8 names from a module binary, with the spec's error wording.
 */
#include "engine/reader.h"

#include <string.h>

wbReader wbReaderInit(const uint8_t *base, size_t size, wb_error *err)
{
    wbReader r = {base, 0, size, false, err};
    return r;
}

bool wbReaderFail(wbReader *r, wb_status status, size_t offset, const char *message)
{
    wb_error *e = r->err;
    if (e->status == WB_OK) {
        e->status = status;
        e->offset = offset;
        e->message = message;
    }
    r->pos = r->end; /* every later read fails */
    return false;
}

static bool fail_end(wbReader *r)
{
    return wbReaderFail(r, WB_ERR_MALFORMED, r->end,
                        r->in_section ? "unexpected end of section or function"
                                      : "unexpected end");
}

bool wbReaderSub(wbReader *r, size_t len, wbReader *sub)
{
    if (r->err->status != WB_OK)
        return false;
    if (len > wbReaderLeft(r))
        return wbReaderFail(r, WB_ERR_MALFORMED, r->pos, "length out of bounds");
    *sub = *r;
    sub->end = r->pos + len;
    sub->in_section = true;
    r->pos += len;
    return true;
}

bool wbReadU8(wbReader *r, uint8_t *out)
{
    if (r->pos >= r->end)
        return fail_end(r);
    *out = r->base[r->pos++];
    return true;
}

/*
 * The one LEB128 decoder: `bits` is the width (32, 33 or 64), `is_signed`
 * picks sign extension. An encoding may use at most ceil(bits/7) bytes
 * ("integer representation too long"), and in its last byte the bits beyond
 * the width must be zero (unsigned) or copies of the sign bit (signed)
 * ("integer too large").
 */
static bool read_leb(wbReader *r, unsigned bits, bool is_signed, uint64_t *out)
{
    unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    size_t start = r->pos;
    for (unsigned i = 0;; i++) {
        uint8_t byte;
        if (!wbReadU8(r, &byte))
            return false;
        if (i == max_bytes - 1) {
            if (byte & 0x80)
                return wbReaderFail(r, WB_ERR_MALFORMED, start,
                                    "integer representation too long");
            unsigned used = bits - 7 * i; /* payload bits this byte may carry */
            uint8_t extra = (uint8_t)(byte & 0x7f) >> (used - 1);
            /* `extra` holds the top payload bit in use and all unused bits */
            uint8_t all = (uint8_t)(0x7f >> (used - 1));
            bool ok = is_signed ? (extra == 0 || extra == all)
                                : (extra >> 1) == 0;
            if (!ok)
                return wbReaderFail(r, WB_ERR_MALFORMED, start, "integer too large");
        }
        result |= (uint64_t)(byte & 0x7f) << (7 * i);
        if (!(byte & 0x80)) {
            unsigned shift = 7 * (i + 1);
            if (is_signed && shift < 64 && (byte & 0x40))
                result |= ~(uint64_t)0 << shift;
            *out = result;
            return true;
        }
    }
}

bool wbReadU32(wbReader *r, uint32_t *out)
{
    uint64_t v;
    if (!read_leb(r, 32, false, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool wbReadS32(wbReader *r, int32_t *out)
{
    uint64_t v;
    if (!read_leb(r, 32, true, &v))
        return false;
    *out = (int32_t)(uint32_t)v;
    return true;
}

bool wbReadS33(wbReader *r, int64_t *out)
{
    uint64_t v;
    if (!read_leb(r, 33, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool wbReadS64(wbReader *r, int64_t *out)
{
    uint64_t v;
    if (!read_leb(r, 64, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool wbReadU64(wbReader *r, uint64_t *out)
{
    return read_leb(r, 64, false, out);
}

static bool read_fixed(wbReader *r, unsigned n, uint64_t *out)
{
    if (wbReaderLeft(r) < n)
        return fail_end(r);
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)r->base[r->pos + i] << (8 * i);
    r->pos += n;
    *out = v;
    return true;
}

bool wbReadF32(wbReader *r, uint32_t *bits)
{
    uint64_t v;
    if (!read_fixed(r, 4, &v))
        return false;
    *bits = (uint32_t)v;
    return true;
}

bool wbReadF64(wbReader *r, uint64_t *bits)
{
    return read_fixed(r, 8, bits);
}

bool wbReadBytes(wbReader *r, size_t n, const uint8_t **out)
{
    if (r->err->status != WB_OK)
        return false;
    if (n > wbReaderLeft(r))
        return wbReaderFail(r, WB_ERR_MALFORMED, r->pos, "length out of bounds");
    *out = r->base + r->pos;
    r->pos += n;
    return true;
}

bool wbReadRaw(wbReader *r, size_t n, const uint8_t **out)
{
    if (n > wbReaderLeft(r))
        return fail_end(r);
    *out = r->base + r->pos;
    r->pos += n;
    return true;
}

bool wbReadName(wbReader *r, const uint8_t **out, uint32_t *len)
{
    size_t start = r->pos;
    if (!wbReadU32(r, len) || !wbReadBytes(r, *len, out))
        return false;
    if (!wbUtf8Valid(*out, *len))
        return wbReaderFail(r, WB_ERR_MALFORMED, start, "malformed UTF-8 encoding");
    return true;
}

bool wbUtf8Valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        unsigned len;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false; /* continuation byte or 0xf8..0xff as a lead */
        }
        if (n - i < len)
            return false;
        for (unsigned k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}
