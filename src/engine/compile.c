/*
 * compile.c — single-pass translation of a validated function body into the
 * interpreter's register code (design: docs/interpreter.md).
 *
 * Every wasm operand-stack position has a fixed frame slot (locals first,
 * then stack height h at slot nlocals + h), so instructions name their
 * operands and result by slot and no value is pushed or popped at run time.
 * While compiling, the stack holds *descriptions* of values: already in its
 * slot (STACK), still in a local (LOCAL, from local.get), or a constant
 * (CONST). Consumers read locals in place; a value is copied into its slot
 * only when it must be (a block boundary, a call argument, a local about to
 * change). `local.set` after an instruction redirects that instruction's
 * result straight into the local.
 *
 * Control flow: a block's results live in the slots at the block's entry
 * height; a branch copies the carried values there and jumps. Forward jumps
 * are patched when their label is bound, through a chain threaded through
 * the unresolved target words.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/compile.h"

#define NONE UINT32_MAX
#define MAX_CODE_WORDS (1u << 30)

enum { OPD_STACK, OPD_LOCAL, OPD_CONST };

typedef struct Operand {
    uint8_t kind;
    uint8_t type;
    uint32_t local;  /* OPD_LOCAL */
    uint64_t value;  /* OPD_CONST */
} Operand;

typedef struct Ctrl {
    uint16_t op;          /* BLOCK, LOOP, IF, ELSE, or END for the function */
    bool dead_entry;      /* the whole construct is unreachable: no code */
    bool dead;            /* the current part is unreachable */
    uint32_t height;      /* operand count at entry, params excluded */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    uint32_t patch;       /* chain of forward branches to this label */
    uint32_t else_patch;  /* IF: the BR_UNLESS target word */
    uint32_t loop_pos;    /* LOOP: where branches go */
    uint32_t fuel;        /* LOOP and the function: instructions to charge */
    uint32_t fuel_word;   /* LOOP: the LOOP_CHECK operand to patch */
    uint32_t outer_fuel;  /* LOOP: the fuel_ctrl to restore at its end */
} Ctrl;

struct wbCompiler {
    const wb_module *m;
    const wbFuncType *type;
    uint32_t nparams, nlocals;
    uint8_t *local_types;    /* params, then declared locals */
    uint32_t *code;
    uint32_t ncode, code_cap;
    Operand *opds;
    uint32_t nopds, opds_cap, max_height;
    Ctrl *ctrls;
    uint32_t nctrls, ctrls_cap;
    uint32_t *pos_map;       /* pairs: code position, wasm offset */
    uint32_t npos, pos_cap;
    uint32_t last_dst_pos;   /* dst word of the last instruction, if it made the top operand */
    uint32_t last_dst_height;
    uint32_t last_op_pos;    /* where the last instruction starts */
    uint32_t last_target;    /* the last code position a jump may land on */
    uint32_t last_cmp_op;    /* the last instruction's wasm op, if a comparison or eqz */
    bool last_cmp_imm;       /* ... in its immediate form */
    uint32_t fuel_ctrl;      /* innermost LOOP (or the function) being charged */
    uint32_t entry_fuel;     /* the function's own count, outside loops */
    bool unsupported;        /* uses SIMD: the body becomes a trap */
    bool oom;
};

/* Immediate-operand and fused-branch forms, from numeric.def. */
static const uint16_t ri_ops[WB_OP_COUNT] = {
#define WB_BINOP(name, in, out, fn) [WB_OP_##name] = WB_RI_##name,
#define WB_TRAP_BINOP(name, in, out, fn) [WB_OP_##name] = WB_RI_##name,
#include "engine/numeric.def"
};

/* WB_BRIF_x; then come BRIFI, BRUN, BRUNI, BRIFB and BRIFIB in that order
 * (opcodes.h). */
static const uint16_t brif_ops[WB_OP_COUNT] = {
#define WB_CMP(name, in, fn) [WB_OP_##name] = WB_BRIF_##name,
#include "engine/numeric.def"
};

/* Fused memory accesses (opcodes.h): for a load, WB_LDI_x (address slot +
 * immediate), then WB_LDA_x (slot + slot) and WB_LDK_x (constant address);
 * for a store, WB_STK_x (constant address), then WB_STV_x (constant value). */
static const uint16_t ldi_ops[WB_OP_COUNT] = {
#define WB_LOAD(name, ctype, field, convert) [WB_OP_##name] = WB_LDI_##name,
#include "engine/memops.def"
};
static const uint16_t stk_ops[WB_OP_COUNT] = {
#define WB_STORE(name, ctype, field) [WB_OP_##name] = WB_STK_##name,
#include "engine/memops.def"
};

static bool commutative(uint32_t op)
{
    switch (op) {
    case WB_OP_I32_ADD: case WB_OP_I32_MUL: case WB_OP_I32_AND: case WB_OP_I32_OR:
    case WB_OP_I32_XOR: case WB_OP_I32_EQ: case WB_OP_I32_NE:
    case WB_OP_I64_ADD: case WB_OP_I64_MUL: case WB_OP_I64_AND: case WB_OP_I64_OR:
    case WB_OP_I64_XOR: case WB_OP_I64_EQ: case WB_OP_I64_NE:
        return true;
    default:
        return false;
    }
}

static const uint8_t single_type[256] = {
    [WB_I32] = WB_I32, [WB_I64] = WB_I64, [WB_F32] = WB_F32, [WB_F64] = WB_F64,
    [WB_V128] = WB_V128, [WB_FUNCREF] = WB_FUNCREF, [WB_EXTERNREF] = WB_EXTERNREF,
};

/* ---------------------------------------------------------------- buffers */

static bool grow(wbCompiler *c, void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    uint32_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > MAX_CODE_WORDS) {
            c->oom = true;
            return false;
        }
        n *= 2;
    }
    void *p = realloc(*arr, (size_t)n * elem);
    if (!p) {
        c->oom = true;
        return false;
    }
    *arr = p;
    *cap = n;
    return true;
}

static uint32_t emit(wbCompiler *c, uint32_t word)
{
    if (!grow(c, (void **)&c->code, &c->code_cap, c->ncode + 1, sizeof *c->code))
        return 0;
    c->code[c->ncode] = word;
    return c->ncode++;
}

/* Starts an instruction: records where it came from, for backtraces. */
static void emit_op(wbCompiler *c, uint32_t op, size_t wasm_offset)
{
    c->last_dst_pos = NONE;
    c->last_cmp_op = NONE;
    c->last_op_pos = c->ncode;
    if (grow(c, (void **)&c->pos_map, &c->pos_cap, c->npos + 2, sizeof *c->pos_map)) {
        c->pos_map[c->npos++] = c->ncode;
        c->pos_map[c->npos++] = (uint32_t)wasm_offset;
    }
    emit(c, op);
}

/* The result slot of the instruction being emitted, which made the operand
 * now on top of the stack. */
static void emit_dst(wbCompiler *c, uint32_t slot)
{
    uint32_t pos = emit(c, slot);
    c->last_dst_pos = pos;
    c->last_dst_height = c->nopds - 1;
}

static void emit_const(wbCompiler *c, uint32_t dst, uint8_t type, uint64_t value, size_t at)
{
    if (type == WB_I32 || type == WB_F32) {
        emit_op(c, WB_XOP_CONST32, at);
        emit(c, dst);
        emit(c, (uint32_t)value);
    } else {
        emit_op(c, WB_XOP_CONST64, at);
        emit(c, dst);
        emit(c, (uint32_t)value);
        emit(c, (uint32_t)(value >> 32));
    }
}

static void emit_mov(wbCompiler *c, uint32_t dst, uint32_t src, size_t at)
{
    if (dst == src)
        return;
    uint32_t prev = c->last_op_pos;
    if (!c->oom && c->ncode >= 3 && prev == c->ncode - 3 && c->code[prev] == WB_XOP_MOV &&
        c->last_target <= prev) {
        /* two moves in a row, no jump landing between: one dispatch */
        c->code[prev] = WB_XOP_MOV2;
        emit(c, dst);
        emit(c, src);
        return;
    }
    emit_op(c, WB_XOP_MOV, at);
    emit(c, dst);
    emit(c, src);
}

/* ------------------------------------------------------------- operands */

static uint32_t slot_at(const wbCompiler *c, uint32_t height)
{
    return c->nlocals + height;
}

static void push_operand(wbCompiler *c, Operand o)
{
    if (o.type == WB_V128)
        c->unsupported = true;
    if (!grow(c, (void **)&c->opds, &c->opds_cap, c->nopds + 1, sizeof *c->opds))
        return;
    c->opds[c->nopds++] = o;
    if (c->nopds > c->max_height)
        c->max_height = c->nopds;
}

/* Pushes a value that an instruction writes to its slot; returns the slot. */
static uint32_t push_stack(wbCompiler *c, uint8_t type)
{
    push_operand(c, (Operand){OPD_STACK, type, 0, 0});
    return slot_at(c, c->nopds - 1);
}

/* Copies the operand at `height` into its own slot, if it is elsewhere. */
static void materialize(wbCompiler *c, uint32_t height, size_t at)
{
    Operand *o = &c->opds[height];
    if (o->kind == OPD_LOCAL)
        emit_mov(c, slot_at(c, height), o->local, at);
    else if (o->kind == OPD_CONST)
        emit_const(c, slot_at(c, height), o->type, o->value, at);
    o->kind = OPD_STACK;
}

static void materialize_range(wbCompiler *c, uint32_t from, size_t at)
{
    for (uint32_t h = from; h < c->nopds; h++)
        materialize(c, h, at);
}

/* Before a block boundary: no operand may keep pointing at a local, since
 * code inside may change it and any copy made there would be conditional. */
static void materialize_locals(wbCompiler *c, size_t at)
{
    for (uint32_t h = 0; h < c->nopds; h++)
        if (c->opds[h].kind == OPD_LOCAL)
            materialize(c, h, at);
}

/* Pops an operand and returns the slot that holds it. */
static uint32_t pop_slot(wbCompiler *c, size_t at)
{
    uint32_t h = --c->nopds;
    Operand *o = &c->opds[h];
    if (o->kind == OPD_CONST)
        materialize(c, h, at);
    return o->kind == OPD_LOCAL ? o->local : slot_at(c, h);
}

/* Where a branch or return reads the operand at `height` from. */
static void move_operand(wbCompiler *c, uint32_t dst, uint32_t height, size_t at)
{
    const Operand *o = &c->opds[height];
    if (o->kind == OPD_CONST)
        emit_const(c, dst, o->type, o->value, at);
    else
        emit_mov(c, dst, o->kind == OPD_LOCAL ? o->local : slot_at(c, height), at);
}

/* ---------------------------------------------------------------- labels */

/* A branch condition: a slot, or a comparison taken back out of the code
 * to be fused with the branch. */
typedef struct Cond {
    uint32_t op;        /* the comparison's wasm op, or NONE: test `slot` */
    bool imm;
    uint32_t slot;
    uint32_t words[3];  /* the comparison's operand words */
    uint32_t nwords;
} Cond;

/* Does the operand on top hold the result of the last instruction, which
 * nothing else reads? Then that instruction may be folded into its user. */
static bool top_is_last_result(const wbCompiler *c)
{
    uint32_t top = c->nopds - 1;
    return c->last_dst_pos != NONE && c->last_dst_height == top &&
           c->opds[top].kind == OPD_STACK && !c->oom;
}

/* Removes the last instruction (which made the operand on top, now popped)
 * from the code; copies its operand words after [op, dst] into words[]
 * (room for 3). Returns its opcode. */
static uint32_t take_last(wbCompiler *c, uint32_t *words, uint32_t *nwords)
{
    uint32_t start = c->last_op_pos, op = c->code[start];
    *nwords = c->ncode - (start + 2);
    for (uint32_t i = 0; i < *nwords && i < 3; i++)
        words[i] = c->code[start + 2 + i];
    c->ncode = start;
    c->npos -= 2; /* its backtrace entry: the fused instruction records its own */
    c->nopds--;
    c->last_dst_pos = NONE;
    c->last_cmp_op = NONE;
    return op;
}

/* Pops the condition. When the last instruction computed it with a
 * comparison that nothing else reads, removes that instruction so the
 * branch can do the comparison itself. */
static Cond take_cond(wbCompiler *c, size_t at)
{
    Cond k = {NONE, false, 0, {0, 0, 0}, 0};
    if (c->last_cmp_op != NONE && top_is_last_result(c)) {
        k.op = c->last_cmp_op;
        k.imm = c->last_cmp_imm;
        take_last(c, k.words, &k.nwords);
        return k;
    }
    k.slot = pop_slot(c, at);
    return k;
}

/* Emits the branch on k (not its target word): taken when the condition
 * holds (when_true) or when it fails. A loop back-edge (`back`, only with
 * when_true) uses the forms that do the loop's check themselves, and so
 * must target the instruction after the LOOP_CHECK. Returns whether it did. */
static bool emit_cond_branch(wbCompiler *c, const Cond *k, bool when_true, bool back, size_t at)
{
    if (back && when_true && (k->op == NONE || brif_ops[k->op])) {
        if (k->op == NONE) {
            emit_op(c, WB_XOP_BR_IF_BACK, at);
            emit(c, k->slot);
        } else {
            emit_op(c, brif_ops[k->op] + (k->imm ? 5u : 4u), at);
            for (uint32_t i = 0; i < k->nwords; i++)
                emit(c, k->words[i]);
        }
        return true;
    }
    if (k->op == NONE) {
        emit_op(c, when_true ? WB_XOP_BR_IF : WB_XOP_BR_UNLESS, at);
        emit(c, k->slot);
    } else if (k->op == WB_OP_I32_EQZ) {
        emit_op(c, when_true ? WB_XOP_BR_UNLESS : WB_XOP_BR_IF, at);
        emit(c, k->words[0]);
    } else if (k->op == WB_OP_I64_EQZ) { /* x == 0 */
        emit_op(c, brif_ops[WB_OP_I64_EQ] + (when_true ? 1 : 3), at);
        emit(c, k->words[0]);
        emit(c, 0);
        emit(c, 0);
    } else {
        emit_op(c, brif_ops[k->op] + (k->imm ? 1u : 0u) + (when_true ? 0u : 2u), at);
        for (uint32_t i = 0; i < k->nwords; i++)
            emit(c, k->words[i]);
    }
    return false;
}

static void bind_chain(wbCompiler *c, uint32_t chain)
{
    c->last_target = c->ncode;
    while (chain != NONE) {
        uint32_t next = c->code[chain];
        c->code[chain] = c->ncode;
        chain = next;
    }
    c->last_dst_pos = NONE;
}

/* Emits a jump target word for a branch to `t`; a back-edge form (`back`)
 * lands after the loop's LOOP_CHECK, which it does itself. */
static void emit_target(wbCompiler *c, Ctrl *t, bool back)
{
    if (t->op == WB_OP_LOOP) {
        emit(c, t->loop_pos + (back ? 2 : 0));
    } else {
        uint32_t pos = emit(c, t->patch);
        if (!c->oom)
            t->patch = pos;
    }
}

static void label_arity(const Ctrl *t, uint32_t *n)
{
    *n = t->op == WB_OP_LOOP ? t->nparams : t->nresults;
}

/* Does a branch to t need to copy values before jumping? */
static bool needs_moves(const wbCompiler *c, const Ctrl *t)
{
    if (t == &c->ctrls[0])
        return true; /* the function: a return */
    uint32_t n;
    label_arity(t, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t h = c->nopds - n + i;
        if (c->opds[h].kind != OPD_STACK || h != t->height + i)
            return true;
    }
    return false;
}

static void emit_return(wbCompiler *c, size_t at)
{
    uint32_t n = c->type->nresults;
    uint32_t top = c->nopds - 1;
    if (n == 1 && c->opds[top].kind == OPD_STACK && c->last_dst_pos != NONE &&
        c->last_dst_height == top) {
        /* the instruction that made the result writes it to slot 0 itself */
        c->code[c->last_dst_pos] = 0;
        emit_op(c, WB_XOP_RETURN, at);
        return;
    }
    if (n > 1) /* results go to slots 0..n-1, which may be locals still read */
        for (uint32_t h = c->nopds - n; h < c->nopds; h++)
            if (c->opds[h].kind == OPD_LOCAL)
                materialize(c, h, at);
    for (uint32_t i = 0; i < n; i++)
        move_operand(c, i, c->nopds - n + i, at);
    emit_op(c, WB_XOP_RETURN, at);
}

/* Copies the values a branch carries into the label's slots and jumps. */
static void emit_branch(wbCompiler *c, Ctrl *t, size_t at)
{
    if (t == &c->ctrls[0]) {
        emit_return(c, at);
        return;
    }
    uint32_t n;
    label_arity(t, &n);
    for (uint32_t i = 0; i < n; i++)
        move_operand(c, slot_at(c, t->height + i), c->nopds - n + i, at);
    bool back = t->op == WB_OP_LOOP;
    emit_op(c, back ? WB_XOP_BR_BACK : WB_XOP_BR, at);
    emit_target(c, t, back);
}

static void block_type(const wbCompiler *c, int64_t bt, const uint8_t **params, uint32_t *np,
                       const uint8_t **results, uint32_t *nr)
{
    *np = *nr = 0;
    *params = *results = NULL;
    if (bt == WB_BLOCKTYPE_EMPTY)
        return;
    uint8_t t = wbBlockValType(bt);
    if (t) {
        *results = &single_type[t];
        *nr = 1;
        return;
    }
    const wbFuncType *ft = &c->m->types[bt];
    *params = ft->types;
    *np = ft->nparams;
    *results = ft->types + ft->nparams;
    *nr = ft->nresults;
}

static Ctrl *push_ctrl(wbCompiler *c, uint16_t op)
{
    if (!grow(c, (void **)&c->ctrls, &c->ctrls_cap, c->nctrls + 1, sizeof *c->ctrls))
        return NULL;
    Ctrl *t = &c->ctrls[c->nctrls++];
    memset(t, 0, sizeof *t);
    t->op = op;
    t->patch = t->else_patch = NONE;
    return t;
}

/* Resets the operand stack to `height` plus the given types, in their slots. */
static void reset_stack(wbCompiler *c, uint32_t height, const uint8_t *types, uint32_t n)
{
    c->nopds = height;
    for (uint32_t i = 0; i < n; i++)
        push_stack(c, types[i]);
    c->last_dst_pos = NONE;
}

/* ---------------------------------------------------------- instructions */

static void compile_block(wbCompiler *c, const wbInstr *in)
{
    const uint8_t *params, *results;
    uint32_t np, nr;
    block_type(c, in->blocktype, &params, &np, &results, &nr);
    Cond cond = {NONE, false, 0, {0, 0, 0}, 0};
    if (in->op == WB_OP_IF)
        cond = take_cond(c, in->offset);
    /* these copies write slots below the condition's operands, so they can
     * come between a comparison and the branch that now does it */
    materialize_locals(c, in->offset);
    materialize_range(c, c->nopds - np, in->offset);
    if (in->op == WB_OP_IF)
        emit_cond_branch(c, &cond, false, false, in->offset);
    Ctrl *t = push_ctrl(c, in->op);
    if (!t)
        return;
    t->height = c->nopds - np;
    t->nparams = np;
    t->nresults = nr;
    t->params = params;
    t->results = results;
    if (in->op == WB_OP_IF)
        t->else_patch = emit(c, NONE);
    t->loop_pos = c->ncode;
    c->last_target = c->ncode;
    if (in->op == WB_OP_LOOP) {
        /* every iteration passes here: charge the loop's instructions and
         * notice an interrupt; the cost is patched in at the loop's end */
        emit_op(c, WB_XOP_LOOP_CHECK, in->offset);
        t->fuel_word = emit(c, 0);
        t->outer_fuel = c->fuel_ctrl;
        c->fuel_ctrl = c->nctrls - 1;
    }
    c->last_dst_pos = NONE;
}

static void compile_else(wbCompiler *c, const wbInstr *in)
{
    Ctrl *t = &c->ctrls[c->nctrls - 1];
    if (!t->dead) {
        materialize_range(c, t->height, in->offset);
        emit_op(c, WB_XOP_BR, in->offset);
        emit_target(c, t, false);
    }
    bind_chain(c, t->else_patch);
    t->else_patch = NONE;
    t->op = WB_OP_ELSE;
    t->dead = false;
    reset_stack(c, t->height, t->params, t->nparams);
}

static void compile_end(wbCompiler *c, const wbInstr *in)
{
    Ctrl *t = &c->ctrls[c->nctrls - 1];
    if (c->nctrls == 1) { /* the function's end */
        if (!t->dead)
            emit_return(c, in->offset);
        c->entry_fuel = t->fuel;
        c->nctrls--;
        return;
    }
    if (t->op == WB_OP_LOOP && !t->dead_entry) {
        if (!c->oom)
            c->code[t->fuel_word] = t->fuel;
        c->fuel_ctrl = t->outer_fuel;
    }
    if (!t->dead)
        materialize_range(c, t->height, in->offset);
    bind_chain(c, t->else_patch);
    bind_chain(c, t->patch);
    Ctrl done = *t;
    c->nctrls--;
    reset_stack(c, done.height, done.results, done.nresults);
}

static void compile_br_table(wbCompiler *c, const wbInstr *in)
{
    uint32_t idx = pop_slot(c, in->offset);
    emit_op(c, WB_XOP_BR_TABLE, in->offset);
    emit(c, idx);
    emit(c, in->count);
    uint32_t first = c->ncode;
    for (uint32_t i = 0; i <= in->count; i++)
        emit(c, NONE);
    if (c->oom)
        return;
    wbReader r = wbReaderInit(c->m->bytes, c->m->size, &(wb_error){0});
    r.pos = in->vec_pos;
    for (uint32_t i = 0; i <= in->count; i++) {
        uint32_t depth = in->b;
        if (i < in->count)
            wbReadU32(&r, &depth);
        Ctrl *t = &c->ctrls[c->nctrls - 1 - depth];
        uint32_t word = first + i;
        if (needs_moves(c, t)) {
            /* a stub after the table copies the values, then jumps */
            c->code[word] = c->ncode;
            c->last_target = c->ncode;
            emit_branch(c, t, in->offset);
        } else if (t->op == WB_OP_LOOP) {
            c->code[word] = t->loop_pos;
        } else {
            c->code[word] = t->patch;
            t->patch = word;
        }
        if (c->oom)
            return;
    }
}

static void compile_br_if(wbCompiler *c, const wbInstr *in)
{
    Ctrl *t = &c->ctrls[c->nctrls - 1 - in->a];
    Cond cond = take_cond(c, in->offset);
    if (!needs_moves(c, t)) {
        bool back = emit_cond_branch(c, &cond, true, t->op == WB_OP_LOOP, in->offset);
        emit_target(c, t, back);
        return;
    }
    emit_cond_branch(c, &cond, false, false, in->offset);
    uint32_t skip = emit(c, NONE);
    emit_branch(c, t, in->offset);
    bind_chain(c, skip);
}

static void compile_call(wbCompiler *c, const wbInstr *in, const wbFuncType *ft)
{
    uint32_t elem = 0;
    if (in->op == WB_OP_CALL_INDIRECT)
        elem = pop_slot(c, in->offset);
    uint32_t base_height = c->nopds - ft->nparams;
    materialize_range(c, base_height, in->offset);
    uint32_t base = slot_at(c, base_height);
    if (in->op == WB_OP_CALL) {
        emit_op(c, WB_XOP_CALL, in->offset);
        emit(c, in->a);
    } else {
        emit_op(c, WB_XOP_CALL_INDIRECT, in->offset);
        emit(c, in->a);
        emit(c, in->b);
        emit(c, elem);
    }
    emit(c, base);
    c->nopds = base_height;
    for (uint32_t i = 0; i < ft->nresults; i++)
        push_stack(c, ft->types[ft->nparams + i]);
    c->last_dst_pos = NONE;
}

static void compile_local_set(wbCompiler *c, const wbInstr *in, bool tee)
{
    uint32_t x = in->a;
    uint32_t top = c->nopds - 1;
    for (uint32_t h = 0; h < top; h++) /* old values of x still wanted */
        if (c->opds[h].kind == OPD_LOCAL && c->opds[h].local == x)
            materialize(c, h, in->offset);
    Operand o = c->opds[top];
    if (o.kind == OPD_STACK && c->last_dst_pos != NONE && c->last_dst_height == top)
        c->code[c->last_dst_pos] = x; /* the producer writes the local directly */
    else if (o.kind == OPD_CONST)
        emit_const(c, x, o.type, o.value, in->offset);
    else
        emit_mov(c, x, o.kind == OPD_LOCAL ? o.local : slot_at(c, top), in->offset);
    c->nopds--;
    c->last_dst_pos = NONE;
    if (tee)
        push_operand(c, (Operand){OPD_LOCAL, o.type, x, 0});
}

/* Loads and stores whose address (or stored value) is a constant: the
 * constant goes into the instruction. Returns whether it compiled `in`. */
static bool compile_memory_access(wbCompiler *c, const wbInstr *in, const wbOpInfo *info,
                                  uint8_t rtype)
{
    const Operand *top = &c->opds[c->nopds - 1];
    if (ldi_ops[in->op]) { /* a load: [addr] */
        if (top->kind != OPD_CONST)
            return false;
        uint64_t ea = (uint64_t)(uint32_t)top->value + in->b;
        c->nopds--;
        uint32_t dst = push_stack(c, rtype);
        emit_op(c, ldi_ops[in->op] + 2u, in->offset);
        emit_dst(c, dst);
        emit(c, (uint32_t)ea);
        emit(c, (uint32_t)(ea >> 32));
        return true;
    }
    if (!stk_ops[in->op]) /* a store: [addr, value] */
        return false;
    const Operand *addr = &c->opds[c->nopds - 2];
    if (addr->kind == OPD_CONST) {
        uint64_t ea = (uint64_t)(uint32_t)addr->value + in->b;
        uint32_t value = pop_slot(c, in->offset);
        c->nopds--;
        emit_op(c, stk_ops[in->op], in->offset);
        emit(c, value);
        emit(c, (uint32_t)ea);
        emit(c, (uint32_t)(ea >> 32));
        return true;
    }
    if (top->kind == OPD_CONST) {
        uint64_t value = top->value;
        c->nopds--;
        uint32_t a = pop_slot(c, in->offset);
        emit_op(c, stk_ops[in->op] + 1u, in->offset);
        emit(c, a);
        emit(c, (uint32_t)value);
        if (info->bytes == 8)
            emit(c, (uint32_t)(value >> 32));
        emit(c, in->b);
        return true;
    }
    return false;
}

/* Instructions with a plain signature in opcodes.def: operands, then result. */
static void compile_plain(wbCompiler *c, const wbInstr *in, const wbOpInfo *info)
{
    const char *sig = info->sig;
    const char *colon = strchr(sig, ':');
    uint32_t nin = (uint32_t)(colon - sig);
    uint32_t ins[3] = {0, 0, 0};
    if (strchr(sig, 'v') || nin > 3) {
        c->unsupported = true;
        return;
    }
    bool has_result = colon[1] != '\0';
    uint8_t rtype = colon[1] == 'i' ? WB_I32 : colon[1] == 'l' ? WB_I64 : colon[1] == 'f' ? WB_F32 : WB_F64;
    if (nin == 2 && has_result && ri_ops[in->op]) {
        /* a constant operand becomes an immediate: [op, dst, a, imm...] */
        const Operand *ao = &c->opds[c->nopds - 2], *bo = &c->opds[c->nopds - 1];
        bool swap = ao->kind == OPD_CONST && bo->kind != OPD_CONST && commutative(in->op);
        if (bo->kind == OPD_CONST || swap) {
            uint64_t imm = swap ? ao->value : bo->value;
            uint32_t a;
            if (swap) {
                a = pop_slot(c, in->offset);
                c->nopds--;
            } else {
                c->nopds--;
                a = pop_slot(c, in->offset);
            }
            uint32_t dst = push_stack(c, rtype);
            emit_op(c, ri_ops[in->op], in->offset);
            emit_dst(c, dst);
            emit(c, a);
            emit(c, (uint32_t)imm);
            if (sig[0] == 'l' || sig[0] == 'd')
                emit(c, (uint32_t)(imm >> 32));
            if (brif_ops[in->op]) {
                c->last_cmp_op = in->op;
                c->last_cmp_imm = true;
            }
            return;
        }
    }
    if (info->imm == MEMARG && compile_memory_access(c, in, info, rtype))
        return;
    if (info->imm == MEMARG && has_result && ldi_ops[in->op] && top_is_last_result(c) &&
        (c->code[c->last_op_pos] == WB_RI_I32_ADD || c->code[c->last_op_pos] == WB_OP_I32_ADD)) {
        /* the address is an i32.add: the load does it */
        uint32_t words[3], n;
        uint32_t add = take_last(c, words, &n);
        uint32_t dst = push_stack(c, rtype);
        emit_op(c, ldi_ops[in->op] + (add == WB_OP_I32_ADD ? 1u : 0u), in->offset);
        emit_dst(c, dst);
        emit(c, words[0]);
        emit(c, words[1]);
        emit(c, in->b);
        return;
    }
    for (uint32_t i = nin; i-- > 0;)
        ins[i] = pop_slot(c, in->offset);
    uint32_t dst = 0;
    if (has_result)
        dst = push_stack(c, rtype);
    emit_op(c, in->op, in->offset);
    if (has_result)
        emit_dst(c, dst);
    for (uint32_t i = 0; i < nin; i++)
        emit(c, ins[i]);
    if (info->imm == MEMARG)
        emit(c, in->b); /* the static offset */
    if (brif_ops[in->op] || in->op == WB_OP_I32_EQZ || in->op == WB_OP_I64_EQZ) {
        c->last_cmp_op = in->op;
        c->last_cmp_imm = false;
    }
}

/* The common shape [op, dst?, immediates..., operand slots...]: pops n
 * operands (last first), pushes a result of type `result` unless it is 0,
 * and emits the instruction. */
static void compile_slots(wbCompiler *c, const wbInstr *in, uint32_t n, const uint32_t *imms,
                          uint32_t nimms, uint8_t result)
{
    uint32_t slots[4];
    for (uint32_t i = n; i-- > 0;)
        slots[i] = pop_slot(c, in->offset);
    uint32_t dst = result ? push_stack(c, result) : 0;
    emit_op(c, in->op, in->offset);
    if (result)
        emit_dst(c, dst);
    for (uint32_t i = 0; i < nimms; i++)
        emit(c, imms[i]);
    for (uint32_t i = 0; i < n; i++)
        emit(c, slots[i]);
}

static uint64_t const_value(const wbInstr *in)
{
    return in->bits;
}

static void compile_instr(wbCompiler *c, const wbInstr *in)
{
    const wb_module *m = c->m;
    const wbOpInfo *info = &wbOpInfos[in->op];
    size_t at = in->offset;
    uint32_t a, b, d;
    Ctrl *t;

    switch (in->op) {
    case WB_OP_NOP:
        return;
    case WB_OP_UNREACHABLE:
        emit_op(c, in->op, at);
        c->ctrls[c->nctrls - 1].dead = true;
        return;
    case WB_OP_BLOCK:
    case WB_OP_LOOP:
    case WB_OP_IF:
        compile_block(c, in);
        return;
    case WB_OP_ELSE:
        compile_else(c, in);
        return;
    case WB_OP_END:
        compile_end(c, in);
        return;
    case WB_OP_BR:
        t = &c->ctrls[c->nctrls - 1 - in->a];
        emit_branch(c, t, at);
        c->ctrls[c->nctrls - 1].dead = true;
        return;
    case WB_OP_BR_IF:
        compile_br_if(c, in);
        return;
    case WB_OP_BR_TABLE:
        compile_br_table(c, in);
        c->ctrls[c->nctrls - 1].dead = true;
        return;
    case WB_OP_RETURN:
        emit_return(c, at);
        c->ctrls[c->nctrls - 1].dead = true;
        return;
    case WB_OP_CALL:
        compile_call(c, in, wbFuncTypeOf(m, in->a));
        return;
    case WB_OP_CALL_INDIRECT:
        compile_call(c, in, &m->types[in->a]);
        return;
    case WB_OP_DROP:
        c->nopds--;
        return;
    case WB_OP_SELECT:
    case WB_OP_SELECT_T: {
        uint32_t cond = pop_slot(c, at);
        b = pop_slot(c, at);
        uint8_t type = c->opds[c->nopds - 1].type;
        a = pop_slot(c, at);
        d = push_stack(c, type);
        emit_op(c, WB_OP_SELECT, at);
        emit_dst(c, d);
        emit(c, a);
        emit(c, b);
        emit(c, cond);
        return;
    }
    case WB_OP_LOCAL_GET:
        push_operand(c, (Operand){OPD_LOCAL, c->local_types[in->a], in->a, 0});
        return;
    case WB_OP_LOCAL_SET:
    case WB_OP_LOCAL_TEE:
        compile_local_set(c, in, in->op == WB_OP_LOCAL_TEE);
        return;
    case WB_OP_GLOBAL_GET:
        compile_slots(c, in, 0, &in->a, 1, m->globals[in->a].type.type);
        return;
    case WB_OP_GLOBAL_SET:
        compile_slots(c, in, 1, &in->a, 1, 0);
        return;
    case WB_OP_I32_CONST:
        push_operand(c, (Operand){OPD_CONST, WB_I32, 0, const_value(in)});
        return;
    case WB_OP_I64_CONST:
        push_operand(c, (Operand){OPD_CONST, WB_I64, 0, const_value(in)});
        return;
    case WB_OP_F32_CONST:
        push_operand(c, (Operand){OPD_CONST, WB_F32, 0, const_value(in)});
        return;
    case WB_OP_F64_CONST:
        push_operand(c, (Operand){OPD_CONST, WB_F64, 0, const_value(in)});
        return;
    case WB_OP_REF_NULL:
        push_operand(c, (Operand){OPD_CONST, (uint8_t)in->a, 0, 0});
        return;
    case WB_OP_REF_IS_NULL:
        compile_slots(c, in, 1, NULL, 0, WB_I32);
        return;
    case WB_OP_REF_FUNC:
        compile_slots(c, in, 0, &in->a, 1, WB_FUNCREF);
        return;
    case WB_OP_MEMORY_SIZE:
        compile_slots(c, in, 0, NULL, 0, WB_I32);
        return;
    case WB_OP_MEMORY_GROW:
        compile_slots(c, in, 1, NULL, 0, WB_I32);
        return;
    case WB_OP_MEMORY_FILL:
    case WB_OP_MEMORY_COPY:
        compile_slots(c, in, 3, NULL, 0, 0);
        return;
    case WB_OP_MEMORY_INIT:
        compile_slots(c, in, 3, &in->a, 1, 0);
        return;
    case WB_OP_DATA_DROP:
    case WB_OP_ELEM_DROP:
        compile_slots(c, in, 0, &in->a, 1, 0);
        return;
    case WB_OP_TABLE_GET:
        compile_slots(c, in, 1, &in->a, 1, m->tables[in->a].elem);
        return;
    case WB_OP_TABLE_SET:
        compile_slots(c, in, 2, &in->a, 1, 0);
        return;
    case WB_OP_TABLE_SIZE:
        compile_slots(c, in, 0, &in->a, 1, WB_I32);
        return;
    case WB_OP_TABLE_GROW: /* operands: init, n */
        compile_slots(c, in, 2, &in->a, 1, WB_I32);
        return;
    case WB_OP_TABLE_FILL:
        compile_slots(c, in, 3, &in->a, 1, 0);
        return;
    case WB_OP_TABLE_COPY: {
        uint32_t imms[2] = {in->a, in->b};
        compile_slots(c, in, 3, imms, 2, 0);
        return;
    }
    case WB_OP_TABLE_INIT: {
        uint32_t imms[2] = {in->b, in->a}; /* table, segment */
        compile_slots(c, in, 3, imms, 2, 0);
        return;
    }
    default:
        if (info->sig[0] == '\0' || in->op >= WB_OP_V128_LOAD) {
            c->unsupported = true;
            return;
        }
        compile_plain(c, in, info);
        return;
    }
}

/* ------------------------------------------------------------------- API */

wbCompiler *wbCompilerNew(const wb_module *m, uint32_t func_index)
{
    wbCompiler *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    const wbFunc *fn = &m->funcs[func_index];
    c->m = m;
    c->type = &m->types[fn->type_index];
    c->nparams = c->type->nparams;
    c->nlocals = c->type->nparams + fn->nlocals;
    c->last_dst_pos = NONE;
    c->last_cmp_op = NONE;
    c->local_types = malloc(c->nlocals ? c->nlocals : 1);
    if (!c->local_types) {
        wbCompilerDelete(c);
        return NULL;
    }
    memcpy(c->local_types, c->type->types, c->nparams);
    uint32_t k = c->nparams;
    for (uint32_t g = 0; g < fn->nlocal_groups; g++) {
        memset(c->local_types + k, fn->local_groups[g].type, fn->local_groups[g].count);
        k += fn->local_groups[g].count;
    }
    for (uint32_t i = 0; i < c->nlocals; i++)
        if (c->local_types[i] == WB_V128)
            c->unsupported = true;
    for (uint32_t i = 0; i < c->type->nresults; i++)
        if (c->type->types[c->nparams + i] == WB_V128)
            c->unsupported = true;
    Ctrl *t = push_ctrl(c, WB_OP_END);
    if (!t) {
        wbCompilerDelete(c);
        return NULL;
    }
    t->nresults = c->type->nresults;
    t->results = c->type->types + c->type->nparams;
    return c;
}

bool wbCompileInstr(wbCompiler *c, const wbInstr *in, wb_error *err)
{
    if (!c->unsupported && !c->oom) {
        c->ctrls[c->fuel_ctrl].fuel++;
        Ctrl *t = &c->ctrls[c->nctrls - 1];
        if (!t->dead) {
            compile_instr(c, in);
        } else if (in->op == WB_OP_BLOCK || in->op == WB_OP_LOOP || in->op == WB_OP_IF) {
            Ctrl *n = push_ctrl(c, in->op);
            if (n)
                n->dead_entry = n->dead = true;
        } else if (in->op == WB_OP_ELSE || in->op == WB_OP_END) {
            if (t->dead_entry) {
                if (in->op == WB_OP_END)
                    c->nctrls--;
            } else if (in->op == WB_OP_ELSE) {
                compile_else(c, in);
            } else {
                compile_end(c, in);
            }
        }
    }
    if (c->oom)
        return wbErrorSet(err, WB_ERR_NOMEM, in->offset, "out of memory", "compiling a function");
    return true;
}

bool wbCompilerFinish(wbCompiler *c, wbCode *out, wb_error *err)
{
    memset(out, 0, sizeof *out);
    if (c->unsupported) {
        c->ncode = 0;
        c->npos = 0;
        emit(c, WB_XOP_UNSUPPORTED);
    }
    if (c->oom)
        return wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", "compiling a function");
    out->words = c->code;
    out->nwords = c->ncode;
    out->nparams = c->nparams;
    out->nlocals = c->nlocals;
    out->frame_slots = c->nlocals + c->max_height + 1;
    out->nresults = c->type->nresults;
    out->entry_fuel = c->entry_fuel + 1;
    out->pos_map = c->pos_map;
    out->npos = c->npos / 2;
    c->code = NULL;
    c->pos_map = NULL;
    return true;
}

void wbCompilerDelete(wbCompiler *c)
{
    if (!c)
        return;
    free(c->local_types);
    free(c->code);
    free(c->opds);
    free(c->ctrls);
    free(c->pos_map);
    free(c);
}

void wbCodeFree(wbCode *code)
{
    free(code->words);
    free(code->pos_map);
    code->words = NULL;
    code->pos_map = NULL;
}
