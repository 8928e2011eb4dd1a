/*
 * jit_helpers.c — the instructions native code calls out for instead of
 * inlining (jit.h): the numeric ones run the same numeric.h functions the
 * interpreter runs, from numeric.def; the table, bulk-memory and segment
 * instructions run bulk.c's, as the interpreter does, on the running
 * instance (th->jit); and the two call paths native code cannot take by
 * itself: call_indirect's checks, and calls of host functions or of another
 * instance's functions.
 */
#include <string.h>

#include "engine/jit.h"
#include "engine/numeric.h"
#include "engine/regcode.h"

#define S(i) (fp[ip[i]])
#define HELPER(name) static const char *name(wbThread *th, wbSlot *fp, const uint32_t *ip)


/* numeric instructions, [op, dst, a(, b)], and the immediate forms
 * [op, dst, a, imm...] */
#define WB_UNOP(name, in, out, fn) \
    HELPER(h_##name) { (void)th; S(1).out = fn(S(2).in); return NULL; }
#define WB_BINOP(name, in, out, fn) \
    HELPER(h_##name) { (void)th; S(1).out = fn(S(2).in, S(3).in); return NULL; } \
    HELPER(hi_##name) { (void)th; S(1).out = fn(S(2).in, IMM_##in(3)); return NULL; }
#define WB_TRAP_UNOP(name, in, out, fn) \
    HELPER(h_##name) { (void)th; return fn(S(2).in, &S(1).out); }
#define WB_TRAP_BINOP(name, in, out, fn) \
    HELPER(h_##name) { (void)th; return fn(S(2).in, S(3).in, &S(1).out); } \
    HELPER(hi_##name) { (void)th; return fn(S(2).in, IMM_##in(3), &S(1).out); }
#include "engine/numeric.def"

HELPER(h_memory_grow)
{
    S(1).i32 = (uint32_t)wbMemoryGrow(th->jit.memory, S(2).i32);
    return NULL;
}

/* bulk memory, tables and segments: bulk.c, shared with the interpreter */
#define BULK_HELPER(name, fn) \
    HELPER(name) { return fn(th->jit.inst, th->jit.memory, fp, ip); }
BULK_HELPER(h_memory_fill, wbBulkMemoryFill)
BULK_HELPER(h_memory_copy, wbBulkMemoryCopy)
BULK_HELPER(h_memory_init, wbBulkMemoryInit)
BULK_HELPER(h_data_drop, wbBulkDataDrop)
BULK_HELPER(h_table_get, wbBulkTableGet)
BULK_HELPER(h_table_set, wbBulkTableSet)
BULK_HELPER(h_table_size, wbBulkTableSize)
BULK_HELPER(h_table_grow, wbBulkTableGrow)
BULK_HELPER(h_table_fill, wbBulkTableFill)
BULK_HELPER(h_table_copy, wbBulkTableCopy)
BULK_HELPER(h_table_init, wbBulkTableInit)
BULK_HELPER(h_elem_drop, wbBulkElemDrop)

HELPER(h_ref_is_null)
{
    (void)th;
    S(1).i32 = S(2).ref == NULL;
    return NULL;
}

#define T WB_JH_TRAPS
const wbJitHelperInfo wbJitHelpers[WB_XOP_COUNT] = {
#define WB_UNOP(name, in, out, fn) [WB_OP_##name] = {h_##name, 0},
#define WB_BINOP(name, in, out, fn) [WB_OP_##name] = {h_##name, 0}, [WB_RI_##name] = {hi_##name, 0},
#define WB_TRAP_UNOP(name, in, out, fn) [WB_OP_##name] = {h_##name, T},
#define WB_TRAP_BINOP(name, in, out, fn) [WB_OP_##name] = {h_##name, T}, [WB_RI_##name] = {hi_##name, T},
#include "engine/numeric.def"
    [WB_OP_MEMORY_GROW] = {h_memory_grow, WB_JH_MEMORY},
    [WB_OP_MEMORY_FILL] = {h_memory_fill, T},
    [WB_OP_MEMORY_COPY] = {h_memory_copy, T},
    [WB_OP_MEMORY_INIT] = {h_memory_init, T},
    [WB_OP_DATA_DROP] = {h_data_drop, 0},
    [WB_OP_TABLE_GET] = {h_table_get, T},
    [WB_OP_TABLE_SET] = {h_table_set, T},
    [WB_OP_TABLE_SIZE] = {h_table_size, 0},
    [WB_OP_TABLE_GROW] = {h_table_grow, 0},
    [WB_OP_TABLE_FILL] = {h_table_fill, T},
    [WB_OP_TABLE_COPY] = {h_table_copy, T},
    [WB_OP_TABLE_INIT] = {h_table_init, T},
    [WB_OP_ELEM_DROP] = {h_elem_drop, 0},
    [WB_OP_REF_IS_NULL] = {h_ref_is_null, 0},
};
#undef T

wb_func *wbJitResolveIndirect(wbThread *th, wbSlot *fp, const uint32_t *ip)
{
    /* [op, type, table, c, base] */
    wb_instance *inst = th->jit.inst;
    wb_table *table = inst->tables[ip[2]];
    uint32_t i = S(3).i32;
    if (i >= table->size) {
        th->jit.trap = wbTrapUndefined;
        return NULL;
    }
    wb_func *callee = table->elems[i];
    if (!callee) {
        th->jit.trap = wbTrapUninitialized;
        return NULL;
    }
    const wbFuncType *want = &inst->module->types[ip[1]];
    if (callee->type != want && !wbFuncTypeEqual(callee->type, want)) {
        th->jit.trap = wbTrapSignature;
        return NULL;
    }
    return callee;
}

const char *wbJitCallSlow(wbThread *th, wbSlot *nfp, wb_func *f)
{
    th->nframes = (uint32_t)(th->jit.frame_top - th->frames);
    if (th->fuel_on)
        th->fuel = th->jit.fuel;
    const char *trap = NULL;
    wb_status status;
    if (!f->code) {
        trap = wbCallHost(f, th->jit.inst, nfp, &status);
    } else {
        /* another instance's function: a nested invocation above ours */
        wb_error err;
        wbErrorInit(&err);
        status = wbRun(th, f, nfp, &err);
        if (status != WB_OK) {
            trap = err.message;
            th->jit.nested = true;
            th->jit.nested_offset = err.offset;
            memcpy(th->jit.nested_detail, err.detail, sizeof err.detail);
        }
    }
    if (trap)
        th->jit.status = status;
    if (th->fuel_on)
        th->jit.fuel = th->fuel;
    return trap;
}
