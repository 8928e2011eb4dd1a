/*
 * bulk.c — the bulk-memory, table and segment instructions, for both
 * tiers: the interpreter's handlers and the native code's helpers call
 * these, each with the instruction's words at ip and the frame at fp.
 */
#include <string.h>

#include "engine/runtime.h"

#define S(i) (fp[ip[i]])

const char *wbBulkMemoryFill(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)inst; /* [op, d, value, n] */
    uint32_t d = S(1).i32, n = S(3).i32;
    if ((uint64_t)d + n > mem->size)
        return wbTrapMemory;
    memset(mem->data + d, (int)(uint8_t)S(2).i32, n);
    return NULL;
}

const char *wbBulkMemoryCopy(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)inst; /* [op, d, s, n] */
    uint32_t d = S(1).i32, s = S(2).i32, n = S(3).i32;
    if ((uint64_t)d + n > mem->size || (uint64_t)s + n > mem->size)
        return wbTrapMemory;
    memmove(mem->data + d, mem->data + s, n);
    return NULL;
}

const char *wbBulkMemoryInit(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    /* [op, segment, d, s, n] */
    return wbMemoryInit(inst, mem, ip[1], S(2).i32, S(3).i32, S(4).i32);
}

const char *wbBulkDataDrop(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem, (void)fp; /* [op, segment] */
    inst->dropped_datas[ip[1]] = 1;
    return NULL;
}

const char *wbBulkTableGet(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem; /* [op, dst, table, i] */
    wb_table *t = inst->tables[ip[2]];
    uint32_t i = S(3).i32;
    if (i >= t->size)
        return wbTrapTable;
    S(1).ref = t->elems[i];
    return NULL;
}

const char *wbBulkTableSet(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem; /* [op, table, i, value] */
    wb_table *t = inst->tables[ip[1]];
    uint32_t i = S(2).i32;
    if (i >= t->size)
        return wbTrapTable;
    t->elems[i] = S(3).ref;
    return NULL;
}

const char *wbBulkTableSize(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem; /* [op, dst, table] */
    S(1).i64 = inst->tables[ip[2]]->size;
    return NULL;
}

const char *wbBulkTableGrow(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem; /* [op, dst, table, init, n] */
    S(1).i64 = (uint32_t)wbTableGrow(inst->tables[ip[2]], S(4).i32, S(3).ref);
    return NULL;
}

const char *wbBulkTableFill(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem; /* [op, table, i, value, n] */
    wb_table *t = inst->tables[ip[1]];
    uint32_t i = S(2).i32, n = S(4).i32;
    void *v = S(3).ref;
    if ((uint64_t)i + n > t->size)
        return wbTrapTable;
    for (uint32_t k = 0; k < n; k++)
        t->elems[i + k] = v;
    return NULL;
}

const char *wbBulkTableCopy(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem; /* [op, dst table, src table, d, s, n] */
    wb_table *dt = inst->tables[ip[1]], *st = inst->tables[ip[2]];
    uint32_t d = S(3).i32, s = S(4).i32, n = S(5).i32;
    if ((uint64_t)d + n > dt->size || (uint64_t)s + n > st->size)
        return wbTrapTable;
    if (n)
        memmove(dt->elems + d, st->elems + s, n * sizeof *dt->elems);
    return NULL;
}

const char *wbBulkTableInit(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem; /* [op, table, segment, d, s, n] */
    return wbTableInit(inst, inst->tables[ip[1]], ip[2], S(3).i32, S(4).i32, S(5).i32);
}

const char *wbBulkElemDrop(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip)
{
    (void)mem, (void)fp; /* [op, segment] */
    inst->dropped_elems[ip[1]] = 1;
    return NULL;
}
