/*
 * instance.c — instantiation (import matching, allocation of the module's
 * own objects, element and data segments, the start function, in the
 * spec's order), exports, and functions: host functions, signatures and
 * wb_func_call. Also the helpers the interpreter shares with instantiation:
 * wbFuncTypeEqual, wbEvalRef and wbMemoryInit.
 *
 * An instance is one block owned by the store: the wb_instance, its index
 * spaces (pointer arrays), the wb_func objects of its defined functions,
 * their signatures as wb_valtype, and the dropped-segment flags. Objects made
 * before a failure stay in the store: a failed instantiation may already
 * have written into imported tables and memories, and what it wrote (its
 * functions, for instance) must stay valid.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"

bool wbFuncTypeEqual(const wbFuncType *a, const wbFuncType *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->nparams != b->nparams || a->nresults != b->nresults)
        return false;
    size_t n = (size_t)a->nparams + a->nresults;
    return n == 0 || memcmp(a->types, b->types, n) == 0;
}

/* ------------------------------------------------------------- functions */

/* A host function with its signature, in one store object; the two type
 * arrays (wb_valtype, then bytes) follow it. */
typedef struct HostFunc {
    wb_func func;
    wbFuncType type;
} HostFunc;

wb_func *wb_func_new_host(wb_store *store, const wb_valtype *params, uint32_t nparams,
                          const wb_valtype *results, uint32_t nresults, wb_host_fn fn,
                          void *env)
{
    if (!store || !fn || (nparams && !params) || (nresults && !results))
        return NULL;
    uint64_t n = (uint64_t)nparams + nresults;
    for (uint64_t i = 0; i < n; i++) {
        wb_valtype t = i < nparams ? params[i] : results[i - nparams];
        if ((unsigned)t > 0xFF || !wbIsValType((uint8_t)t))
            return NULL;
    }
    uint64_t size = sizeof(HostFunc) + n * (sizeof(wb_valtype) + 1);
    if (size > SIZE_MAX)
        return NULL;
    HostFunc *h = wbStoreAlloc(store, (size_t)size, NULL);
    if (!h)
        return NULL;
    wb_valtype *api = (wb_valtype *)(h + 1);
    uint8_t *bytes = (uint8_t *)(api + n);
    for (uint64_t i = 0; i < n; i++) {
        api[i] = i < nparams ? params[i] : results[i - nparams];
        bytes[i] = (uint8_t)api[i];
    }
    h->type.nparams = nparams;
    h->type.nresults = nresults;
    h->type.types = bytes;
    h->func.type = &h->type;
    h->func.host = fn;
    h->func.host_env = env;
    h->func.api_types = api;
    h->func.index = WB_NO_INDEX;
    return &h->func;
}

void wb_func_type(const wb_func *func, uint32_t *nparams, const wb_valtype **params,
                  uint32_t *nresults, const wb_valtype **results)
{
    uint32_t np = func && func->type ? func->type->nparams : 0;
    uint32_t nr = func && func->type ? func->type->nresults : 0;
    const wb_valtype *api = func ? func->api_types : NULL;
    if (nparams)
        *nparams = np;
    if (nresults)
        *nresults = nr;
    if (params)
        *params = api;
    if (results)
        *results = api ? api + np : NULL;
}

/* Calls host function f with parameters args (typed as declared), storing
 * its results into results (typed as declared, whatever the host did). */
static wb_status call_host(wb_func *f, wb_instance *caller, const wb_value *args,
                           wb_value *results, wb_error *err)
{
    const wbFuncType *t = f->type;
    wb_value none[1], buf[16];
    memset(none, 0, sizeof none);
    wb_value *tmp = buf;
    if (t->nresults > 16 && !(tmp = calloc(t->nresults, sizeof *tmp))) {
        wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", NULL);
        return WB_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < t->nresults; i++) {
        memset(&tmp[i], 0, sizeof tmp[i]);
        tmp[i].type = (wb_valtype)t->types[t->nparams + i];
    }
    const char *trap = NULL;
    wb_status st = f->host(f->host_env, caller, t->nparams ? args : none,
                           t->nresults ? tmp : none, &trap);
    if (st == WB_OK) {
        for (uint32_t i = 0; i < t->nresults; i++) {
            results[i] = tmp[i];
            results[i].type = (wb_valtype)t->types[t->nparams + i];
        }
    } else if (st == WB_ERR_TRAP) {
        wbErrorSet(err, st, WB_NO_OFFSET, trap ? trap : "host function trapped", NULL);
    } else {
        wbErrorSet(err, st, WB_NO_OFFSET, wb_status_name(st), "in a host function");
    }
    if (tmp != buf)
        free(tmp);
    return st;
}

wb_status wb_func_call(wb_func *func, const wb_value *args, uint32_t nargs, wb_value *results,
                       uint32_t nresults, wb_error *err)
{
    wb_error local;
    if (!err)
        err = &local;
    wbErrorInit(err);
    if (!func || !func->type) {
        wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "bad argument", "no function");
        return WB_ERR_ARG;
    }
    const wbFuncType *t = func->type;
    uint32_t np = t->nparams, nr = t->nresults;
    if (nargs != np || (nargs && !args)) {
        wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "argument count mismatch",
                   "the function takes %u arguments, %u given", np, args ? nargs : 0);
        return WB_ERR_ARG;
    }
    if (nresults < nr || (nr && !results)) {
        wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "result count mismatch",
                   "the function returns %u results, room for %u given", nr,
                   results ? nresults : 0);
        return WB_ERR_ARG;
    }
    for (uint32_t i = 0; i < np; i++) {
        if ((unsigned)args[i].type != t->types[i]) {
            wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "argument type mismatch",
                       "argument %u: expected %s, got %s", i, wb_valtype_name((wb_valtype)t->types[i]),
                       wb_valtype_name(args[i].type));
            return WB_ERR_ARG;
        }
    }
    if (func->host)
        return call_host(func, NULL, args, results, err);

    if (!func->instance || !func->code) {
        wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "bad argument",
                   "function %u has no instance or no compiled code", func->index);
        return WB_ERR_ARG;
    }
    for (uint64_t i = 0; i < (uint64_t)np + nr; i++) {
        if (t->types[i] == WB_V128) {
            wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "unsupported value type",
                       "%s %u is a v128, which wb_func_call cannot pass",
                       i < np ? "argument" : "result", (unsigned)(i < np ? i : i - np));
            return WB_ERR_ARG;
        }
    }
    size_t n = np > nr ? np : nr;
    wbSlot buf[16];
    wbSlot *slots = n <= 16 ? buf : calloc(n, sizeof *slots);
    if (!slots) {
        wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", NULL);
        return WB_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < np; i++)
        slots[i] = wbValueToSlot(&args[i]);
    wb_status st = wbInvoke(func->instance->store, func, slots, err);
    if (st == WB_OK) {
        for (uint32_t i = 0; i < nr; i++)
            results[i] = wbSlotToValue(t->types[np + i], slots[i]);
    } else if (err->status == WB_OK) {
        wbErrorSet(err, st, WB_NO_OFFSET, wb_status_name(st), NULL);
    }
    if (slots != buf)
        free(slots);
    return st;
}

/* --------------------------------------------------------- shared helpers */

void *wbEvalRef(wb_instance *inst, const wbConstExpr *ce)
{
    if (!inst || !ce)
        return NULL;
    const wb_module *m = inst->module;
    switch (ce->kind) {
    case WB_CONST_REF_FUNC:
        return ce->index < m->nfuncs ? inst->funcs[ce->index] : NULL;
    case WB_CONST_GLOBAL_GET:
        if (ce->index < m->nglobals && inst->globals[ce->index])
            return inst->globals[ce->index]->value.ref;
        return NULL;
    default:
        return NULL; /* ref.null */
    }
}

const char *wbMemoryInit(wb_instance *inst, wb_memory *mem, uint32_t seg, uint32_t dst,
                         uint32_t src, uint32_t n)
{
    if (!inst || !mem || seg >= inst->module->ndatas)
        return "out of bounds memory access";
    const wbData *d = &inst->module->datas[seg];
    uint64_t len = inst->dropped_datas[seg] ? 0 : d->size;
    if ((uint64_t)src + n > len || (uint64_t)dst + n > mem->size)
        return "out of bounds memory access";
    if (n)
        memcpy(mem->data + dst, d->bytes + src, n);
    return NULL;
}

/* ------------------------------------------------------------------ exports */

bool wbInstanceExportAt(const wb_instance *inst, uint32_t index, wb_extern *out)
{
    if (!inst || index >= inst->module->nexports)
        return false;
    const wb_module *m = inst->module;
    const wbExport *x = &m->exports[index];
    wb_extern e;
    memset(&e, 0, sizeof e);
    e.kind = (wb_extern_kind)x->kind;
    switch (x->kind) {
    case WB_EXTERN_FUNC:
        if (x->index >= m->nfuncs)
            return false;
        e.of.func = inst->funcs[x->index];
        break;
    case WB_EXTERN_TABLE:
        if (x->index >= m->ntables)
            return false;
        e.of.table = inst->tables[x->index];
        break;
    case WB_EXTERN_MEMORY:
        if (x->index >= m->nmemories)
            return false;
        e.of.memory = inst->memories[x->index];
        break;
    case WB_EXTERN_GLOBAL:
        if (x->index >= m->nglobals)
            return false;
        e.of.global = inst->globals[x->index];
        break;
    default:
        return false;
    }
    *out = e;
    return true;
}

int wb_instance_export(const wb_instance *instance, const char *name, wb_extern *out)
{
    return name ? wb_instance_export_bytes(instance, (const uint8_t *)name, strlen(name), out) : 0;
}

int wb_instance_export_bytes(const wb_instance *instance, const uint8_t *name, size_t len,
                             wb_extern *out)
{
    if (!instance || (!name && len) || !out)
        return 0;
    const wb_module *m = instance->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wbExport *x = &m->exports[i];
        if (x->name_len == len && (len == 0 || memcmp(x->name, name, len) == 0))
            return wbInstanceExportAt(instance, i, out) ? 1 : 0;
    }
    return 0;
}

/* ---------------------------------------------------------- instantiation */

static wb_status link_error(wb_error *err, const wbImport *imp, const char *message)
{
    int ml = imp->module_len > 70 ? 70 : (int)imp->module_len;
    int fl = imp->field_len > 70 ? 70 : (int)imp->field_len;
    wbErrorSet(err, WB_ERR_LINK, imp->offset, message, "%.*s.%.*s", ml,
               ml ? (const char *)imp->module_name : "", fl,
               fl ? (const char *)imp->field_name : "");
    err->section = 2;
    return WB_ERR_LINK;
}

/* An actual object's limits {min, declared max} against an import's. */
static bool limits_match(uint64_t min, bool has_max, uint32_t max, const wbLimits *want)
{
    if (min < want->min)
        return false;
    return !want->has_max || (has_max && max <= want->max);
}

/* Finds import `imp` in the linker and checks it matches (WebAssembly 2.0,
 * "Import matching"); fills *ext. */
static wb_status resolve_import(const wb_module *m, const wb_linker *linker,
                                const wbImport *imp, wb_extern *ext, wb_error *err)
{
    const wb_extern *found = wbLinkerLookup(linker, imp->module_name, imp->module_len,
                                            imp->field_name, imp->field_len);
    if (!found)
        return link_error(err, imp, "unknown import");
    *ext = *found;
    if ((unsigned)found->kind != imp->kind)
        return link_error(err, imp, "incompatible import type");
    bool ok = false;
    switch (imp->kind) {
    case WB_EXTERN_FUNC: {
        const wb_func *f = found->of.func;
        ok = f && imp->as.type_index < m->ntypes &&
             wbFuncTypeEqual(&m->types[imp->as.type_index], f->type);
        break;
    }
    case WB_EXTERN_TABLE: {
        const wb_table *t = found->of.table;
        ok = t && t->elem == imp->as.table.elem &&
             limits_match(t->size, t->declared_max, t->declared_max_elems,
                          &imp->as.table.limits);
        break;
    }
    case WB_EXTERN_MEMORY: {
        const wb_memory *mem = found->of.memory;
        ok = mem && limits_match(mem->pages, mem->declared_max, mem->declared_max_pages,
                                 &imp->as.memory);
        break;
    }
    case WB_EXTERN_GLOBAL: {
        const wb_global *g = found->of.global;
        ok = g && g->type.type == imp->as.global.type &&
             g->type.mutable_ == imp->as.global.mutable_;
        break;
    }
    default:
        break;
    }
    return ok ? WB_OK : link_error(err, imp, "incompatible import type");
}

/* Where each array of the instance block starts. */
typedef struct Layout {
    uint64_t funcs, tables, memories, globals, own_funcs, type_api, api, drop_elems,
        drop_datas, total;
} Layout;

/* Reserves count * size bytes, suitably aligned, at the end of the block. */
static uint64_t take(uint64_t *total, uint64_t count, uint64_t size)
{
    uint64_t align = _Alignof(max_align_t);
    uint64_t at = (*total + align - 1) / align * align;
    *total = at + count * size;
    return at;
}

static bool plan(const wb_module *m, Layout *l)
{
    uint64_t napi = 0;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        napi += (uint64_t)m->types[i].nparams + m->types[i].nresults;
        if (napi > ((uint64_t)1 << 40))
            return false;
    }
    l->total = sizeof(wb_instance);
    l->funcs = take(&l->total, m->nfuncs, sizeof(wb_func *));
    l->tables = take(&l->total, m->ntables, sizeof(wb_table *));
    l->memories = take(&l->total, m->nmemories, sizeof(wb_memory *));
    l->globals = take(&l->total, m->nglobals, sizeof(wb_global *));
    l->own_funcs = take(&l->total, m->nfuncs - m->nfunc_imports, sizeof(wb_func));
    l->type_api = take(&l->total, m->ntypes, sizeof(wb_valtype *));
    l->api = take(&l->total, napi, sizeof(wb_valtype));
    l->drop_elems = take(&l->total, m->nelems, 1);
    l->drop_datas = take(&l->total, m->ndatas, 1);
    return l->total <= SIZE_MAX;
}

/* The counts of the index spaces agree with the imports (validation makes
 * them so; checked again so that nothing below can index out of range). */
static bool consistent(const wb_module *m)
{
    uint32_t n[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < m->nimports; i++) {
        if (m->imports[i].kind > WB_EXTERN_GLOBAL)
            return false;
        n[m->imports[i].kind]++;
    }
    return n[0] == m->nfunc_imports && n[0] <= m->nfuncs && n[1] == m->ntable_imports &&
           n[1] <= m->ntables && n[2] == m->nmemory_imports && n[2] <= m->nmemories &&
           n[3] == m->nglobal_imports && n[3] <= m->nglobals;
}

/* The i32 offset of an active segment, as unsigned. */
static uint32_t eval_offset(const wb_instance *inst, const wbConstExpr *ce)
{
    if (ce->kind == WB_CONST_GLOBAL_GET)
        return ce->index < inst->module->nglobals && inst->globals[ce->index]
                   ? inst->globals[ce->index]->value.i32
                   : 0;
    return (uint32_t)ce->bits;
}

/* Creating defined memory/table/global `index` failed with st. */
static wb_status alloc_error(wb_error *err, wb_status st, const char *what, uint32_t index)
{
    if (st == WB_ERR_LIMIT)
        wbErrorSet(err, st, WB_NO_OFFSET,
                   strcmp(what, "memory") == 0 ? "memory limit reached" : "table limit reached",
                   "the minimum size of %s %u passes the store's limit", what, index);
    else if (st == WB_ERR_NOMEM)
        wbErrorSet(err, st, WB_NO_OFFSET, "out of memory", "%s %u", what, index);
    else
        wbErrorSet(err, st, WB_NO_OFFSET, "bad limits", "%s %u", what, index);
    return st;
}

/* The defined objects: memories, tables, functions, then globals (whose
 * initialisers may name functions and imported globals). */
static wb_status alloc_own(wb_store *store, wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++) {
        wb_status st = wbMemoryNew(store, &m->memories[i], &inst->memories[i]);
        if (st != WB_OK)
            return alloc_error(err, st, "memory", i);
    }
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        wb_status st = wbTableNew(store, &m->tables[i], &inst->tables[i]);
        if (st != WB_OK)
            return alloc_error(err, st, "table", i);
    }
    return WB_OK;
}

static wb_status init_globals(wb_store *store, wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        const wbGlobal *def = &m->globals[i];
        const wbConstExpr *ce = &def->init;
        wb_global *g = wbStoreAlloc(store, sizeof *g, NULL);
        if (!g)
            return alloc_error(err, WB_ERR_NOMEM, "global", i);
        g->type = def->type;
        g->value.i64 = 0;
        switch (ce->kind) {
        case WB_CONST_VALUE:
            if (def->type.type == WB_I32 || def->type.type == WB_F32)
                g->value.i32 = (uint32_t)ce->bits;
            else
                g->value.i64 = ce->bits;
            memcpy(g->v128, ce->v128, 16);
            break;
        case WB_CONST_REF_FUNC:
            g->value.ref = ce->index < m->nfuncs ? inst->funcs[ce->index] : NULL;
            break;
        case WB_CONST_GLOBAL_GET:
            if (ce->index < i && inst->globals[ce->index]) {
                g->value = inst->globals[ce->index]->value;
                memcpy(g->v128, inst->globals[ce->index]->v128, 16);
            }
            break;
        default: /* ref.null */
            g->value.ref = NULL;
            break;
        }
        inst->globals[i] = g;
    }
    return WB_OK;
}

static void make_funcs(wb_instance *inst, const Layout *l, uint8_t *block)
{
    const wb_module *m = inst->module;
    wb_valtype **type_api = (wb_valtype **)(block + l->type_api);
    wb_valtype *api = (wb_valtype *)(block + l->api);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const wbFuncType *t = &m->types[i];
        type_api[i] = api;
        for (uint64_t k = 0; k < (uint64_t)t->nparams + t->nresults; k++)
            *api++ = (wb_valtype)t->types[k];
    }
    wb_func *own = (wb_func *)(block + l->own_funcs);
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        wb_func *f = &own[i - m->nfunc_imports];
        uint32_t ti = m->funcs[i].type_index; /* checked by the caller */
        f->type = &m->types[ti];
        f->instance = inst;
        f->code = m->codes ? &m->codes[i - m->nfunc_imports] : NULL;
        f->index = i;
        f->api_types = type_api[ti];
        inst->funcs[i] = f;
    }
}

static wb_status seg_trap(wb_error *err, const char *message, const char *what, uint32_t i)
{
    wbErrorSet(err, WB_ERR_TRAP, WB_NO_OFFSET, message, "%s segment %u", what, i);
    return WB_ERR_TRAP;
}

/* Element segments then data segments, in order (WebAssembly 2.0). */
static wb_status apply_segments(wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wbElem *e = &m->elems[i];
        if (e->mode == WB_SEG_ACTIVE) {
            if (e->table >= m->ntables)
                return seg_trap(err, "out of bounds table access", "element", i);
            const char *trap = wbTableInit(inst, inst->tables[e->table], i,
                                           eval_offset(inst, &e->offset), 0, e->count);
            if (trap)
                return seg_trap(err, trap, "element", i);
            inst->dropped_elems[i] = 1;
        } else if (e->mode == WB_SEG_DECLARATIVE) {
            inst->dropped_elems[i] = 1;
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wbData *d = &m->datas[i];
        if (d->mode != WB_SEG_ACTIVE)
            continue;
        if (d->memory >= m->nmemories)
            return seg_trap(err, "out of bounds memory access", "data", i);
        const char *trap = wbMemoryInit(inst, inst->memories[d->memory], i,
                                        eval_offset(inst, &d->offset), 0, d->size);
        if (trap)
            return seg_trap(err, trap, "data", i);
        inst->dropped_datas[i] = 1;
    }
    return WB_OK;
}

static wb_status run_start(wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    if (!m->has_start)
        return WB_OK;
    wb_func *f = m->start < m->nfuncs ? inst->funcs[m->start] : NULL;
    if (!f || !f->type || f->type->nparams || f->type->nresults) {
        wbErrorSet(err, WB_ERR_INVALID, WB_NO_OFFSET, "unknown function", "start function");
        return WB_ERR_INVALID;
    }
    if (f->host)
        return call_host(f, inst, NULL, NULL, err);
    if (!f->code) {
        wbErrorSet(err, WB_ERR_INVALID, WB_NO_OFFSET, "function without code",
                   "start function %u", m->start);
        return WB_ERR_INVALID;
    }
    wbSlot slot[1];
    slot[0].i64 = 0;
    wb_status st = wbInvoke(inst->store, f, slot, err);
    if (st != WB_OK && err->status == WB_OK)
        wbErrorSet(err, st, WB_NO_OFFSET, wb_status_name(st), "start function");
    return st;
}

wb_status wb_instance_new(wb_store *store, const wb_module *module, const wb_linker *linker,
                          wb_instance **out, wb_error *err)
{
    wb_error local;
    if (!err)
        err = &local;
    wbErrorInit(err);
    if (out)
        *out = NULL;
    if (!store || !module || !out) {
        wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "bad argument", NULL);
        return WB_ERR_ARG;
    }
    const wb_module *m = module;
    Layout l;
    if (!consistent(m) || !plan(m, &l)) {
        wbErrorSet(err, WB_ERR_INVALID, WB_NO_OFFSET, "inconsistent module", NULL);
        return WB_ERR_INVALID;
    }
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        if (m->funcs[i].type_index >= m->ntypes) {
            wbErrorSet(err, WB_ERR_INVALID, WB_NO_OFFSET, "unknown type", "function %u", i);
            return WB_ERR_INVALID;
        }

    /* 1. every import must resolve and match before anything is created */
    wb_extern ext;
    for (uint32_t i = 0; i < m->nimports; i++) {
        wb_status st = resolve_import(m, linker, &m->imports[i], &ext, err);
        if (st != WB_OK)
            return st;
    }

    /* 2. the instance block, with the imports in its index spaces */
    uint8_t *block = wbStoreAlloc(store, (size_t)l.total, NULL);
    if (!block) {
        wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", NULL);
        return WB_ERR_NOMEM;
    }
    wb_instance *inst = (wb_instance *)block;
    inst->store = store;
    inst->module = m;
    inst->funcs = (wb_func **)(block + l.funcs);
    inst->tables = (wb_table **)(block + l.tables);
    inst->memories = (wb_memory **)(block + l.memories);
    inst->globals = (wb_global **)(block + l.globals);
    inst->dropped_elems = block + l.drop_elems;
    inst->dropped_datas = block + l.drop_datas;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        resolve_import(m, linker, &m->imports[i], &ext, err); /* matched above */
        switch (ext.kind) {
        case WB_EXTERN_FUNC: inst->funcs[nf++] = ext.of.func; break;
        case WB_EXTERN_TABLE: inst->tables[nt++] = ext.of.table; break;
        case WB_EXTERN_MEMORY: inst->memories[nm++] = ext.of.memory; break;
        case WB_EXTERN_GLOBAL: inst->globals[ng++] = ext.of.global; break;
        }
    }

    /* 3. the module's own objects */
    make_funcs(inst, &l, block);
    wb_status st = alloc_own(store, inst, err);
    if (st == WB_OK)
        st = init_globals(store, inst, err);

    /* 4. segments, 5. the start function */
    if (st == WB_OK)
        st = apply_segments(inst, err);
    if (st == WB_OK)
        st = run_start(inst, err);
    if (st != WB_OK)
        return st;
    *out = inst;
    return WB_OK;
}
