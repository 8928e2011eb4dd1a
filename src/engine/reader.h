/*
 * reader.h — a bounds-checked cursor over a module's bytes.
 *
 * Every byte the decoder and validator look at comes through here: LEB128
 * integers of each width (rejecting over-long encodings and set unused bits
 * with the spec's messages), fixed-width floats, byte ranges and UTF-8 names.
 * Positions are offsets from the start of the module, so errors name the
 * byte offset users see in a hex dump. On failure a reader records the first
 * error in its wb_error and every later read fails too.
 */
#ifndef WB_READER_H
#define WB_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasmbox.h"

typedef struct wbReader {
    const uint8_t *base; /* start of the module */
    size_t pos;          /* next byte to read, from base */
    size_t end;          /* one past the last readable byte, from base */
    bool in_section;     /* running out of bytes is "unexpected end of
                            section or function" inside a section and
                            "unexpected end" outside */
    wb_error *err;       /* where failures are recorded; never NULL */
} wbReader;

/* A reader over [pos, end) of a module of `size` bytes. */
wbReader wbReaderInit(const uint8_t *base, size_t size, wb_error *err);

/* A sub-reader over the next `len` bytes (a section or function body), and
 * moves r past them; "length out of bounds" when fewer bytes are left. */
bool wbReaderSub(wbReader *r, size_t len, wbReader *sub);

static inline bool wbReaderAtEnd(const wbReader *r) { return r->pos >= r->end; }
static inline size_t wbReaderLeft(const wbReader *r) { return r->end - r->pos; }

/* Records a failure at `offset` (first one wins) and returns false. */
bool wbReaderFail(wbReader *r, wb_status status, size_t offset, const char *message);

bool wbReadU8(wbReader *r, uint8_t *out);
bool wbReadU32(wbReader *r, uint32_t *out);   /* unsigned LEB128, 32 bits */
bool wbReadS32(wbReader *r, int32_t *out);    /* signed LEB128, 32 bits */
bool wbReadS33(wbReader *r, int64_t *out);    /* signed LEB128, 33 bits (block types) */
bool wbReadS64(wbReader *r, int64_t *out);    /* signed LEB128, 64 bits */
bool wbReadU64(wbReader *r, uint64_t *out);   /* unsigned LEB128, 64 bits */
bool wbReadF32(wbReader *r, uint32_t *bits);  /* 4 raw little-endian bytes */
bool wbReadF64(wbReader *r, uint64_t *bits);  /* 8 raw little-endian bytes */
/* n bytes whose length came from a length field: "length out of bounds"
 * when fewer are left. */
bool wbReadBytes(wbReader *r, size_t n, const uint8_t **out);
/* n bytes of content (data segments, v128 constants): running out is
 * "unexpected end ...". */
bool wbReadRaw(wbReader *r, size_t n, const uint8_t **out);
/* A vec(byte) holding UTF-8: "malformed UTF-8 encoding" if it is not. */
bool wbReadName(wbReader *r, const uint8_t **out, uint32_t *len);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). Pure function. */
bool wbUtf8Valid(const uint8_t *s, size_t n);

#endif /* WB_READER_H */
