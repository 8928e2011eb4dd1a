/*
 * x64.h — a small x86-64 instruction encoder for the native-code tier
 * (jit_x64.c): a growing byte buffer and the handful of encodings the
 * templates use (REX prefixes, ModRM/SIB memory operands, rel32 jumps).
 *
 * Registers are numbered as the hardware does (RAX = 0 ... R15 = 15). A
 * memory operand is base + index*scale + disp32; X64_NONE as the index means
 * none. No OS calls: the buffer is plain heap memory, made executable by the
 * platform layer.
 */
#ifndef WB_X64_H
#define WB_X64_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    X64_NONE = -1,
};

/* Condition codes, as in Jcc/SETcc/CMOVcc (the low nibble of 0x70 + cc). */
enum {
    CC_O = 0, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A,
    CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G,
};

typedef struct x64Buf {
    uint8_t *bytes;
    size_t len, cap;
    bool oom;
} x64Buf;

static inline void x64Byte(x64Buf *b, uint8_t v)
{
    if (b->oom)
        return; /* the result is discarded */
    if (b->len == b->cap) {
        size_t n = b->cap ? b->cap * 2 : 4096;
        uint8_t *p = realloc(b->bytes, n);
        if (!p) {
            b->oom = true;
            return;
        }
        b->bytes = p;
        b->cap = n;
    }
    b->bytes[b->len++] = v;
}

static inline void x64U32(x64Buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x64Byte(b, (uint8_t)(v >> (8 * i)));
}

static inline void x64U64(x64Buf *b, uint64_t v)
{
    x64U32(b, (uint32_t)v);
    x64U32(b, (uint32_t)(v >> 32));
}

static inline void x64Patch32(x64Buf *b, size_t at, uint32_t v)
{
    if (b->oom || at + 4 > b->len)
        return;
    for (int i = 0; i < 4; i++)
        b->bytes[at + i] = (uint8_t)(v >> (8 * i));
}

/* Prefix (0x66, 0xF2, 0xF3 or 0), REX, then 1-3 opcode bytes (op is
 * big-endian: 0x0FAF is 0F AF). */
static inline void x64Head(x64Buf *b, uint8_t prefix, bool w, int reg, int index, int base,
                           uint32_t op)
{
    if (prefix)
        x64Byte(b, prefix);
    uint8_t rex = (uint8_t)(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) |
                            ((index != X64_NONE && (index & 8)) ? 2 : 0) | ((base & 8) ? 1 : 0));
    if (rex != 0x40)
        x64Byte(b, rex);
    if (op > 0xFFFF)
        x64Byte(b, (uint8_t)(op >> 16));
    if (op > 0xFF)
        x64Byte(b, (uint8_t)(op >> 8));
    x64Byte(b, (uint8_t)op);
}

/* op reg, [base + index*scale + disp] (reg may be an opcode extension). */
static inline void x64Mem(x64Buf *b, uint8_t prefix, bool w, uint32_t op, int reg, int base,
                          int index, int scale, int32_t disp)
{
    x64Head(b, prefix, w, reg, index, base, op);
    bool d8 = disp >= -128 && disp <= 127;
    /* [rbp]/[r13] with no displacement would mean RIP-relative: use disp8 0 */
    uint8_t mod = (disp == 0 && (base & 7) != RBP) ? 0 : d8 ? 1 : 2;
    if (index != X64_NONE || (base & 7) == RSP) {
        int ss = scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
        int ix = index == X64_NONE ? RSP : index; /* 100: no index */
        x64Byte(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | 4));
        x64Byte(b, (uint8_t)(ss << 6 | (ix & 7) << 3 | (base & 7)));
    } else {
        x64Byte(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
    }
    if (mod == 1)
        x64Byte(b, (uint8_t)(int8_t)disp);
    else if (mod == 2)
        x64U32(b, (uint32_t)disp);
}

/* op reg, rm (both registers). */
static inline void x64Reg(x64Buf *b, uint8_t prefix, bool w, uint32_t op, int reg, int rm)
{
    x64Head(b, prefix, w, reg, X64_NONE, rm, op);
    x64Byte(b, (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7)));
}

/* mov r, imm: the shortest of mov r32, imm32 (zero-extending), mov r64,
 * simm32 and mov r64, imm64. */
static inline void x64MovImm(x64Buf *b, int r, uint64_t v)
{
    if (v <= 0xFFFFFFFFu) {
        if (r & 8)
            x64Byte(b, 0x41);
        x64Byte(b, (uint8_t)(0xB8 + (r & 7)));
        x64U32(b, (uint32_t)v);
    } else if ((int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
        x64Reg(b, 0, true, 0xC7, 0, r);
        x64U32(b, (uint32_t)v);
    } else {
        x64Byte(b, (uint8_t)(0x48 | ((r & 8) ? 1 : 0)));
        x64Byte(b, (uint8_t)(0xB8 + (r & 7)));
        x64U64(b, v);
    }
}

/* jmp/jcc/call rel32 with the displacement to fill in later: returns where
 * the 4 displacement bytes are. */
static inline size_t x64Jmp32(x64Buf *b)
{
    x64Byte(b, 0xE9);
    x64U32(b, 0);
    return b->len - 4;
}
static inline size_t x64Jcc32(x64Buf *b, int cc)
{
    x64Byte(b, 0x0F);
    x64Byte(b, (uint8_t)(0x80 + cc));
    x64U32(b, 0);
    return b->len - 4;
}
static inline size_t x64Call32(x64Buf *b)
{
    x64Byte(b, 0xE8);
    x64U32(b, 0);
    return b->len - 4;
}

/* Points the rel32 at `at` to buffer position `target`. */
static inline void x64Link(x64Buf *b, size_t at, size_t target)
{
    x64Patch32(b, at, (uint32_t)(int32_t)((int64_t)target - (int64_t)(at + 4)));
}

#endif /* WB_X64_H */
