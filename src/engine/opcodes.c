/*
 * opcodes.c — tables built from opcodes.def: facts per internal opcode and
 * the maps from binary encodings to internal numbers.
 */
#include "engine/opcodes.h"

const wbOpInfo wbOpInfos[WB_OP_COUNT] = {
#define WB_OP0(name, code, imm, sig, bytes, text) [WB_OP_##name] = {text, sig, imm, bytes},
#define WB_OPFC(name, code, imm, sig, bytes, text) [WB_OP_##name] = {text, sig, imm, bytes},
#define WB_OPFD(name, code, imm, sig, bytes, text) [WB_OP_##name] = {text, sig, imm, bytes},
#include "engine/opcodes.def"
};

/* Encodings map to internal number + 1, so that 0 means "unknown". */
static const uint16_t single_byte[256] = {
#define WB_OP0(name, code, imm, sig, bytes, text) [code] = WB_OP_##name + 1,
#include "engine/opcodes.def"
};

static const uint16_t prefix_fc[32] = {
#define WB_OPFC(name, code, imm, sig, bytes, text) [code] = WB_OP_##name + 1,
#include "engine/opcodes.def"
};

static const uint16_t prefix_fd[256] = {
#define WB_OPFD(name, code, imm, sig, bytes, text) [code] = WB_OP_##name + 1,
#include "engine/opcodes.def"
};

int wbOpLookup(uint8_t prefix, uint32_t code)
{
    uint16_t v = 0;
    if (prefix == 0)
        v = code < 256 ? single_byte[code] : 0;
    else if (prefix == 0xFC)
        v = code < 32 ? prefix_fc[code] : 0;
    else if (prefix == 0xFD)
        v = code < 256 ? prefix_fd[code] : 0;
    return (int)v - 1;
}
