/*
 * disasm.c — prints a function's compiled register code, one instruction a
 * line, for developers looking at what the compiler made of a body
 * (`wasmbox disasm FILE.wasm`). Instruction boundaries come from the code's
 * position map, so no per-opcode length table is needed.
 */
#include <stdio.h>

#include "engine/opcodes.h"
#include "engine/runtime.h"

/* The interpreter's own instructions and the fused forms, by number; wasm
 * opcodes take their text from opcodes.def. */
static const char *const fused_names[WB_XOP_COUNT] = {
#define WB_XOP(name, operands, meaning) [WB_XOP_##name] = #name,
#include "engine/xops.def"
#define WB_BINOP(name, in, out, fn) [WB_RI_##name] = #name " imm",
#define WB_TRAP_BINOP(name, in, out, fn) [WB_RI_##name] = #name " imm",
#include "engine/numeric.def"
#define WB_CMP(name, in, fn)                                                  \
    [WB_BRIF_##name] = "br_if " #name, [WB_BRIFI_##name] = "br_if " #name " imm", \
    [WB_BRUN_##name] = "br_unless " #name, [WB_BRUNI_##name] = "br_unless " #name " imm", \
    [WB_BRIFB_##name] = "br_if_back " #name, [WB_BRIFIB_##name] = "br_if_back " #name " imm",
#include "engine/numeric.def"
#define WB_LOAD(name, ctype, field, convert) \
    [WB_LDI_##name] = #name " [a+imm]", [WB_LDA_##name] = #name " [a+b]", \
    [WB_LDK_##name] = #name " [const]",
#define WB_STORE(name, ctype, field) \
    [WB_STK_##name] = #name " [const]", [WB_STV_##name] = #name " imm",
#include "engine/memops.def"
};

static void op_name(uint32_t op, char *buf, size_t n)
{
    if (op < WB_OP_COUNT)
        snprintf(buf, n, "%s", wbOpInfos[op].text);
    else if (op < WB_XOP_COUNT && fused_names[op])
        snprintf(buf, n, "%s", fused_names[op]);
    else
        snprintf(buf, n, "?%u", op);
}

static void disasm_func(FILE *out, const wb_module *m, uint32_t func_index)
{
    if (func_index < m->nfunc_imports || func_index >= m->nfuncs)
        return;
    const wbCode *code = &m->codes[func_index - m->nfunc_imports];
    fprintf(out, "func[%u]: %u params, %u locals, %u slots, entry fuel %u\n", func_index,
            code->nparams, code->nlocals, code->frame_slots, code->entry_fuel);
    for (uint32_t i = 0; i < code->npos; i++) {
        uint32_t pos = code->pos_map[2 * i];
        uint32_t end = i + 1 < code->npos ? code->pos_map[2 * (i + 1)] : code->nwords;
        if (end <= pos)
            continue;
        char name[64];
        op_name(code->words[pos], name, sizeof name);
        fprintf(out, "  %5u  @0x%-5x %-24s", pos, code->pos_map[2 * i + 1], name);
        for (uint32_t k = pos + 1; k < end; k++)
            fprintf(out, " %u", code->words[k]);
        fputc('\n', out);
    }
}

void wb_module_dump_code(const wb_module *m, void *out)
{
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        uint32_t len;
        const uint8_t *name = wbFuncName(m, i, &len);
        if (name)
            fprintf((FILE *)out, "%.*s ", (int)len, (const char *)name);
        disasm_func((FILE *)out, m, i);
    }
}
