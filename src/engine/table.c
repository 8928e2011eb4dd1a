/*
 * table.c — tables of references: creation, table.grow, and table.init
 * (shared by the interpreter and the element segments of instantiation).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"

static void table_fini(void *ptr)
{
    wb_table *table = ptr;
    free(table->elems);
}

wb_status wbTableNew(wb_store *store, const wbTableType *type, wb_table **out)
{
    *out = NULL;
    if (!store || !type || !wbIsRefType(type->elem) ||
        (type->limits.has_max && type->limits.min > type->limits.max))
        return WB_ERR_ARG;
    uint32_t max = type->limits.has_max ? type->limits.max : UINT32_MAX;
    if (max > store->limits.max_table_elems)
        max = store->limits.max_table_elems;
    uint32_t min = type->limits.min;
    if (min > max)
        return WB_ERR_LIMIT;
    if ((uint64_t)min * sizeof(void *) > SIZE_MAX)
        return WB_ERR_NOMEM;
    void **elems = calloc(min ? min : 1, sizeof *elems); /* all ref.null */
    if (!elems)
        return WB_ERR_NOMEM;
    wb_table *table = wbStoreAlloc(store, sizeof *table, table_fini);
    if (!table) {
        free(elems);
        return WB_ERR_NOMEM;
    }
    table->elem = type->elem;
    table->size = min;
    table->max = max;
    table->elems = elems;
    table->declared_max = type->limits.has_max;
    table->declared_max_elems = type->limits.has_max ? type->limits.max : 0;
    table->capacity = min ? min : 1;
    *out = table;
    return WB_OK;
}

wb_table *wb_table_new(wb_store *store, wb_valtype elem, uint32_t min, uint32_t max,
                       int has_max)
{
    wbTableType type = {.elem = (uint8_t)elem,
                        .limits = {.min = min, .max = max, .has_max = has_max != 0}};
    if ((int)elem != WB_FUNCREF && (int)elem != WB_EXTERNREF)
        return NULL;
    wb_table *table;
    return wbTableNew(store, &type, &table) == WB_OK ? table : NULL;
}

uint32_t wb_table_size(const wb_table *table)
{
    return table ? table->size : 0;
}

int64_t wbTableGrow(wb_table *table, uint32_t delta, void *init)
{
    if (!table)
        return -1;
    uint64_t old = table->size, want = old + delta;
    if (want > table->max)
        return -1;
    if (want > table->capacity) {
        /* doubling, so that growing one by one stays linear */
        uint64_t cap = (uint64_t)table->capacity * 2;
        if (cap < want)
            cap = want;
        if (cap > table->max)
            cap = table->max;
        if (cap * sizeof(void *) > SIZE_MAX)
            return -1;
        void **p = realloc(table->elems, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        table->elems = p;
        table->capacity = (uint32_t)cap;
    }
    for (uint64_t i = old; i < want; i++)
        table->elems[i] = init;
    table->size = (uint32_t)want;
    return (int64_t)old;
}

const char *wbTableInit(wb_instance *inst, wb_table *table, uint32_t seg, uint32_t dst,
                        uint32_t src, uint32_t n)
{
    static const char oob[] = "out of bounds table access";
    if (!inst || !table || seg >= inst->module->nelems)
        return oob;
    const wbElem *e = &inst->module->elems[seg];
    uint64_t len = inst->dropped_elems[seg] ? 0 : e->count;
    if ((uint64_t)src + n > len || (uint64_t)dst + n > table->size)
        return oob;
    for (uint32_t i = 0; i < n; i++)
        table->elems[dst + i] = wbEvalRef(inst, &e->items[src + i]);
    return NULL;
}
