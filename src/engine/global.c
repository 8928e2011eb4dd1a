/*
 * global.c — global variables, and the conversion of values between the
 * API's tagged wb_value and the interpreter's untagged wbSlot.
 */
#include <string.h>

#include "engine/runtime.h"

wbSlot wbValueToSlot(const wb_value *value)
{
    wbSlot s;
    s.i64 = 0;
    switch ((int)value->type) {
    case WB_I32: case WB_F32: s.i32 = value->of.i32; break; /* f32: its bits */
    case WB_I64: case WB_F64: s.i64 = value->of.i64; break;
    case WB_FUNCREF: case WB_EXTERNREF: s.ref = value->of.ref; break;
    default: break; /* v128 does not fit */
    }
    return s;
}

wb_value wbSlotToValue(uint8_t type, wbSlot slot)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = (wb_valtype)type;
    switch (type) {
    case WB_I32: case WB_F32: v.of.i32 = slot.i32; break;
    case WB_I64: case WB_F64: v.of.i64 = slot.i64; break;
    case WB_FUNCREF: case WB_EXTERNREF: v.of.ref = slot.ref; break;
    default: break;
    }
    return v;
}

wb_global *wb_global_new(wb_store *store, wb_valtype type, int is_mutable, wb_value value)
{
    if (!store || !wbIsValType((uint8_t)type) || value.type != type)
        return NULL;
    wb_global *g = wbStoreAlloc(store, sizeof *g, NULL);
    if (!g)
        return NULL;
    g->type.type = (uint8_t)type;
    g->type.mutable_ = is_mutable != 0;
    g->value = wbValueToSlot(&value);
    if ((int)type == WB_V128)
        memcpy(g->v128, value.of.v128, 16);
    return g;
}

wb_value wb_global_get(const wb_global *global)
{
    if (!global) {
        wb_value none;
        memset(&none, 0, sizeof none);
        return none;
    }
    wb_value v = wbSlotToValue(global->type.type, global->value);
    if (global->type.type == WB_V128)
        memcpy(v.of.v128, global->v128, 16);
    return v;
}

wb_status wb_global_set(wb_global *global, wb_value value)
{
    if (!global || !global->type.mutable_ || (int)value.type != global->type.type)
        return WB_ERR_ARG;
    global->value = wbValueToSlot(&value);
    if (global->type.type == WB_V128)
        memcpy(global->v128, value.of.v128, 16);
    return WB_OK;
}
