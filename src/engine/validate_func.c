/*
 * validate_func.c — type-checks one function body with the spec's algorithm
 * (the appendix "Validation Algorithm"): a stack of operand types, where
 * WB_UNKNOWN stands for the bottom type of unreachable code, and a stack of
 * control frames with their label types and heights.
 *
 * Instructions with a plain signature in opcodes.def ("ii:i") are checked by
 * one generic rule; the rest (control, variables, references, tables, memory
 * indices, lanes) have their own cases below. Bodies were already checked to
 * be well-formed by decode.c, so reading them here cannot fail. Each
 * instruction the checker accepts goes straight to the compiler (compile.c),
 * so a body is read once.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/compile.h"
#include "engine/instr.h"
#include "engine/validate.h"

#define WB_UNKNOWN 0 /* the bottom type of unreachable code */

typedef struct Frame {
    uint16_t op;               /* BLOCK, LOOP, IF, ELSE, or END for the function */
    bool unreachable;
    uint32_t height;           /* operand stack height at entry */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
} Frame;

typedef struct Checker {
    const wb_module *m;
    wb_error *err;
    uint32_t func_index;
    uint8_t *vals;             /* operand types */
    uint32_t nvals, vals_cap;
    Frame *frames;
    uint32_t nframes, frames_cap;
    uint8_t *locals;           /* params then declared locals */
    uint32_t nlocals;
} Checker;

/* One-byte arrays for block types that name a single value type. */
static const uint8_t single_type[256] = {
    [WB_I32] = WB_I32, [WB_I64] = WB_I64, [WB_F32] = WB_F32, [WB_F64] = WB_F64,
    [WB_V128] = WB_V128, [WB_FUNCREF] = WB_FUNCREF, [WB_EXTERNREF] = WB_EXTERNREF,
};

static bool invalid(Checker *c, size_t offset, const char *message, const char *what, uint64_t index)
{
    if (what)
        return wbErrorSet(c->err, WB_ERR_INVALID, offset, message, "%s %llu", what,
                          (unsigned long long)index);
    return wbErrorSet(c->err, WB_ERR_INVALID, offset, message, NULL);
}

static bool nomem(Checker *c, size_t offset)
{
    return wbErrorSet(c->err, WB_ERR_NOMEM, offset, "out of memory", NULL);
}

static bool mismatch(Checker *c, size_t offset, uint8_t expected, uint8_t got)
{
    return wbErrorSet(c->err, WB_ERR_INVALID, offset, "type mismatch",
                      "expected %s, found %s",
                      expected == WB_UNKNOWN ? "a value" : wb_valtype_name((wb_valtype)expected),
                      got == WB_UNKNOWN ? "an empty stack" : wb_valtype_name((wb_valtype)got));
}

static bool leftover(Checker *c, size_t offset)
{
    return wbErrorSet(c->err, WB_ERR_INVALID, offset, "type mismatch",
                      "%s left on the stack at the end of a block",
                      wb_valtype_name((wb_valtype)c->vals[c->nvals - 1]));
}

static bool push(Checker *c, size_t offset, uint8_t t)
{
    if (c->nvals == c->vals_cap) {
        uint32_t cap = c->vals_cap ? c->vals_cap * 2 : 64;
        uint8_t *v = realloc(c->vals, cap);
        if (!v)
            return nomem(c, offset);
        c->vals = v;
        c->vals_cap = cap;
    }
    c->vals[c->nvals++] = t;
    return true;
}

/* Pops one operand, expecting `expected` (WB_UNKNOWN: any); the type popped
 * goes to *got. */
static bool pop(Checker *c, size_t offset, uint8_t expected, uint8_t *got)
{
    Frame *f = &c->frames[c->nframes - 1];
    uint8_t t;
    if (c->nvals == f->height) {
        if (!f->unreachable)
            return mismatch(c, offset, expected, WB_UNKNOWN);
        t = WB_UNKNOWN;
    } else {
        t = c->vals[--c->nvals];
    }
    if (t != expected && t != WB_UNKNOWN && expected != WB_UNKNOWN)
        return mismatch(c, offset, expected, t);
    if (got)
        *got = t;
    return true;
}

static bool pop_types(Checker *c, size_t offset, const uint8_t *types, uint32_t n)
{
    for (uint32_t i = n; i-- > 0;)
        if (!pop(c, offset, types[i], NULL))
            return false;
    return true;
}

static bool push_types(Checker *c, size_t offset, const uint8_t *types, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!push(c, offset, types[i]))
            return false;
    return true;
}

static bool push_frame(Checker *c, size_t offset, uint16_t op, const uint8_t *params,
                       uint32_t nparams, const uint8_t *results, uint32_t nresults)
{
    if (c->nframes == c->frames_cap) {
        uint32_t cap = c->frames_cap ? c->frames_cap * 2 : 16;
        Frame *f = realloc(c->frames, cap * sizeof *f);
        if (!f)
            return nomem(c, offset);
        c->frames = f;
        c->frames_cap = cap;
    }
    c->frames[c->nframes++] = (Frame){op, false, c->nvals, nparams, nresults, params, results};
    return push_types(c, offset, params, nparams);
}

static void set_unreachable(Checker *c)
{
    Frame *f = &c->frames[c->nframes - 1];
    c->nvals = f->height;
    f->unreachable = true;
}

/* Types a branch to frame f carries: a loop's parameters, else its results. */
static const uint8_t *label_types(const Frame *f, uint32_t *n)
{
    if (f->op == WB_OP_LOOP) {
        *n = f->nparams;
        return f->params;
    }
    *n = f->nresults;
    return f->results;
}

static bool get_label(Checker *c, const wbInstr *in, uint32_t depth, Frame **out)
{
    *out = &c->frames[0];
    if (depth >= c->nframes)
        return invalid(c, in->offset, "unknown label", "label", depth);
    *out = &c->frames[c->nframes - 1 - depth];
    return true;
}

static bool block_type(Checker *c, const wbInstr *in, const uint8_t **params, uint32_t *np,
                       const uint8_t **results, uint32_t *nr)
{
    *np = *nr = 0;
    *params = *results = NULL;
    if (in->blocktype == WB_BLOCKTYPE_EMPTY)
        return true;
    uint8_t t = wbBlockValType(in->blocktype);
    if (t) {
        *results = &single_type[t];
        *nr = 1;
        return true;
    }
    if ((uint64_t)in->blocktype >= c->m->ntypes)
        return invalid(c, in->offset, "unknown type", "type", (uint64_t)in->blocktype);
    const wbFuncType *ft = &c->m->types[in->blocktype];
    *params = ft->types;
    *np = ft->nparams;
    *results = ft->types + ft->nparams;
    *nr = ft->nresults;
    return true;
}

static uint8_t sig_letter_type(char ch)
{
    switch (ch) {
    case 'i': return WB_I32;
    case 'l': return WB_I64;
    case 'f': return WB_F32;
    case 'd': return WB_F64;
    default: return WB_V128;
    }
}

/* The generic rule: pop the signature's params (last first), push results. */
static bool check_sig(Checker *c, const wbInstr *in, const char *sig)
{
    const char *colon = strchr(sig, ':');
    for (const char *p = colon; p-- > sig;)
        if (!pop(c, in->offset, sig_letter_type(*p), NULL))
            return false;
    for (const char *p = colon + 1; *p; p++)
        if (!push(c, in->offset, sig_letter_type(*p)))
            return false;
    return true;
}

static bool need_memory(Checker *c, const wbInstr *in, uint32_t index)
{
    if (index >= c->m->nmemories)
        return invalid(c, in->offset, "unknown memory", "memory", index);
    return true;
}

static bool need_table(Checker *c, const wbInstr *in, uint32_t index)
{
    if (index >= c->m->ntables)
        return invalid(c, in->offset, "unknown table", "table", index);
    return true;
}

static bool need_elem(Checker *c, const wbInstr *in, uint32_t index)
{
    if (index >= c->m->nelems)
        return invalid(c, in->offset, "unknown elem segment", "elem segment", index);
    return true;
}

static bool need_data(Checker *c, const wbInstr *in, uint32_t index)
{
    if (!c->m->has_data_count || index >= c->m->data_count)
        return invalid(c, in->offset, "unknown data segment", "data segment", index);
    return true;
}

static bool check_memarg(Checker *c, const wbInstr *in, unsigned bytes)
{
    if (!need_memory(c, in, 0))
        return false;
    unsigned natural = 0;
    while ((1u << natural) < bytes)
        natural++;
    if (in->a > natural)
        return invalid(c, in->offset, "alignment must not be larger than natural", NULL, 0);
    return true;
}

static bool check_lane(Checker *c, const wbInstr *in, unsigned lanes)
{
    if (in->lane >= lanes)
        return invalid(c, in->offset, "invalid lane index", "lane", in->lane);
    return true;
}

static unsigned lane_count(wbImm imm)
{
    switch (imm) {
    case LANE2: case MEMARG_LANE2: return 2;
    case LANE4: case MEMARG_LANE4: return 4;
    case LANE8: case MEMARG_LANE8: return 8;
    default: return 16;
    }
}

static bool check_end(Checker *c, const wbInstr *in)
{
    Frame *f = &c->frames[c->nframes - 1];
    if (!pop_types(c, in->offset, f->results, f->nresults))
        return false;
    if (c->nvals != f->height)
        return leftover(c, in->offset);
    if (f->op == WB_OP_IF) {
        /* an `if` without `else` passes its parameters through as results */
        if (f->nparams != f->nresults ||
            (f->nparams && memcmp(f->params, f->results, f->nparams) != 0))
            return invalid(c, in->offset, "type mismatch", NULL, 0);
    }
    Frame done = *f;
    c->nframes--;
    if (c->nframes == 0)
        return true;
    return push_types(c, in->offset, done.results, done.nresults);
}

static bool check_br_table(Checker *c, const wbInstr *in)
{
    if (!pop(c, in->offset, WB_I32, NULL))
        return false;
    Frame *def;
    if (!get_label(c, in, in->b, &def))
        return false;
    uint32_t arity;
    label_types(def, &arity);
    wbReader r = wbReaderInit(c->m->bytes, c->m->size, c->err);
    r.pos = in->vec_pos;
    for (uint32_t i = 0; i < in->count; i++) {
        uint32_t depth, n;
        Frame *f;
        if (!wbReadU32(&r, &depth) || !get_label(c, in, depth, &f))
            return false;
        const uint8_t *types = label_types(f, &n);
        if (n != arity)
            return invalid(c, in->offset, "type mismatch", NULL, 0);
        /* pop_vals then push_vals, as the spec's algorithm does: the
         * operands stay, refined where unreachable code had none */
        uint8_t small[16], *got = n <= 16 ? small : malloc(n);
        if (!got)
            return nomem(c, in->offset);
        bool ok = true;
        for (uint32_t k = n; ok && k-- > 0;)
            ok = pop(c, in->offset, types[k], &got[k]);
        ok = ok && push_types(c, in->offset, got, n);
        if (got != small)
            free(got);
        if (!ok)
            return false;
    }
    const uint8_t *types = label_types(def, &arity);
    if (!pop_types(c, in->offset, types, arity))
        return false;
    set_unreachable(c);
    return true;
}

static bool check_local(Checker *c, const wbInstr *in)
{
    if (in->a >= c->nlocals)
        return invalid(c, in->offset, "unknown local", "local", in->a);
    uint8_t t = c->locals[in->a];
    switch (in->op) {
    case WB_OP_LOCAL_GET:
        return push(c, in->offset, t);
    case WB_OP_LOCAL_SET:
        return pop(c, in->offset, t, NULL);
    default: /* tee */
        return pop(c, in->offset, t, NULL) && push(c, in->offset, t);
    }
}

static bool check_global(Checker *c, const wbInstr *in)
{
    if (in->a >= c->m->nglobals)
        return invalid(c, in->offset, "unknown global", "global", in->a);
    const wbGlobalType *g = &c->m->globals[in->a].type;
    if (in->op == WB_OP_GLOBAL_GET)
        return push(c, in->offset, g->type);
    if (!g->mutable_)
        return invalid(c, in->offset, "global is immutable", "global", in->a);
    return pop(c, in->offset, g->type, NULL);
}

static bool check_call(Checker *c, const wbInstr *in, const wbFuncType *ft)
{
    return pop_types(c, in->offset, ft->types, ft->nparams) &&
           push_types(c, in->offset, ft->types + ft->nparams, ft->nresults);
}

static bool check_select(Checker *c, const wbInstr *in)
{
    if (in->op == WB_OP_SELECT_T) {
        if (in->count != 1)
            return invalid(c, in->offset, "invalid result arity", NULL, 0);
        uint8_t t = c->m->bytes[in->vec_pos];
        return pop(c, in->offset, WB_I32, NULL) && pop(c, in->offset, t, NULL) &&
               pop(c, in->offset, t, NULL) && push(c, in->offset, t);
    }
    uint8_t t1, t2;
    if (!pop(c, in->offset, WB_I32, NULL) || !pop(c, in->offset, WB_UNKNOWN, &t1) ||
        !pop(c, in->offset, WB_UNKNOWN, &t2))
        return false;
    if (wbIsRefType(t1) || wbIsRefType(t2))
        return invalid(c, in->offset, "type mismatch", NULL, 0);
    if (t1 != t2 && t1 != WB_UNKNOWN && t2 != WB_UNKNOWN)
        return mismatch(c, in->offset, t1, t2);
    return push(c, in->offset, t1 == WB_UNKNOWN ? t2 : t1);
}

/* The instructions whose typing opcodes.def leaves to us ("" signature). */
static bool check_special(Checker *c, const wbInstr *in)
{
    const wb_module *m = c->m;
    size_t at = in->offset;
    const uint8_t *params, *results;
    uint32_t np, nr;
    Frame *f;
    uint8_t t;

    switch (in->op) {
    case WB_OP_UNREACHABLE:
        set_unreachable(c);
        return true;
    case WB_OP_BLOCK:
    case WB_OP_LOOP:
        return block_type(c, in, &params, &np, &results, &nr) && pop_types(c, at, params, np) &&
               push_frame(c, at, in->op, params, np, results, nr);
    case WB_OP_IF:
        return block_type(c, in, &params, &np, &results, &nr) && pop(c, at, WB_I32, NULL) &&
               pop_types(c, at, params, np) && push_frame(c, at, in->op, params, np, results, nr);
    case WB_OP_ELSE:
        f = &c->frames[c->nframes - 1];
        if (!pop_types(c, at, f->results, f->nresults))
            return false;
        if (c->nvals != f->height)
            return leftover(c, at);
        f->op = WB_OP_ELSE;
        f->unreachable = false;
        return push_types(c, at, f->params, f->nparams);
    case WB_OP_END:
        return check_end(c, in);
    case WB_OP_BR:
        if (!get_label(c, in, in->a, &f))
            return false;
        params = label_types(f, &np);
        if (!pop_types(c, at, params, np))
            return false;
        set_unreachable(c);
        return true;
    case WB_OP_BR_IF:
        if (!get_label(c, in, in->a, &f) || !pop(c, at, WB_I32, NULL))
            return false;
        params = label_types(f, &np);
        return pop_types(c, at, params, np) && push_types(c, at, params, np);
    case WB_OP_BR_TABLE:
        return check_br_table(c, in);
    case WB_OP_RETURN:
        f = &c->frames[0];
        if (!pop_types(c, at, f->results, f->nresults))
            return false;
        set_unreachable(c);
        return true;
    case WB_OP_CALL:
        if (in->a >= m->nfuncs)
            return invalid(c, at, "unknown function", "function", in->a);
        return check_call(c, in, wbFuncTypeOf(m, in->a));
    case WB_OP_CALL_INDIRECT:
        if (!need_table(c, in, in->b))
            return false;
        if (in->a >= m->ntypes)
            return invalid(c, at, "unknown type", "type", in->a);
        if (m->tables[in->b].elem != WB_FUNCREF)
            return invalid(c, at, "type mismatch", "table", in->b);
        return pop(c, at, WB_I32, NULL) && check_call(c, in, &m->types[in->a]);
    case WB_OP_DROP:
        return pop(c, at, WB_UNKNOWN, NULL);
    case WB_OP_SELECT:
    case WB_OP_SELECT_T:
        return check_select(c, in);
    case WB_OP_LOCAL_GET:
    case WB_OP_LOCAL_SET:
    case WB_OP_LOCAL_TEE:
        return check_local(c, in);
    case WB_OP_GLOBAL_GET:
    case WB_OP_GLOBAL_SET:
        return check_global(c, in);
    case WB_OP_TABLE_GET:
        return need_table(c, in, in->a) && pop(c, at, WB_I32, NULL) &&
               push(c, at, m->tables[in->a].elem);
    case WB_OP_TABLE_SET:
        return need_table(c, in, in->a) && pop(c, at, m->tables[in->a].elem, NULL) &&
               pop(c, at, WB_I32, NULL);
    case WB_OP_TABLE_SIZE:
        return need_table(c, in, in->a) && push(c, at, WB_I32);
    case WB_OP_TABLE_GROW:
        return need_table(c, in, in->a) && pop(c, at, WB_I32, NULL) &&
               pop(c, at, m->tables[in->a].elem, NULL) && push(c, at, WB_I32);
    case WB_OP_TABLE_FILL:
        return need_table(c, in, in->a) && pop(c, at, WB_I32, NULL) &&
               pop(c, at, m->tables[in->a].elem, NULL) && pop(c, at, WB_I32, NULL);
    case WB_OP_TABLE_INIT:
        if (!need_table(c, in, in->b) || !need_elem(c, in, in->a))
            return false;
        if (m->elems[in->a].type != m->tables[in->b].elem)
            return invalid(c, at, "type mismatch", NULL, 0);
        return check_sig(c, in, "iii:");
    case WB_OP_TABLE_COPY:
        if (!need_table(c, in, in->a) || !need_table(c, in, in->b))
            return false;
        if (m->tables[in->a].elem != m->tables[in->b].elem)
            return invalid(c, at, "type mismatch", NULL, 0);
        return check_sig(c, in, "iii:");
    case WB_OP_ELEM_DROP:
        return need_elem(c, in, in->a);
    case WB_OP_MEMORY_INIT:
        return need_memory(c, in, 0) && need_data(c, in, in->a) && check_sig(c, in, "iii:");
    case WB_OP_DATA_DROP:
        return need_data(c, in, in->a);
    case WB_OP_REF_NULL:
        return push(c, at, (uint8_t)in->a);
    case WB_OP_REF_IS_NULL:
        if (!pop(c, at, WB_UNKNOWN, &t))
            return false;
        if (!wbIsRefType(t) && t != WB_UNKNOWN)
            return mismatch(c, at, WB_FUNCREF, t);
        return push(c, at, WB_I32);
    case WB_OP_REF_FUNC:
        if (in->a >= m->nfuncs)
            return invalid(c, at, "unknown function", "function", in->a);
        if (!(m->declared_refs[in->a / 8] & (1u << (in->a % 8))))
            return invalid(c, at, "undeclared function reference", "function", in->a);
        return push(c, at, WB_FUNCREF);
    default:
        return invalid(c, at, "illegal opcode", NULL, 0);
    }
}

static bool check_instr(Checker *c, const wbInstr *in)
{
    const wbOpInfo *info = &wbOpInfos[in->op];
    if (info->sig[0] == '\0')
        return check_special(c, in);
    switch ((wbImm)info->imm) {
    case MEMARG:
        if (!check_memarg(c, in, info->bytes))
            return false;
        break;
    case MEMARG_LANE2: case MEMARG_LANE4: case MEMARG_LANE8: case MEMARG_LANE16:
        if (!check_memarg(c, in, info->bytes) || !check_lane(c, in, lane_count(info->imm)))
            return false;
        break;
    case LANE2: case LANE4: case LANE8: case LANE16:
        if (!check_lane(c, in, lane_count(info->imm)))
            return false;
        break;
    case SHUFFLE:
        for (int i = 0; i < 16; i++)
            if (in->v128[i] >= 32)
                return invalid(c, in->offset, "invalid lane index", "lane", in->v128[i]);
        break;
    case MEMIDX:
    case MEMORY_COPY:
        if (!need_memory(c, in, 0))
            return false;
        break;
    default:
        break;
    }
    return check_sig(c, in, info->sig);
}

bool wbValidateFunc(const wb_module *m, uint32_t func_index, wbCode *out, wb_error *err)
{
    const wbFunc *fn = &m->funcs[func_index];
    const wbFuncType *ft = &m->types[fn->type_index];
    Checker c = {.m = m, .err = err, .func_index = func_index};
    bool ok = false;
    wbCompiler *cc = wbCompilerNew(m, func_index);
    if (!cc) {
        nomem(&c, fn->code_offset);
        goto done;
    }

    c.nlocals = ft->nparams + fn->nlocals;
    c.locals = malloc(c.nlocals ? c.nlocals : 1);
    if (!c.locals) {
        nomem(&c, fn->code_offset);
        goto done;
    }
    memcpy(c.locals, ft->types, ft->nparams);
    uint32_t k = ft->nparams;
    for (uint32_t g = 0; g < fn->nlocal_groups; g++) {
        memset(c.locals + k, fn->local_groups[g].type, fn->local_groups[g].count);
        k += fn->local_groups[g].count;
    }

    if (!push_frame(&c, fn->code_offset, WB_OP_END, NULL, 0, ft->types + ft->nparams, ft->nresults))
        goto done;
    wbReader r = wbReaderInit(m->bytes, fn->code_end, err);
    r.pos = fn->code_offset;
    r.in_section = true;
    wbInstr in;
    while (c.nframes > 0) {
        if (!wbReadInstr(&r, &in) || !check_instr(&c, &in) || !wbCompileInstr(cc, &in, err))
            goto done;
    }
    ok = wbCompilerFinish(cc, out, err);
done:
    wbCompilerDelete(cc);
    if (!ok && err->func_index == WB_NO_INDEX) {
        err->func_index = func_index;
        err->section = 10;
    }
    free(c.locals);
    free(c.vals);
    free(c.frames);
    return ok;
}
