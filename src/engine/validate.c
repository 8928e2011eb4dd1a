/*
 * validate.c — module-level validation: types of imports, tables, memories,
 * globals, segments, the start function and exports, in the order the
 * reference interpreter checks them; function bodies go to validate_func.c.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/validate.h"

static bool invalid(wb_error *err, size_t offset, const char *message, const char *what,
                    uint32_t index)
{
    if (what)
        return wbErrorSet(err, WB_ERR_INVALID, offset, message, "%s %u", what, index);
    return wbErrorSet(err, WB_ERR_INVALID, offset, message, NULL);
}

static bool check_limits(wb_error *err, size_t at, const wbLimits *l, uint64_t bound,
                         const char *too_big)
{
    if (too_big && (l->min > bound || (l->has_max && l->max > bound)))
        return invalid(err, at, too_big, NULL, 0);
    if (l->has_max && l->min > l->max)
        return invalid(err, at, "size minimum must not be greater than maximum", NULL, 0);
    return true;
}

static bool check_memory(wb_error *err, size_t at, const wbLimits *l)
{
    return check_limits(err, at, l, WB_MAX_PAGES, "memory size must be at most 65536 pages (4GiB)");
}

static bool check_table(wb_error *err, size_t at, const wbTableType *t)
{
    return check_limits(err, at, &t->limits, UINT32_MAX, NULL);
}

/* A constant expression must produce `expected`; global.get may only read
 * imported immutable globals (WebAssembly 2.0). */
static bool check_const_expr(const wb_module *m, wb_error *err, const wbConstExpr *ce,
                             uint8_t expected)
{
    if (ce->invalid)
        return invalid(err, ce->offset, ce->invalid, NULL, 0);
    uint8_t type = ce->type;
    switch (ce->kind) {
    case WB_CONST_GLOBAL_GET:
        if (ce->index >= m->nglobal_imports)
            return invalid(err, ce->offset, "unknown global", "global", ce->index);
        if (m->globals[ce->index].type.mutable_)
            return invalid(err, ce->offset, "constant expression required", NULL, 0);
        type = m->globals[ce->index].type.type;
        break;
    case WB_CONST_REF_FUNC:
        if (ce->index >= m->nfuncs)
            return invalid(err, ce->offset, "unknown function", "function", ce->index);
        break;
    default:
        break;
    }
    if (type != expected)
        return invalid(err, ce->offset, "type mismatch", NULL, 0);
    return true;
}

static void declare_ref(wb_module *m, const wbConstExpr *ce)
{
    if (ce->kind == WB_CONST_REF_FUNC && !ce->invalid && ce->index < m->nfuncs)
        m->declared_refs[ce->index / 8] |= (uint8_t)(1u << (ce->index % 8));
}

/* C.refs: functions referenced outside function bodies. */
static bool collect_declared_refs(wb_module *m, wb_error *err)
{
    m->declared_refs = wbArenaAlloc(&m->arena, (size_t)m->nfuncs / 8 + 1);
    if (!m->declared_refs)
        return wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", NULL);
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
        declare_ref(m, &m->globals[i].init);
    for (uint32_t i = 0; i < m->nelems; i++)
        for (uint32_t k = 0; k < m->elems[i].count; k++)
            declare_ref(m, &m->elems[i].items[k]);
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wbExport *e = &m->exports[i];
        if (e->kind == WB_EXTERN_FUNC && e->index < m->nfuncs)
            m->declared_refs[e->index / 8] |= (uint8_t)(1u << (e->index % 8));
    }
    return true;
}

static bool check_imports(const wb_module *m, wb_error *err)
{
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wbImport *im = &m->imports[i];
        switch (im->kind) {
        case WB_EXTERN_FUNC:
            if (im->as.type_index >= m->ntypes)
                return invalid(err, im->offset, "unknown type", "type", im->as.type_index);
            break;
        case WB_EXTERN_TABLE:
            if (!check_table(err, im->offset, &im->as.table))
                return false;
            break;
        case WB_EXTERN_MEMORY:
            if (!check_memory(err, im->offset, &im->as.memory))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

static bool check_elems(const wb_module *m, wb_error *err)
{
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wbElem *e = &m->elems[i];
        if (e->mode == WB_SEG_ACTIVE) {
            if (e->table >= m->ntables)
                return invalid(err, e->offset.offset, "unknown table", "table", e->table);
            if (!check_const_expr(m, err, &e->offset, WB_I32))
                return false;
            if (m->tables[e->table].elem != e->type)
                return invalid(err, e->offset.offset, "type mismatch", NULL, 0);
        }
        for (uint32_t k = 0; k < e->count; k++)
            if (!check_const_expr(m, err, &e->items[k], e->type))
                return false;
    }
    return true;
}

static bool check_datas(const wb_module *m, wb_error *err)
{
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wbData *d = &m->datas[i];
        if (d->mode != WB_SEG_ACTIVE)
            continue;
        if (d->memory >= m->nmemories)
            return invalid(err, d->offset.offset, "unknown memory", "memory", d->memory);
        if (!check_const_expr(m, err, &d->offset, WB_I32))
            return false;
    }
    return true;
}

static bool name_equal(const wbExport *a, const wbExport *b)
{
    return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
}

static int compare_exports(const void *pa, const void *pb)
{
    const wbExport *a = *(const wbExport *const *)pa, *b = *(const wbExport *const *)pb;
    uint32_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, n);
    if (c)
        return c;
    return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static bool check_exports(const wb_module *m, wb_error *err)
{
    static const char *const unknown[] = {"unknown function", "unknown table", "unknown memory",
                                          "unknown global"};
    static const char *const what[] = {"function", "table", "memory", "global"};
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wbExport *e = &m->exports[i];
        uint32_t limit = e->kind == WB_EXTERN_FUNC    ? m->nfuncs
                         : e->kind == WB_EXTERN_TABLE ? m->ntables
                         : e->kind == WB_EXTERN_MEMORY ? m->nmemories
                                                       : m->nglobals;
        if (e->index >= limit)
            return invalid(err, e->offset, unknown[e->kind], what[e->kind], e->index);
    }
    if (m->nexports < 2)
        return true;
    /* duplicate names: sort pointers, compare neighbours */
    const wbExport **sorted = malloc(m->nexports * sizeof *sorted);
    if (!sorted)
        return wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", NULL);
    for (uint32_t i = 0; i < m->nexports; i++)
        sorted[i] = &m->exports[i];
    qsort(sorted, m->nexports, sizeof *sorted, compare_exports);
    bool ok = true;
    for (uint32_t i = 1; i < m->nexports && ok; i++)
        if (name_equal(sorted[i - 1], sorted[i]))
            ok = wbErrorSet(err, WB_ERR_INVALID, sorted[i]->offset, "duplicate export name", "\"%.*s\"",
                            (int)(sorted[i]->name_len > 64 ? 64 : sorted[i]->name_len),
                            (const char *)sorted[i]->name);
    free(sorted);
    return ok;
}

/* The module-level checks, in the reference interpreter's order; *section
 * names the section being checked, for error messages. */
static bool validate_module(wb_module *m, wb_error *err, int *section)
{
    *section = 2;
    if (!check_imports(m, err))
        return false;
    *section = 3;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        if (m->funcs[i].type_index >= m->ntypes)
            return invalid(err, m->section_offset[3], "unknown type", "type", m->funcs[i].type_index);
    *section = 6;
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
        if (!check_const_expr(m, err, &m->globals[i].init, m->globals[i].type.type))
            return false;
    *section = 4;
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
        if (!check_table(err, m->section_offset[4], &m->tables[i]))
            return false;
    *section = 5;
    for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++)
        if (!check_memory(err, m->section_offset[5], &m->memories[i]))
            return false;
    *section = 9;
    if (!check_elems(m, err))
        return false;
    *section = 11;
    if (!check_datas(m, err))
        return false;
    *section = 10;
    if (!collect_declared_refs(m, err))
        return false;
    uint32_t ndefined = m->nfuncs - m->nfunc_imports;
    m->codes = wbArenaArray(&m->arena, ndefined, sizeof *m->codes);
    if (!m->codes)
        return wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", NULL);
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        if (!wbValidateFunc(m, i, &m->codes[i - m->nfunc_imports], err))
            return false;
    *section = 8;
    if (m->has_start) {
        if (m->start >= m->nfuncs)
            return invalid(err, m->section_offset[8], "unknown function", "function", m->start);
        const wbFuncType *ft = wbFuncTypeOf(m, m->start);
        if (ft->nparams || ft->nresults)
            return invalid(err, m->section_offset[8], "start function", "function", m->start);
    }
    *section = 7;
    if (!check_exports(m, err))
        return false;
    *section = 5;
    if (m->nmemories > 1)
        return invalid(err, m->section_offset[5] ? m->section_offset[5] : m->section_offset[2],
                       "multiple memories", NULL, 0);
    return true;
}

bool wbValidateModule(wb_module *m, wb_error *err)
{
    int section = -1;
    bool ok = validate_module(m, err, &section);
    if (!ok && err->section < 0)
        err->section = section;
    return ok;
}
