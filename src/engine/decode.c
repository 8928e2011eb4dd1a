/*
 * decode.c — the binary format: bytes → the sections of a wb_module.
 *
 * Follows the spec's binary grammar (and the reference interpreter's error
 * wording). Every count is checked against the bytes left before anything is
 * allocated, so a tiny hostile file cannot ask for gigabytes. Function bodies
 * and constant expressions are read through wbReadInstr here only to check
 * they are well-formed; their typing is validate.c's job, so that a malformed
 * module is always reported as malformed, whatever else is wrong with it.
 *
 * Like the reference interpreter, section contents are read against the end
 * of the module and the section size is checked afterwards ("section size
 * mismatch"), which decides the error the spec suite expects when a section
 * or a function body is cut short or runs long.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/instr.h"
#include "engine/module.h"

/* Order in which non-custom sections may appear (index: section id). */
static const uint8_t section_rank[13] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6, [7] = 7,
    [8] = 8, [9] = 9, [12] = 10, [10] = 11, [11] = 12,
};

typedef struct Decoder {
    wb_module *m;
    wbReader r;         /* over the whole module, in_section while in one */
    wb_error *err;
    uint8_t *kinds;     /* open block kinds while skimming an expression */
    size_t kinds_cap;
    bool has_code;
    bool has_data;
    size_t first_data_use; /* first memory.init/data.drop without a data
                              count section, or 0 */
} Decoder;

static bool fail(Decoder *d, size_t offset, const char *message)
{
    return wbReaderFail(&d->r, WB_ERR_MALFORMED, offset, message);
}

static bool nomem(Decoder *d)
{
    return wbReaderFail(&d->r, WB_ERR_NOMEM, d->r.pos, "out of memory");
}

/* Reads a vector length and checks it against the bytes left: every element
 * takes at least one byte, so a longer vector cannot be there, and nothing
 * is allocated for it. */
static bool read_count(Decoder *d, uint32_t *n)
{
    if (!wbReadU32(&d->r, n))
        return false;
    if (*n > wbReaderLeft(&d->r))
        return fail(d, d->r.end, "unexpected end of section or function");
    return true;
}

static void *alloc_array(Decoder *d, size_t n, size_t size)
{
    void *p = wbArenaArray(&d->m->arena, n, size);
    if (!p)
        nomem(d);
    return p;
}

static bool read_valtype(Decoder *d, uint8_t *t)
{
    size_t at = d->r.pos;
    if (!wbReadU8(&d->r, t))
        return false;
    if (!wbIsValType(*t))
        return fail(d, at, "malformed value type");
    return true;
}

static bool read_reftype(Decoder *d, uint8_t *t)
{
    size_t at = d->r.pos;
    if (!wbReadU8(&d->r, t))
        return false;
    if (!wbIsRefType(*t))
        return fail(d, at, "malformed reference type");
    return true;
}

static bool read_limits(Decoder *d, wbLimits *l)
{
    size_t at = d->r.pos;
    uint8_t flags;
    if (!wbReadU8(&d->r, &flags))
        return false;
    if (flags & 0x80)
        return fail(d, at, "integer representation too long");
    if (flags > 1)
        return fail(d, at, "integer too large");
    l->has_max = flags == 1;
    if (!wbReadU32(&d->r, &l->min))
        return false;
    return !l->has_max || wbReadU32(&d->r, &l->max);
}

static bool read_table_type(Decoder *d, wbTableType *t)
{
    return read_reftype(d, &t->elem) && read_limits(d, &t->limits);
}

static bool read_global_type(Decoder *d, wbGlobalType *g)
{
    if (!read_valtype(d, &g->type))
        return false;
    size_t at = d->r.pos;
    uint8_t mut;
    if (!wbReadU8(&d->r, &mut))
        return false;
    if (mut > 1)
        return fail(d, at, "malformed mutability");
    g->mutable_ = mut == 1;
    return true;
}

static bool push_kind(Decoder *d, size_t depth, uint8_t kind)
{
    if (depth >= d->kinds_cap) {
        size_t cap = d->kinds_cap ? d->kinds_cap * 2 : 64;
        uint8_t *k = realloc(d->kinds, cap);
        if (!k)
            return nomem(d);
        d->kinds = k;
        d->kinds_cap = cap;
    }
    d->kinds[depth] = kind;
    return true;
}

enum { KIND_BLOCK, KIND_IF, KIND_ELSE };

/* What skim_expr learned about an expression. */
typedef struct ExprShape {
    uint32_t ninstrs;   /* instructions before the final `end` */
    bool all_const;     /* every one of them is a constant instruction */
    wbInstr first;
} ExprShape;

static bool is_const_op(uint16_t op)
{
    switch (op) {
    case WB_OP_I32_CONST: case WB_OP_I64_CONST: case WB_OP_F32_CONST:
    case WB_OP_F64_CONST: case WB_OP_V128_CONST: case WB_OP_REF_NULL:
    case WB_OP_REF_FUNC: case WB_OP_GLOBAL_GET:
        return true;
    default:
        return false;
    }
}

/*
 * Reads instructions up to and including the `end` that closes the
 * expression, checking the block structure the binary grammar imposes
 * (`else` only once, inside an `if`).
 */
static bool skim_expr(Decoder *d, ExprShape *shape)
{
    size_t depth = 0;
    wbInstr in;
    shape->ninstrs = 0;
    shape->all_const = true;
    for (;;) {
        if (!wbReadInstr(&d->r, &in))
            return false;
        switch (in.op) {
        case WB_OP_BLOCK:
        case WB_OP_LOOP:
        case WB_OP_IF:
            if (!push_kind(d, depth++, in.op == WB_OP_IF ? KIND_IF : KIND_BLOCK))
                return false;
            break;
        case WB_OP_ELSE:
            if (depth == 0 || d->kinds[depth - 1] != KIND_IF)
                return fail(d, in.offset, "END opcode expected");
            d->kinds[depth - 1] = KIND_ELSE;
            break;
        case WB_OP_END:
            if (depth == 0)
                return true;
            depth--;
            break;
        case WB_OP_MEMORY_INIT:
        case WB_OP_DATA_DROP:
            if (!d->m->has_data_count && d->first_data_use == 0)
                d->first_data_use = in.offset;
            break;
        default:
            break;
        }
        if (shape->ninstrs++ == 0)
            shape->first = in;
        if (!is_const_op(in.op))
            shape->all_const = false;
    }
}

/* A constant expression: well-formedness now, and what validation must say
 * later if it is not a single constant instruction. */
static bool read_const_expr(Decoder *d, wbConstExpr *ce)
{
    ExprShape shape;
    ce->offset = d->r.pos;
    if (!skim_expr(d, &shape))
        return false;
    if (!shape.all_const) {
        ce->invalid = "constant expression required";
        return true;
    }
    if (shape.ninstrs != 1) {
        ce->invalid = "type mismatch";
        return true;
    }
    const wbInstr *in = &shape.first;
    ce->offset = in->offset;
    switch (in->op) {
    case WB_OP_I32_CONST: ce->kind = WB_CONST_VALUE; ce->type = WB_I32; break;
    case WB_OP_I64_CONST: ce->kind = WB_CONST_VALUE; ce->type = WB_I64; break;
    case WB_OP_F32_CONST: ce->kind = WB_CONST_VALUE; ce->type = WB_F32; break;
    case WB_OP_F64_CONST: ce->kind = WB_CONST_VALUE; ce->type = WB_F64; break;
    case WB_OP_V128_CONST:
        ce->kind = WB_CONST_VALUE;
        ce->type = WB_V128;
        memcpy(ce->v128, in->v128, 16);
        break;
    case WB_OP_REF_NULL: ce->kind = WB_CONST_REF_NULL; ce->type = (uint8_t)in->a; break;
    case WB_OP_REF_FUNC: ce->kind = WB_CONST_REF_FUNC; ce->type = WB_FUNCREF; break;
    case WB_OP_GLOBAL_GET: ce->kind = WB_CONST_GLOBAL_GET; break; /* type: validator */
    default: break;
    }
    ce->index = in->a;
    ce->bits = in->bits;
    return true;
}

/* ------------------------------------------------------------- sections */

static bool decode_types(Decoder *d)
{
    wb_module *m = d->m;
    if (!read_count(d, &m->ntypes) || !(m->types = alloc_array(d, m->ntypes, sizeof *m->types)))
        return false;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        wbFuncType *t = &m->types[i];
        size_t at = d->r.pos;
        uint8_t form;
        if (!wbReadU8(&d->r, &form))
            return false;
        if (form != 0x60)
            return fail(d, at, "integer representation too long");
        const uint8_t *params, *results;
        if (!read_count(d, &t->nparams))
            return false;
        params = d->r.base + d->r.pos;
        for (uint32_t k = 0; k < t->nparams; k++)
            if (!read_valtype(d, &(uint8_t){0}))
                return false;
        if (!read_count(d, &t->nresults))
            return false;
        results = d->r.base + d->r.pos;
        for (uint32_t k = 0; k < t->nresults; k++)
            if (!read_valtype(d, &(uint8_t){0}))
                return false;
        uint8_t *types = alloc_array(d, (size_t)t->nparams + t->nresults, 1);
        if (!types)
            return false;
        memcpy(types, params, t->nparams);
        memcpy(types + t->nparams, results, t->nresults);
        t->types = types;
    }
    return true;
}

static bool decode_imports(Decoder *d)
{
    wb_module *m = d->m;
    if (!read_count(d, &m->nimports) ||
        !(m->imports = alloc_array(d, m->nimports, sizeof *m->imports)))
        return false;
    for (uint32_t i = 0; i < m->nimports; i++) {
        wbImport *im = &m->imports[i];
        im->offset = d->r.pos;
        if (!wbReadName(&d->r, &im->module_name, &im->module_len) ||
            !wbReadName(&d->r, &im->field_name, &im->field_len))
            return false;
        size_t at = d->r.pos;
        if (!wbReadU8(&d->r, &im->kind))
            return false;
        bool ok;
        switch (im->kind) {
        case WB_EXTERN_FUNC: ok = wbReadU32(&d->r, &im->as.type_index); m->nfunc_imports++; break;
        case WB_EXTERN_TABLE: ok = read_table_type(d, &im->as.table); m->ntable_imports++; break;
        case WB_EXTERN_MEMORY: ok = read_limits(d, &im->as.memory); m->nmemory_imports++; break;
        case WB_EXTERN_GLOBAL: ok = read_global_type(d, &im->as.global); m->nglobal_imports++; break;
        default: return fail(d, at, "malformed import kind");
        }
        if (!ok)
            return false;
    }
    return true;
}

/* Allocates the index spaces once the import and definition counts are
 * known, and copies the imported entries to their front. */
static bool build_index_spaces(Decoder *d, uint32_t nfunc_defs, uint32_t ntable_defs,
                               uint32_t nmem_defs, uint32_t nglobal_defs)
{
    wb_module *m = d->m;
    m->nfuncs = m->nfunc_imports + nfunc_defs;
    m->ntables = m->ntable_imports + ntable_defs;
    m->nmemories = m->nmemory_imports + nmem_defs;
    m->nglobals = m->nglobal_imports + nglobal_defs;
    if (!(m->funcs = alloc_array(d, m->nfuncs, sizeof *m->funcs)) ||
        !(m->tables = alloc_array(d, m->ntables, sizeof *m->tables)) ||
        !(m->memories = alloc_array(d, m->nmemories, sizeof *m->memories)) ||
        !(m->globals = alloc_array(d, m->nglobals, sizeof *m->globals)))
        return false;
    uint32_t f = 0, t = 0, mem = 0, g = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wbImport *im = &m->imports[i];
        switch (im->kind) {
        case WB_EXTERN_FUNC: m->funcs[f++].type_index = im->as.type_index; break;
        case WB_EXTERN_TABLE: m->tables[t++] = im->as.table; break;
        case WB_EXTERN_MEMORY: m->memories[mem++] = im->as.memory; break;
        case WB_EXTERN_GLOBAL: m->globals[g++].type = im->as.global; break;
        }
    }
    return true;
}

/* The counts of defined entities, read by the sections that define them;
 * index spaces are built lazily when a later section first needs them. */
typedef struct Counts {
    bool built;
    uint32_t funcs, tables, memories, globals;
} Counts;

static bool ensure_spaces(Decoder *d, Counts *c)
{
    if (c->built)
        return true;
    c->built = true;
    return build_index_spaces(d, c->funcs, c->tables, c->memories, c->globals);
}

static bool decode_functions(Decoder *d, Counts *c, uint32_t **types_out)
{
    if (!read_count(d, &c->funcs))
        return false;
    uint32_t *idx = alloc_array(d, c->funcs, sizeof *idx);
    if (!idx)
        return false;
    for (uint32_t i = 0; i < c->funcs; i++)
        if (!wbReadU32(&d->r, &idx[i]))
            return false;
    *types_out = idx;
    return true;
}

static bool decode_tables(Decoder *d, Counts *c, wbTableType **out)
{
    if (!read_count(d, &c->tables) || !(*out = alloc_array(d, c->tables, sizeof **out)))
        return false;
    for (uint32_t i = 0; i < c->tables; i++)
        if (!read_table_type(d, &(*out)[i]))
            return false;
    return true;
}

static bool decode_memories(Decoder *d, Counts *c, wbLimits **out)
{
    if (!read_count(d, &c->memories) || !(*out = alloc_array(d, c->memories, sizeof **out)))
        return false;
    for (uint32_t i = 0; i < c->memories; i++)
        if (!read_limits(d, &(*out)[i]))
            return false;
    return true;
}

static bool decode_globals(Decoder *d, Counts *c, wbGlobal **out)
{
    if (!read_count(d, &c->globals) || !(*out = alloc_array(d, c->globals, sizeof **out)))
        return false;
    for (uint32_t i = 0; i < c->globals; i++)
        if (!read_global_type(d, &(*out)[i].type) || !read_const_expr(d, &(*out)[i].init))
            return false;
    return true;
}

static bool decode_exports(Decoder *d)
{
    wb_module *m = d->m;
    if (!read_count(d, &m->nexports) ||
        !(m->exports = alloc_array(d, m->nexports, sizeof *m->exports)))
        return false;
    for (uint32_t i = 0; i < m->nexports; i++) {
        wbExport *e = &m->exports[i];
        e->offset = d->r.pos;
        if (!wbReadName(&d->r, &e->name, &e->name_len))
            return false;
        size_t at = d->r.pos;
        if (!wbReadU8(&d->r, &e->kind))
            return false;
        if (e->kind > WB_EXTERN_GLOBAL)
            return fail(d, at, "malformed export kind");
        if (!wbReadU32(&d->r, &e->index))
            return false;
    }
    return true;
}

static bool read_func_refs(Decoder *d, wbElem *e)
{
    if (!read_count(d, &e->count) || !(e->items = alloc_array(d, e->count, sizeof *e->items)))
        return false;
    for (uint32_t i = 0; i < e->count; i++) {
        wbConstExpr *ce = &e->items[i];
        ce->offset = d->r.pos;
        ce->kind = WB_CONST_REF_FUNC;
        ce->type = WB_FUNCREF;
        if (!wbReadU32(&d->r, &ce->index))
            return false;
    }
    return true;
}

static bool read_expr_items(Decoder *d, wbElem *e)
{
    if (!read_count(d, &e->count) || !(e->items = alloc_array(d, e->count, sizeof *e->items)))
        return false;
    for (uint32_t i = 0; i < e->count; i++)
        if (!read_const_expr(d, &e->items[i]))
            return false;
    return true;
}

static bool read_elemkind(Decoder *d)
{
    size_t at = d->r.pos;
    uint8_t kind;
    if (!wbReadU8(&d->r, &kind))
        return false;
    if (kind != 0)
        return fail(d, at, "malformed elements segment kind");
    return true;
}

static bool decode_elems(Decoder *d)
{
    wb_module *m = d->m;
    if (!read_count(d, &m->nelems) || !(m->elems = alloc_array(d, m->nelems, sizeof *m->elems)))
        return false;
    for (uint32_t i = 0; i < m->nelems; i++) {
        wbElem *e = &m->elems[i];
        size_t at = d->r.pos;
        uint32_t flags;
        if (!wbReadU32(&d->r, &flags))
            return false;
        if (flags > 7)
            return fail(d, at, "malformed elements segment kind");
        /* bit 0: passive or declarative; bit 1: explicit table index (active)
         * or declarative; bit 2: expressions instead of function indices */
        bool passive_or_decl = flags & 1, bit1 = flags & 2, exprs = flags & 4;
        e->mode = !passive_or_decl ? WB_SEG_ACTIVE : bit1 ? WB_SEG_DECLARATIVE : WB_SEG_PASSIVE;
        e->type = WB_FUNCREF;
        if (e->mode == WB_SEG_ACTIVE) {
            if (bit1 && !wbReadU32(&d->r, &e->table))
                return false;
            if (!read_const_expr(d, &e->offset))
                return false;
        }
        bool has_type = passive_or_decl || bit1;
        if (has_type) {
            if (exprs ? !read_reftype(d, &e->type) : !read_elemkind(d))
                return false;
        }
        if (!(exprs ? read_expr_items(d, e) : read_func_refs(d, e)))
            return false;
    }
    return true;
}

static bool decode_code(Decoder *d, uint32_t nfunc_defs)
{
    wb_module *m = d->m;
    size_t at = d->r.pos;
    uint32_t n;
    if (!wbReadU32(&d->r, &n))
        return false;
    if (n != nfunc_defs)
        return fail(d, at, "function and code section have inconsistent lengths");
    if (n > wbReaderLeft(&d->r))
        return fail(d, d->r.end, "unexpected end of section or function");
    d->has_code = true;
    for (uint32_t i = 0; i < n; i++) {
        wbFunc *f = &m->funcs[m->nfunc_imports + i];
        uint32_t size;
        if (!wbReadU32(&d->r, &size))
            return false;
        if (size > wbReaderLeft(&d->r))
            return fail(d, d->r.pos, "length out of bounds");
        size_t body_end = d->r.pos + size;
        if (!read_count(d, &f->nlocal_groups) ||
            !(f->local_groups = alloc_array(d, f->nlocal_groups, sizeof *f->local_groups)))
            return false;
        uint64_t total = 0;
        for (uint32_t k = 0; k < f->nlocal_groups; k++) {
            wbLocalGroup *g = &f->local_groups[k];
            size_t gat = d->r.pos;
            if (!wbReadU32(&d->r, &g->count))
                return false;
            total += g->count;
            if (total > WB_MAX_LOCALS)
                return fail(d, gat, "too many locals");
            if (!read_valtype(d, &g->type))
                return false;
        }
        f->nlocals = (uint32_t)total;
        f->code_offset = d->r.pos;
        ExprShape shape;
        if (!skim_expr(d, &shape))
            return false;
        f->code_end = d->r.pos;
        if (d->r.pos != body_end)
            return fail(d, body_end, "section size mismatch");
    }
    return true;
}

static bool decode_datas(Decoder *d)
{
    wb_module *m = d->m;
    size_t at = d->r.pos;
    if (!wbReadU32(&d->r, &m->ndatas))
        return false;
    if (m->has_data_count && m->ndatas != m->data_count)
        return fail(d, at, "data count and data section have inconsistent lengths");
    if (m->ndatas > wbReaderLeft(&d->r))
        return fail(d, d->r.end, "unexpected end of section or function");
    if (!(m->datas = alloc_array(d, m->ndatas, sizeof *m->datas)))
        return false;
    d->has_data = true;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        wbData *s = &m->datas[i];
        size_t fat = d->r.pos;
        uint32_t flags;
        if (!wbReadU32(&d->r, &flags))
            return false;
        if (flags > 2)
            return fail(d, fat, "malformed data segment kind");
        s->mode = flags == 1 ? WB_SEG_PASSIVE : WB_SEG_ACTIVE;
        if (flags == 2 && !wbReadU32(&d->r, &s->memory))
            return false;
        if (s->mode == WB_SEG_ACTIVE && !read_const_expr(d, &s->offset))
            return false;
        if (!wbReadU32(&d->r, &s->size) || !wbReadRaw(&d->r, s->size, &s->bytes))
            return false;
    }
    return true;
}

/* The "name" custom section's function names (subsection 1), for
 * backtraces. A custom section never makes a module malformed, so any
 * problem here just leaves the names out. */
static void decode_names(Decoder *d, const wbReader *section)
{
    wb_error scratch = {0};
    wbReader r = *section;
    r.err = &scratch;
    while (!wbReaderAtEnd(&r) && scratch.status == WB_OK) {
        uint8_t id;
        uint32_t size, n;
        wbReader sub;
        if (!wbReadU8(&r, &id) || !wbReadU32(&r, &size) || !wbReaderSub(&r, size, &sub))
            return;
        if (id != 1)
            continue;
        if (!wbReadU32(&sub, &n) || n > wbReaderLeft(&sub))
            return;
        wbName *names = wbArenaArray(&d->m->arena, n, sizeof *names);
        if (!names)
            return;
        for (uint32_t i = 0; i < n; i++)
            if (!wbReadU32(&sub, &names[i].index) ||
                !wbReadName(&sub, &names[i].name, &names[i].len))
                return;
        d->m->func_names = names;
        d->m->nfunc_names = n;
        return;
    }
}

/* ---------------------------------------------------------------- module */

static bool decode_header(Decoder *d)
{
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    const uint8_t *p;
    if (!wbReadRaw(&d->r, 4, &p))
        return false;
    if (memcmp(p, magic, 4) != 0)
        return fail(d, 0, "magic header not detected");
    if (!wbReadRaw(&d->r, 4, &p))
        return false;
    if (memcmp(p, version, 4) != 0)
        return fail(d, 4, "unknown binary version");
    return true;
}

static bool decode_sections(Decoder *d)
{
    wb_module *m = d->m;
    Counts counts = {0};
    uint32_t *func_type_idx = NULL;
    wbTableType *tables = NULL;
    wbLimits *memories = NULL;
    wbGlobal *globals = NULL;
    uint8_t last_rank = 0;

    while (!wbReaderAtEnd(&d->r)) {
        size_t at = d->r.pos;
        uint8_t id;
        uint32_t size;
        d->r.in_section = false;
        if (!wbReadU8(&d->r, &id))
            return false;
        if (id > 12)
            return fail(d, at, "malformed section id");
        if (!wbReadU32(&d->r, &size))
            return false;
        if (size > wbReaderLeft(&d->r))
            return fail(d, d->r.pos, "length out of bounds");
        size_t end = d->r.pos + size;
        d->err->section = id;
        m->section_offset[id] = d->r.pos;
        if (id == 0) {
            /* custom section: a name, then opaque bytes */
            wbReader sub;
            const uint8_t *name;
            uint32_t name_len;
            if (!wbReaderSub(&d->r, size, &sub) || !wbReadName(&sub, &name, &name_len))
                return false;
            if (name_len == 4 && memcmp(name, "name", 4) == 0)
                decode_names(d, &sub);
            continue;
        }
        if (section_rank[id] <= last_rank)
            return fail(d, at, "unexpected content after last section");
        last_rank = section_rank[id];
        d->r.in_section = true;
        /* sections after the definitions need the index spaces built */
        if (id >= 7 && !ensure_spaces(d, &counts))
            return false;
        bool ok = false;
        switch (id) {
        case 1: ok = decode_types(d); break;
        case 2: ok = decode_imports(d); break;
        case 3: ok = decode_functions(d, &counts, &func_type_idx); break;
        case 4: ok = decode_tables(d, &counts, &tables); break;
        case 5: ok = decode_memories(d, &counts, &memories); break;
        case 6: ok = decode_globals(d, &counts, &globals); break;
        case 7: ok = decode_exports(d); break;
        case 8: ok = (m->has_start = true, wbReadU32(&d->r, &m->start)); break;
        case 9: ok = decode_elems(d); break;
        case 10: ok = decode_code(d, counts.funcs); break;
        case 11: ok = decode_datas(d); break;
        case 12: ok = (m->has_data_count = true, wbReadU32(&d->r, &m->data_count)); break;
        }
        if (!ok)
            return false;
        if (d->r.pos != end)
            return fail(d, d->r.pos, "section size mismatch");
    }
    d->r.in_section = false;
    d->err->section = -1;
    if (!ensure_spaces(d, &counts))
        return false;
    /* fill in defined entities behind the imports */
    for (uint32_t i = 0; i < counts.funcs; i++)
        m->funcs[m->nfunc_imports + i].type_index = func_type_idx[i];
    for (uint32_t i = 0; i < counts.tables; i++)
        m->tables[m->ntable_imports + i] = tables[i];
    for (uint32_t i = 0; i < counts.memories; i++)
        m->memories[m->nmemory_imports + i] = memories[i];
    for (uint32_t i = 0; i < counts.globals; i++)
        m->globals[m->nglobal_imports + i] = globals[i];
    if (counts.funcs > 0 && !d->has_code)
        return fail(d, d->r.pos, "function and code section have inconsistent lengths");
    if (m->has_data_count && m->data_count > 0 && !d->has_data)
        return fail(d, d->r.pos, "data count and data section have inconsistent lengths");
    /* Data indices in code need the count declared up front; with no data
     * section at all, validation reports the index as unknown instead. */
    if (d->first_data_use && d->has_data)
        return fail(d, d->first_data_use, "data count section required");
    return true;
}

bool wbDecodeModule(wb_module *m, wb_error *err)
{
    Decoder d = {.m = m, .err = err};
    d.r = wbReaderInit(m->bytes, m->size, err);
    bool ok = decode_header(&d) && decode_sections(&d);
    free(d.kinds);
    if (ok)
        err->section = -1;
    return ok;
}
