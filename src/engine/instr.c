/*
 * instr.c — reads one instruction and its immediates, by the kinds listed in
 * opcodes.def. Checks only what the binary format requires (well-formedness);
 * typing rules belong to validate.c.
 */
#include "engine/instr.h"

#include <string.h>

#include "engine/module.h"

static bool read_zero(wbReader *r)
{
    size_t at = r->pos;
    uint8_t b;
    if (!wbReadU8(r, &b))
        return false;
    if (b != 0)
        return wbReaderFail(r, WB_ERR_MALFORMED, at, "zero byte expected");
    return true;
}

static bool read_reftype(wbReader *r, uint8_t *out)
{
    size_t at = r->pos;
    if (!wbReadU8(r, out))
        return false;
    if (!wbIsRefType(*out))
        return wbReaderFail(r, WB_ERR_MALFORMED, at, "malformed reference type");
    return true;
}

static bool read_valtype(wbReader *r)
{
    size_t at = r->pos;
    uint8_t t;
    if (!wbReadU8(r, &t))
        return false;
    if (!wbIsValType(t))
        return wbReaderFail(r, WB_ERR_MALFORMED, at, "malformed value type");
    return true;
}

static bool read_blocktype(wbReader *r, int64_t *out)
{
    size_t at = r->pos;
    if (!wbReadS33(r, out))
        return false;
    if (*out < 0 && *out != WB_BLOCKTYPE_EMPTY && !wbIsValType((uint8_t)(*out + 0x80)))
        return wbReaderFail(r, WB_ERR_MALFORMED, at, "malformed value type");
    return true;
}

static bool read_lane(wbReader *r, wbInstr *in)
{
    return wbReadU8(r, &in->lane);
}

static bool read_memarg(wbReader *r, wbInstr *in)
{
    return wbReadU32(r, &in->a) && wbReadU32(r, &in->b);
}

bool wbReadInstr(wbReader *r, wbInstr *in)
{
    in->offset = r->pos;
    uint8_t byte;
    if (!wbReadU8(r, &byte))
        return false;
    int op;
    if (byte == 0xFC || byte == 0xFD) {
        uint32_t code;
        if (!wbReadU32(r, &code))
            return false;
        op = wbOpLookup(byte, code);
    } else {
        op = wbOpLookup(0, byte);
    }
    if (op < 0)
        return wbReaderFail(r, WB_ERR_MALFORMED, in->offset, "illegal opcode");
    in->op = (uint16_t)op;

    int32_t s32;
    int64_t s64;
    uint32_t bits32;
    const uint8_t *raw;
    switch ((wbImm)wbOpInfos[op].imm) {
    case NONE:
        return true;
    case BLOCKTYPE:
        return read_blocktype(r, &in->blocktype);
    case LABEL:
    case FUNC:
    case LOCAL:
    case GLOBAL:
    case TABLE:
    case DATA:
    case ELEM:
        return wbReadU32(r, &in->a);
    case BR_TABLE:
        if (!wbReadU32(r, &in->count))
            return false;
        in->vec_pos = r->pos;
        for (uint32_t i = 0; i < in->count; i++)
            if (!wbReadU32(r, &in->a))
                return false;
        return wbReadU32(r, &in->b); /* b: the default label */
    case CALL_INDIRECT:
    case TABLE_INIT:
    case TABLE_COPY:
        return wbReadU32(r, &in->a) && wbReadU32(r, &in->b);
    case MEMARG:
        return read_memarg(r, in);
    case MEMIDX:
        return read_zero(r);
    case I32:
        if (!wbReadS32(r, &s32))
            return false;
        in->bits = (uint64_t)(int64_t)s32;
        return true;
    case I64:
        if (!wbReadS64(r, &s64))
            return false;
        in->bits = (uint64_t)s64;
        return true;
    case F32:
        if (!wbReadF32(r, &bits32))
            return false;
        in->bits = bits32;
        return true;
    case F64:
        return wbReadF64(r, &in->bits);
    case V128:
    case SHUFFLE:
        if (!wbReadRaw(r, 16, &raw))
            return false;
        memcpy(in->v128, raw, 16);
        return true;
    case LANE2:
    case LANE4:
    case LANE8:
    case LANE16:
        return read_lane(r, in);
    case MEMARG_LANE2:
    case MEMARG_LANE4:
    case MEMARG_LANE8:
    case MEMARG_LANE16:
        return read_memarg(r, in) && read_lane(r, in);
    case REFTYPE: {
        uint8_t t;
        if (!read_reftype(r, &t))
            return false;
        in->a = t;
        return true;
    }
    case SELECT_T:
        if (!wbReadU32(r, &in->count))
            return false;
        in->vec_pos = r->pos;
        for (uint32_t i = 0; i < in->count; i++)
            if (!read_valtype(r))
                return false;
        return true;
    case MEMORY_INIT:
        return wbReadU32(r, &in->a) && read_zero(r);
    case MEMORY_COPY:
        return read_zero(r) && read_zero(r);
    }
    return wbReaderFail(r, WB_ERR_MALFORMED, in->offset, "illegal opcode");
}
