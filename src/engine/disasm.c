/*
 * disasm.c — prints a function's compiled register code, one instruction a
 * line, for developers looking at what the compiler made of a body
 * (`wasmbox disasm FILE.wasm`). Instruction boundaries come from the code's
 * position map, so no per-opcode length table is needed.
 */
#include <stdio.h>

#include "engine/opcodes.h"
#include "engine/runtime.h"

static void op_name(uint32_t op, char *buf, size_t n)
{
    static const char *const xops[] = {
#define WB_XOP(name, operands, meaning) #name,
#include "engine/xops.def"
    };
    static const uint16_t ri_base[] = {
#define WB_BINOP(name, in, out, fn) WB_OP_##name,
#define WB_TRAP_BINOP(name, in, out, fn) WB_OP_##name,
#include "engine/numeric.def"
    };
    static const uint16_t br_base[] = {
#define WB_CMP(name, in, fn) WB_OP_##name,
#include "engine/numeric.def"
    };
    static const char *const br_kind[] = {"br_if",         "br_if_imm",  "br_unless",
                                          "br_unless_imm", "br_if_back", "br_if_imm_back"};
    static const uint16_t ld_base[] = {
#define WB_LOAD(name, ctype, field, convert) WB_OP_##name,
#include "engine/memops.def"
    };
    uint32_t nbr = sizeof br_base / sizeof br_base[0];
    uint32_t nxops = sizeof xops / sizeof xops[0];
    uint32_t nri = sizeof ri_base / sizeof ri_base[0];
    if (op < WB_OP_COUNT) {
        snprintf(buf, n, "%s", wbOpInfos[op].text);
    } else if (op < WB_OP_COUNT + nxops) {
        snprintf(buf, n, "%s", xops[op - WB_OP_COUNT]);
    } else if (op < WB_OP_COUNT + nxops + nri) {
        snprintf(buf, n, "%s_imm", wbOpInfos[ri_base[op - WB_OP_COUNT - nxops]].text);
    } else if (op < WB_OP_COUNT + nxops + nri + 6 * nbr) {
        uint32_t k = op - WB_OP_COUNT - nxops - nri;
        snprintf(buf, n, "%s.%s", br_kind[k % 6], wbOpInfos[br_base[k / 6]].text);
    } else if (op < WB_XOP_COUNT) {
        uint32_t k = op - WB_OP_COUNT - nxops - nri - 6 * nbr;
        snprintf(buf, n, "%s_%s", wbOpInfos[ld_base[k / 2]].text, k % 2 ? "add" : "add_imm");
    } else {
        snprintf(buf, n, "?%u", op);
    }
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
