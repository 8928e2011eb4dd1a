/*
 * instr.h — decoding one instruction: its opcode and immediates.
 *
 * The decoder (to check a body is well-formed), the validator and later the
 * compiler all read instructions through wbReadInstr, so the binary encoding
 * of every immediate is written down once, driven by opcodes.def.
 */
#ifndef WB_INSTR_H
#define WB_INSTR_H

#include "engine/opcodes.h"
#include "engine/reader.h"

#define WB_BLOCKTYPE_EMPTY (-0x40)

typedef struct wbInstr {
    uint16_t op;        /* wbOp */
    size_t offset;      /* of the opcode, from the module start */
    int64_t blocktype;  /* BLOCKTYPE: WB_BLOCKTYPE_EMPTY, -(0x80 - valtype), or a type index */
    uint32_t a, b;      /* indices, label, align (a) and offset (b) of a memarg */
    uint8_t lane;       /* LANEn / MEMARG_LANEn */
    uint64_t bits;      /* I32/I64 (sign-extended), F32/F64 raw bits */
    uint8_t v128[16];   /* V128 constant, SHUFFLE lanes */
    uint32_t count;     /* BR_TABLE: labels before the default; SELECT_T: types */
    size_t vec_pos;     /* where those labels / types start */
} wbInstr;

/* Reads the next instruction. Reports "illegal opcode", "zero byte
 * expected", "malformed value type", "malformed reference type", LEB128
 * errors and running out of bytes. */
bool wbReadInstr(wbReader *r, wbInstr *in);

/* The value type a BLOCKTYPE immediate names, if it is a single value type
 * (0 for an empty block type or a type index). */
static inline uint8_t wbBlockValType(int64_t blocktype)
{
    return (blocktype < 0 && blocktype != WB_BLOCKTYPE_EMPTY) ? (uint8_t)(blocktype + 0x80) : 0;
}

#endif /* WB_INSTR_H */
