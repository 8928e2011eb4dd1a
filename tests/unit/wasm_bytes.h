/*
 * wasm_bytes.h — a tiny builder of module binaries for unit tests that need
 * hand-made (often deliberately broken) modules: a fixed buffer, raw bytes,
 * LEB128 integers, the header and sections.
 */
#ifndef WASM_BYTES_H
#define WASM_BYTES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Buf {
    uint8_t b[1024];
    size_t n;
} Buf;

static inline void put(Buf *m, const uint8_t *p, size_t n)
{
    if (m->n + n > sizeof m->b) {
        fputs("wasm_bytes.h: module buffer too small\n", stderr);
        abort();
    }
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static inline void put_u8(Buf *m, uint8_t byte)
{
    put(m, &byte, 1);
}

/* Unsigned LEB128, shortest form. */
static inline void put_u32(Buf *m, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        put_u8(m, (uint8_t)(byte | (v ? 0x80 : 0)));
    } while (v);
}

/* Starts the buffer over with the magic number and version 1. */
static inline void put_header(Buf *m)
{
    static const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    m->n = 0;
    put(m, header, sizeof header);
}

/* A section: id, LEB128 size, payload. */
static inline void put_section_bytes(Buf *m, uint8_t id, const uint8_t *p, size_t n)
{
    put_u8(m, id);
    put_u32(m, (uint32_t)n);
    put(m, p, n);
}

#endif /* WASM_BYTES_H */
