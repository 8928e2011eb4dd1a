/*
 * exec.c — the interpreter: runs the register code made by compile.c.
 *
 * One function, one loop, dispatched with computed goto (`goto *labels[op]`,
 * a GNU C extension both gcc and clang support): each handler reads its
 * operand slots straight from the frame, writes its result slot and jumps to
 * the next handler. Wasm frames live on the store's own value stack and frame
 * array, never on the C stack, so deep guest recursion ends in the "call
 * stack exhausted" trap at a depth that does not depend on the build.
 * A trap unwinds every wasm frame of this invocation at once: the frames are
 * plain data, so there is nothing to release.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/numeric.h"
#include "engine/opcodes.h"
#include "engine/regcode.h"
#include "engine/runtime.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wasmbox's interpreter assumes a little-endian host"
#endif

const char wbTrapUnreachable[] = "unreachable executed";
const char wbTrapMemory[] = "out of bounds memory access";
const char wbTrapTable[] = "out of bounds table access";
const char wbTrapUndefined[] = "undefined element";
const char wbTrapUninitialized[] = "uninitialized element";
const char wbTrapSignature[] = "indirect call type mismatch";
const char wbTrapExhausted[] = "call stack exhausted";
const char wbTrapSimd[] = "SIMD instructions are not supported yet";
#define TRAP_UNREACHABLE wbTrapUnreachable
#define TRAP_MEMORY wbTrapMemory
#define TRAP_TABLE wbTrapTable
#define TRAP_UNDEFINED wbTrapUndefined
#define TRAP_UNINITIALIZED wbTrapUninitialized
#define TRAP_SIGNATURE wbTrapSignature
#define TRAP_EXHAUSTED wbTrapExhausted
#define TRAP_SIMD wbTrapSimd
static const char TRAP_FUEL[] = "fuel exhausted";
static const char TRAP_INTERRUPTED[] = "interrupted";

/* ------------------------------------------------------ host functions */

static void slot_to_value(wb_valtype t, const wbSlot *s, wb_value *v)
{
    v->type = t;
    switch (t) {
    case WB_TYPE_I32:
    case WB_TYPE_F32: v->of.i32 = s->i32; break;
    case WB_TYPE_I64:
    case WB_TYPE_F64: v->of.i64 = s->i64; break;
    default: v->of.ref = s->ref; break;
    }
}

static void value_to_slot(const wb_value *v, wbSlot *s)
{
    switch (v->type) {
    case WB_TYPE_I32:
    case WB_TYPE_F32: s->i32 = v->of.i32; break;
    case WB_TYPE_I64:
    case WB_TYPE_F64: s->i64 = v->of.i64; break;
    default: s->ref = v->of.ref; break;
    }
}

/* Calls a host function with its arguments in slots[0..nparams); its
 * results replace them. Returns NULL or a trap message; *status tells a
 * non-trap failure. */
const char *wbCallHost(wb_func *f, wb_instance *caller, wbSlot *slots, wb_status *status)
{
    const wbFuncType *t = f->type;
    wb_value small[16];
    uint32_t n = t->nparams + t->nresults;
    wb_value *vals = n <= 16 ? small : malloc(n * sizeof *vals);
    if (!vals) {
        *status = WB_ERR_NOMEM;
        return "out of memory";
    }
    wb_value *args = vals, *results = vals + t->nparams;
    for (uint32_t i = 0; i < t->nparams; i++)
        slot_to_value((wb_valtype)t->types[i], &slots[i], &args[i]);
    for (uint32_t i = 0; i < t->nresults; i++) {
        memset(&results[i], 0, sizeof results[i]);
        results[i].type = (wb_valtype)t->types[t->nparams + i];
    }
    const char *trap = NULL;
    *status = f->host(f->host_env, caller, args, results, &trap);
    if (*status == WB_OK)
        for (uint32_t i = 0; i < t->nresults; i++)
            value_to_slot(&results[i], &slots[i]);
    else if (!trap)
        trap = *status == WB_ERR_TRAP ? "host function trapped" : wb_status_name(*status);
    if (vals != small)
        free(vals);
    return *status == WB_OK ? NULL : trap;
}

/* ---------------------------------------------------------- backtraces */

static uint32_t wasm_offset(const wbCode *code, const uint32_t *ip)
{
    uint32_t pos = (uint32_t)(ip - code->words), lo = 0, hi = code->npos;
    /* the last recorded instruction starting at or before pos */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (code->pos_map[2 * mid] <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? code->pos_map[2 * (lo - 1) + 1] : 0;
}

/* Appends one frame's description ("fac@0x2a" or "func[3]@0x2a"). */
static size_t describe_frame(char *buf, size_t cap, const wb_func *f, uint32_t off)
{
    uint32_t len;
    const uint8_t *name = wbFuncName(f->instance->module, f->index, &len);
    int n = name ? snprintf(buf, cap, "%.*s@0x%x", (int)(len > 40 ? 40 : len), (const char *)name, off)
                 : snprintf(buf, cap, "func[%u]@0x%x", f->index, off);
    return n > 0 ? (size_t)n : 0;
}

/* Writes the backtrace, innermost first ("fac@0x2a <- main@0x10"), into
 * err->detail, folding repeats of one frame ("<- fac@0x2a x9999"), and
 * sets err->offset to the innermost code offset. */
static void backtrace(wbThread *th, uint32_t base, const uint32_t *ip, wb_error *err)
{
    size_t len = 0, cap = sizeof err->detail;
    err->detail[0] = '\0';
    const wb_func *prev = NULL;
    uint32_t prev_off = 0, repeats = 0;
    for (uint32_t i = th->nframes; i-- > base;) {
        const wbFrame *f = &th->frames[i];
        bool innermost = i == th->nframes - 1;
        const uint32_t *at = innermost ? ip : th->frames[i + 1].ret_ip - 1;
        uint32_t off = wasm_offset(f->func->code, at);
        if (innermost)
            err->offset = off;
        if (f->func == prev && off == prev_off) {
            repeats++;
            if (i > base)
                continue;
        }
        if (repeats && len + 16 < cap)
            len += (size_t)snprintf(err->detail + len, cap - len, " x%u", repeats + 1);
        if (f->func == prev && off == prev_off)
            break;
        repeats = 0;
        if (len + 8 >= cap)
            break;
        if (!innermost)
            len += (size_t)snprintf(err->detail + len, cap - len, " <- ");
        len += describe_frame(err->detail + len, cap - len, f->func, off);
        if (len >= cap)
            len = cap - 1;
        prev = f->func;
        prev_off = off;
    }
}

/* ------------------------------------------------------------- the loop */

/* Zeroes a new frame's declared locals; few, usually, so no memset call. */
static inline void zero_slots(wbSlot *s, uint32_t n)
{
    switch (n) {
    default:
        memset(s, 0, n * sizeof *s);
        break;
    case 6: s[5].i64 = 0; /* fall through */
    case 5: s[4].i64 = 0; /* fall through */
    case 4: s[3].i64 = 0; /* fall through */
    case 3: s[2].i64 = 0; /* fall through */
    case 2: s[1].i64 = 0; /* fall through */
    case 1: s[0].i64 = 0; /* fall through */
    case 0: break;
    }
}

#define W(i) (ip[i])
#define S(i) (fp[ip[i]])
/* Writes a result into a slot whole (8 bytes, the rest zero), so that an
 * 8-byte read of it (a move, a call's result) is forwarded from the store
 * instead of waiting for a 4-byte store to reach the cache. */
#define SET(i, field, value)                                       \
    do {                                                           \
        wbSlot set_ = {.i64 = 0};                                  \
        set_.field = (value);                                      \
        S(i) = set_;                                               \
    } while (0)
#define NEXT() goto *labels[*ip]
#define TRAP(msg) do { trap = (msg); goto trap; } while (0)


#define SAVE_FUEL()                                                \
    do {                                                           \
        if (th->fuel_on)                                           \
            th->fuel = fuel;                                       \
    } while (0)

/* A loop back-edge to code position t, which follows the loop's LOOP_CHECK:
 * charges that check's fuel, notices interrupts, and jumps. */
#define BACK_EDGE(t)                                               \
    do {                                                           \
        uint32_t target_ = (t);                                    \
        fuel -= code[target_ - 1];                                 \
        if (fuel < 0 || th->interrupt)                             \
            goto out_of_time;                                      \
        ip = code + target_;                                       \
        NEXT();                                                    \
    } while (0)

#define SYNC_FRAMES() (th->nframes = (uint32_t)(frame_top - th->frames))

#define RELOAD_MEMORY()                                            \
    do {                                                           \
        memory = inst->module->nmemories ? inst->memories[0] : 0;  \
        mem = memory ? memory->data : NULL;                        \
        mem_size = memory ? memory->size : 0;                      \
    } while (0)

/* The effective address of an access of n bytes at slot a plus offset, or a
 * trap. 64-bit arithmetic: neither the sum nor the check can wrap. */
#define ADDRESS(a, offset, n, ea)                                  \
    uint64_t ea = (uint64_t)(a) + (offset);                        \
    if (ea + (n) > mem_size)                                       \
        TRAP(TRAP_MEMORY)

static wb_status run(wbThread *th, wb_func *entry, wbSlot *fp, wb_error *err)
{
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
    static const void *const labels[WB_XOP_COUNT] = {
        [0 ... WB_XOP_COUNT - 1] = &&L_BAD,
#define WB_UNOP(name, in, out, fn) [WB_OP_##name] = &&L_##name,
#define WB_BINOP(name, in, out, fn) [WB_OP_##name] = &&L_##name,
#define WB_TRAP_UNOP(name, in, out, fn) [WB_OP_##name] = &&L_##name,
#define WB_TRAP_BINOP(name, in, out, fn) [WB_OP_##name] = &&L_##name,
#include "engine/numeric.def"
#define WB_XOP(name, operands, meaning) [WB_XOP_##name] = &&X_##name,
#include "engine/xops.def"
#define WB_BINOP(name, in, out, fn) [WB_RI_##name] = &&R_##name,
#define WB_TRAP_BINOP(name, in, out, fn) [WB_RI_##name] = &&R_##name,
#include "engine/numeric.def"
#define WB_CMP(name, in, fn)                                                       \
    [WB_BRIF_##name] = &&BI_##name, [WB_BRIFI_##name] = &&BII_##name,              \
    [WB_BRUN_##name] = &&BU_##name, [WB_BRUNI_##name] = &&BUI_##name,              \
    [WB_BRIFB_##name] = &&BIB_##name, [WB_BRIFIB_##name] = &&BIIB_##name,
#include "engine/numeric.def"
        [WB_OP_UNREACHABLE] = &&L_UNREACHABLE,
        [WB_OP_SELECT] = &&L_SELECT,
        [WB_OP_GLOBAL_GET] = &&L_GLOBAL_GET,
        [WB_OP_GLOBAL_SET] = &&L_GLOBAL_SET,
#define WB_LOAD(name, ctype, field, convert) \
        [WB_OP_##name] = &&L_##name, [WB_LDI_##name] = &&LI_##name, [WB_LDA_##name] = &&LA_##name, \
        [WB_LDK_##name] = &&LK_##name,
#define WB_STORE(name, ctype, field) \
        [WB_OP_##name] = &&L_##name, [WB_STK_##name] = &&SK_##name, [WB_STV_##name] = &&SV_##name,
#include "engine/memops.def"
        [WB_OP_MEMORY_SIZE] = &&L_MEMORY_SIZE,
        [WB_OP_MEMORY_GROW] = &&L_MEMORY_GROW,
        [WB_OP_MEMORY_FILL] = &&L_MEMORY_FILL,
        [WB_OP_MEMORY_COPY] = &&L_MEMORY_COPY,
        [WB_OP_MEMORY_INIT] = &&L_MEMORY_INIT,
        [WB_OP_DATA_DROP] = &&L_DATA_DROP,
        [WB_OP_TABLE_GET] = &&L_TABLE_GET,
        [WB_OP_TABLE_SET] = &&L_TABLE_SET,
        [WB_OP_TABLE_SIZE] = &&L_TABLE_SIZE,
        [WB_OP_TABLE_GROW] = &&L_TABLE_GROW,
        [WB_OP_TABLE_FILL] = &&L_TABLE_FILL,
        [WB_OP_TABLE_COPY] = &&L_TABLE_COPY,
        [WB_OP_TABLE_INIT] = &&L_TABLE_INIT,
        [WB_OP_ELEM_DROP] = &&L_ELEM_DROP,
        [WB_OP_REF_IS_NULL] = &&L_REF_IS_NULL,
        [WB_OP_REF_FUNC] = &&L_REF_FUNC,
    };
#if defined(__clang__)
#pragma clang diagnostic pop
#elif defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

    const uint32_t base_frames = th->nframes;
    /* the frame stack's top and limits, in registers; th->nframes is
     * brought up to date (SYNC_FRAMES) before anything else looks at it */
    wbFrame *const frames_base = th->frames + base_frames;
    wbFrame *frame_top = frames_base; /* one past the innermost */
    wbFrame *const frames_end = th->frames + th->max_frames;
    wbSlot *const stack_end = th->stack_end;
    wb_func *callee = entry;
    wbSlot *nfp = fp;
    wb_instance *inst = NULL;
    wb_memory *memory = NULL;
    uint8_t *mem = NULL;
    uint64_t mem_size = 0;
    const uint32_t *ip = NULL, *code = NULL;
    const char *trap = NULL;
    wb_status status = WB_ERR_TRAP;
    /* fuel lives in a register; in th->fuel while a host function runs */
    int64_t fuel = th->fuel_on ? th->fuel : INT64_MAX;

do_call: {
    const wbCode *c = callee->code; /* NULL: a host function */
    if (!c) {
        wb_status hs;
        SAVE_FUEL();
        SYNC_FRAMES();
        trap = wbCallHost(callee, inst, nfp, &hs);
        if (th->fuel_on)
            fuel = th->fuel;
        if (trap) {
            status = hs;
            goto trap;
        }
        RELOAD_MEMORY();
        NEXT();
    }
    if (frame_top >= frames_end || nfp + c->frame_slots > stack_end) {
        ip--; /* blame the call instruction, not the next one */
        TRAP(TRAP_EXHAUSTED);
    }
    fuel -= c->entry_fuel;
    if (fuel < 0 || th->interrupt)
        goto out_of_time;
    wb_instance *ret_inst = NULL;
    if (callee->instance != inst) {
        ret_inst = inst;
        inst = callee->instance;
        RELOAD_MEMORY();
    }
    *frame_top++ = (wbFrame){callee, ip, nfp, c->words, ret_inst};
    zero_slots(nfp + c->nparams, c->nlocals - c->nparams);
    fp = nfp;
    ip = code = c->words;
    NEXT();
}

X_RETURN: {
    const wbFrame *done = --frame_top;
    if (frame_top == frames_base) {
        SAVE_FUEL();
        SYNC_FRAMES();
        return WB_OK;
    }
    ip = done->ret_ip;
    const wbFrame *caller = frame_top - 1;
    fp = caller->fp;
    code = caller->code;
    if (done->ret_inst) {
        /* back to another instance; within one, mem and mem_size are
         * already current (a callee's memory.grow updated them) */
        inst = done->ret_inst;
        RELOAD_MEMORY();
    }
    NEXT();
}

X_CALL:
    callee = inst->funcs[W(1)];
    nfp = fp + W(2);
    ip += 3;
    goto do_call;

X_CALL_INDIRECT: {
    wb_table *table = inst->tables[W(2)];
    uint32_t i = S(3).i32;
    if (i >= table->size)
        TRAP(TRAP_UNDEFINED);
    callee = table->elems[i];
    if (!callee)
        TRAP(TRAP_UNINITIALIZED);
    const wbFuncType *want = &inst->module->types[W(1)];
    if (callee->type != want && !wbFuncTypeEqual(callee->type, want))
        TRAP(TRAP_SIGNATURE);
    nfp = fp + W(4);
    ip += 5;
    goto do_call;
}

X_MOV:
    S(1) = S(2);
    ip += 3;
    NEXT();
X_MOV2:
    S(1) = S(2);
    S(3) = S(4);
    ip += 5;
    NEXT();
X_CONST32:
    SET(1, i32, W(2));
    ip += 3;
    NEXT();
X_CONST64:
    S(1).i64 = (uint64_t)W(2) | (uint64_t)W(3) << 32;
    ip += 4;
    NEXT();
X_BR:
    ip = code + W(1);
    NEXT();
X_BR_IF:
    ip = S(1).i32 ? code + W(2) : ip + 3;
    NEXT();
X_BR_BACK:
    BACK_EDGE(W(1));
X_BR_IF_BACK:
    if (!S(1).i32) {
        ip += 3;
        NEXT();
    }
    BACK_EDGE(W(2));
X_BR_UNLESS:
    ip = S(1).i32 ? ip + 3 : code + W(2);
    NEXT();
X_BR_TABLE: {
    uint32_t i = S(1).i32, n = W(2);
    ip = code + W(3 + (i < n ? i : n));
    NEXT();
}
X_LOOP_CHECK:
    fuel -= W(1);
    if (fuel < 0 || th->interrupt)
        goto out_of_time;
    ip += 2;
    NEXT();
X_UNSUPPORTED:
    TRAP(TRAP_SIMD);
L_UNREACHABLE:
    TRAP(TRAP_UNREACHABLE);
L_BAD:
    TRAP("internal error: unknown interpreter instruction");

L_SELECT:
    S(1) = S(4).i32 ? S(2) : S(3);
    ip += 5;
    NEXT();
L_GLOBAL_GET:
    S(1) = inst->globals[W(2)]->value;
    ip += 3;
    NEXT();
L_GLOBAL_SET:
    inst->globals[W(1)]->value = S(2);
    ip += 3;
    NEXT();

    /* numeric instructions, from numeric.def */
#define WB_UNOP(name, in, out, fn) \
    L_##name: SET(1, out, fn(S(2).in)); ip += 3; NEXT();
#define WB_BINOP(name, in, out, fn) \
    L_##name: SET(1, out, fn(S(2).in, S(3).in)); ip += 4; NEXT();
#define WB_TRAP_UNOP(name, in, out, fn) \
    L_##name: if ((trap = fn(S(2).in, &S(1).out))) goto trap; ip += 3; NEXT();
#define WB_TRAP_BINOP(name, in, out, fn) \
    L_##name: if ((trap = fn(S(2).in, S(3).in, &S(1).out))) goto trap; ip += 4; NEXT();
#include "engine/numeric.def"

    /* binops with an immediate right operand: [op, dst, a, imm...] */
#define WB_BINOP(name, in, out, fn) \
    R_##name: SET(1, out, fn(S(2).in, IMM_##in(3))); ip += 3 + IMMW_##in; NEXT();
#define WB_TRAP_BINOP(name, in, out, fn) \
    R_##name: if ((trap = fn(S(2).in, IMM_##in(3), &S(1).out))) goto trap; \
    ip += 3 + IMMW_##in; NEXT();
#include "engine/numeric.def"

    /* comparisons fused with br_if / if: [op, a, b, target] and
     * [op, a, imm..., target] */
#define WB_CMP(name, in, fn)                                                       \
    BI_##name: ip = fn(S(1).in, S(2).in) ? code + W(3) : ip + 4; NEXT();           \
    BII_##name: ip = fn(S(1).in, IMM_##in(2)) ? code + W(2 + IMMW_##in)            \
                                               : ip + 3 + IMMW_##in; NEXT();       \
    BU_##name: ip = fn(S(1).in, S(2).in) ? ip + 4 : code + W(3); NEXT();           \
    BUI_##name: ip = fn(S(1).in, IMM_##in(2)) ? ip + 3 + IMMW_##in                 \
                                               : code + W(2 + IMMW_##in); NEXT();       \
    BIB_##name: if (!fn(S(1).in, S(2).in)) { ip += 4; NEXT(); }                     \
                BACK_EDGE(W(3));                                                    \
    BIIB_##name: if (!fn(S(1).in, IMM_##in(2))) { ip += 3 + IMMW_##in; NEXT(); }    \
                 BACK_EDGE(W(2 + IMMW_##in));
#include "engine/numeric.def"

    /* loads: [op, dst, addr, offset]; stores: [op, addr, value, offset] */
    /* loads: [op, dst, addr, offset]; the fused forms compute the address
     * as the i32.add they replace would (wrapping at 2^32), then add the
     * offset: [op, dst, a, imm, offset] and [op, dst, a, b, offset]; or take
     * a constant address plus offset (up to 2^33): [op, dst, ea_lo, ea_hi] */
#define LOAD_AT(ea, ctype, field, convert, len)                    \
    do {                                                           \
        ctype v;                                                   \
        memcpy(&v, mem + (ea), sizeof v);                          \
        SET(1, field, convert v);                                  \
        ip += (len);                                               \
        NEXT();                                                    \
    } while (0)
#define WB_LOAD(name, ctype, field, convert)                       \
    L_##name: {                                                    \
        ADDRESS(S(2).i32, W(3), sizeof(ctype), ea);                \
        LOAD_AT(ea, ctype, field, convert, 4);                     \
    }                                                              \
    LI_##name: {                                                   \
        ADDRESS((uint32_t)(S(2).i32 + W(3)), W(4), sizeof(ctype), ea); \
        LOAD_AT(ea, ctype, field, convert, 5);                     \
    }                                                              \
    LA_##name: {                                                   \
        ADDRESS((uint32_t)(S(2).i32 + S(3).i32), W(4), sizeof(ctype), ea); \
        LOAD_AT(ea, ctype, field, convert, 5);                     \
    }                                                              \
    LK_##name: {                                                   \
        uint64_t ea = IMM_i64(2);                                  \
        if (ea + sizeof(ctype) > mem_size)                         \
            TRAP(TRAP_MEMORY);                                     \
        LOAD_AT(ea, ctype, field, convert, 4);                     \
    }
    /* stores: [op, addr, value, offset]; to a constant address:
     * [op, value, ea_lo, ea_hi]; of a constant: [op, addr, imm..., offset]
     * (two immediate words for 8-byte stores) */
#define STORE_AT(ea, ctype, value, len)                            \
    do {                                                           \
        ctype v = (ctype)(value);                                  \
        memcpy(mem + (ea), &v, sizeof v);                          \
        ip += (len);                                               \
        NEXT();                                                    \
    } while (0)
#define STV_WORDS(ctype) (sizeof(ctype) == 8 ? 2u : 1u)
#define WB_STORE(name, ctype, field)                               \
    L_##name: {                                                    \
        ADDRESS(S(1).i32, W(3), sizeof(ctype), ea);                \
        STORE_AT(ea, ctype, S(2).field, 4);                        \
    }                                                              \
    SK_##name: {                                                   \
        uint64_t ea = IMM_i64(2);                                  \
        if (ea + sizeof(ctype) > mem_size)                         \
            TRAP(TRAP_MEMORY);                                     \
        STORE_AT(ea, ctype, S(1).field, 4);                        \
    }                                                              \
    SV_##name: {                                                   \
        ADDRESS(S(1).i32, W(2 + STV_WORDS(ctype)), sizeof(ctype), ea); \
        STORE_AT(ea, ctype, STV_WORDS(ctype) == 2 ? IMM_i64(2) : W(2), 3 + STV_WORDS(ctype)); \
    }
#include "engine/memops.def"

L_MEMORY_SIZE:
    S(1).i32 = (uint32_t)(mem_size / 65536);
    ip += 2;
    NEXT();
L_MEMORY_GROW:
    S(1).i32 = (uint32_t)wbMemoryGrow(memory, S(2).i32);
    RELOAD_MEMORY();
    ip += 3;
    NEXT();
    /* bulk memory, tables and segments (bulk.c, shared with native code) */
#define BULK(fn, words)                                            \
    do {                                                           \
        if ((trap = fn(inst, memory, fp, ip)))                     \
            goto trap;                                             \
        ip += (words);                                             \
        NEXT();                                                    \
    } while (0)
L_MEMORY_FILL: BULK(wbBulkMemoryFill, 4);
L_MEMORY_COPY: BULK(wbBulkMemoryCopy, 4);
L_MEMORY_INIT: BULK(wbBulkMemoryInit, 5);
L_DATA_DROP: BULK(wbBulkDataDrop, 2);
L_TABLE_GET: BULK(wbBulkTableGet, 4);
L_TABLE_SET: BULK(wbBulkTableSet, 4);
L_TABLE_SIZE: BULK(wbBulkTableSize, 3);
L_TABLE_GROW: BULK(wbBulkTableGrow, 5);
L_TABLE_FILL: BULK(wbBulkTableFill, 5);
L_TABLE_COPY: BULK(wbBulkTableCopy, 6);
L_TABLE_INIT: BULK(wbBulkTableInit, 6);
L_ELEM_DROP: BULK(wbBulkElemDrop, 2);
L_REF_IS_NULL:
    S(1).i32 = S(2).ref == NULL;
    ip += 3;
    NEXT();
L_REF_FUNC:
    S(1).ref = inst->funcs[W(2)];
    ip += 3;
    NEXT();

out_of_time:
    trap = NULL;
trap:
    SAVE_FUEL();
    SYNC_FRAMES();
    return wbStopped(th, base_frames, ip ? ip : code, trap, status, err);
}

wb_status wbStopped(wbThread *th, uint32_t base_frames, const uint32_t *ip, const char *trap,
                    wb_status status, wb_error *err)
{
    if (!trap) { /* out of fuel or interrupted */
        status = WB_ERR_LIMIT;
        if (th->interrupt) {
            trap = TRAP_INTERRUPTED;
        } else {
            trap = TRAP_FUEL;
            if (th->fuel_on)
                th->fuel = 0;
        }
    }
    if (status == WB_ERR_TRAP && trap == TRAP_EXHAUSTED)
        status = WB_ERR_LIMIT;
    err->detail[0] = '\0';
    err->status = status;
    err->message = trap;
    err->offset = WB_NO_OFFSET;
    if (th->nframes > base_frames && ip)
        backtrace(th, base_frames, ip, err);
    th->nframes = base_frames;
    return status;
}

wb_status wbRun(wbThread *th, wb_func *func, wbSlot *fp, wb_error *err)
{
    if (func->code->native)
        return wbJitRun(th, func, fp, err);
    return run(th, func, fp, err);
}

wb_status wbInvoke(wb_store *store, wb_func *func, wbSlot *args, wb_error *err)
{
    if (func->host) {
        wb_status status;
        const char *trap = wbCallHost(func, NULL, args, &status);
        if (trap) {
            err->status = status;
            err->message = trap;
        }
        return status;
    }
    wbThread *th = wbStoreThread(store);
    if (!th) {
        err->status = WB_ERR_NOMEM;
        err->message = "out of memory";
        return WB_ERR_NOMEM;
    }
    wbSlot *fp = th->stack;
    if (th->nframes) { /* re-entered from a host function: start above */
        const wbFrame *top = &th->frames[th->nframes - 1];
        fp = top->fp + top->func->code->frame_slots;
    }
    const wbCode *code = func->code;
    if (fp + code->frame_slots > th->stack_end || th->nframes >= th->max_frames) {
        err->status = WB_ERR_LIMIT;
        err->message = TRAP_EXHAUSTED;
        return WB_ERR_LIMIT;
    }
    memcpy(fp, args, code->nparams * sizeof *fp);
    wb_status status = wbRun(th, func, fp, err);
    if (status == WB_OK)
        memcpy(args, fp, code->nresults * sizeof *fp);
    return status;
}
