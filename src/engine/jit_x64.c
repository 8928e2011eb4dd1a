/*
 * jit_x64.c — the native-code tier's translator for x86-64: turns each
 * function's register code (compile.c) into machine code, one template per
 * instruction, in one buffer per module (registers and frames: jit.h).
 *
 * Every slot operand becomes a memory operand [rbx + 8*slot]; constants are
 * immediates; branches are rel32 jumps to the translated target; traps jump
 * to small out-of-line stubs that record the register-code position and
 * leave through the common exit, which returns to the entry trampoline with
 * the native stack it started with. The frequent instructions (integer and
 * float arithmetic, comparisons and fused branches, loads and stores with
 * their bounds checks, moves, globals, calls) are inlined; the rest call the
 * helper jit_helpers.c has for them, which runs the same numeric.h code as
 * the interpreter.
 */
#include <stddef.h>

#include "engine/jit.h"

#if defined(__x86_64__)

#define NO_LABEL UINT32_MAX
#define NO_SLOT UINT32_MAX

/* wbThread fields native code reads, as displacements from r15 */
#define TH(field) ((int32_t)offsetof(wbThread, jit.field))
#define TH_INTERRUPT ((int32_t)offsetof(wbThread, interrupt))
#define TH_STACK_END ((int32_t)offsetof(wbThread, stack_end))
#define FRAME_SIZE ((int32_t)sizeof(wbFrame))

enum StubKind { S_MSG, S_HELPER, S_TIME, S_THMSG, S_EXH_CALLER, S_TIME_CALLER };

typedef struct Stub {
    size_t at;            /* the rel32 jumping to the stub */
    uint8_t kind;
    const uint32_t *ip;   /* where in the register code */
    const char *msg;      /* S_MSG, S_EXH_CALLER */
} Stub;

typedef struct Fix {
    size_t at;       /* a rel32 */
    uint32_t target; /* code position (jumps) or defined-function number (calls) */
} Fix;

typedef struct Jit {
    x64Buf b;
    const wb_module *m;
    size_t trap_exit;   /* the common stop path */
    /* the function being translated */
    const wbCode *code;
    uint32_t *label;    /* native offset of each code position, or NO_LABEL */
    Fix *jumps;
    uint32_t njumps, jumps_cap;
    Stub *stubs;
    uint32_t nstubs, stubs_cap;
    uint8_t *is_target; /* per code position: some jump lands there */
    /* What rax and xmm0 hold when the instruction being translated starts
     * (in_*: a slot whose value, also in memory, the register holds, or
     * NO_SLOT), and when it ends (out_*: set by the templates that know;
     * NO_SLOT otherwise). Slots are always written through to memory, so
     * this only saves reloads within straight-line code. */
    uint32_t in_rax, in_x0, out_rax, out_x0;
    /* whether rax's upper half may be other than zero (a 32-bit use of
     * the slot it holds, such as an address, needs it zero): at the start,
     * after ld_rax, and at the end */
    bool in_wide, cur_wide, out_wide;
    /* A result in rax not yet written to its slot, an operand-stack slot
     * the next instruction pops: written at the start of that instruction,
     * unless it takes the value from rax (then the store is dead). */
    uint32_t pend_slot;
    uint32_t nlocals;   /* slots below this are locals: always stored */
    /* across the module */
    uint8_t *grows;     /* per defined function: may change memory 0 (growers) */
    Fix *calls;
    uint32_t ncalls, calls_cap;
    bool fail;
} Jit;

static bool push(Jit *j, void **arr, uint32_t *n, uint32_t *cap, size_t elem)
{
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 64;
        void *p = realloc(*arr, (size_t)c * elem);
        if (!p) {
            j->fail = true;
            return false;
        }
        *arr = p;
        *cap = c;
    }
    (*n)++;
    return true;
}

static void jump_to(Jit *j, size_t at, uint32_t target)
{
    if (push(j, (void **)&j->jumps, &j->njumps, &j->jumps_cap, sizeof *j->jumps))
        j->jumps[j->njumps - 1] = (Fix){at, target};
}

static void stub(Jit *j, size_t at, uint8_t kind, const uint32_t *ip, const char *msg)
{
    if (push(j, (void **)&j->stubs, &j->nstubs, &j->stubs_cap, sizeof *j->stubs))
        j->stubs[j->nstubs - 1] = (Stub){at, kind, ip, msg};
}

/* ------------------------------------------------------------ encodings */

#define B (&j->b)
#define SLOT(s) ((int32_t)((s) * 8u))
/* Slot numbers and the indexes of funcs/globals arrays become 32-bit
 * displacements: a function whose frame or module whose arrays are larger
 * than that is left to the interpreter (translate_func checks). */
#define MAX_INDEX ((uint32_t)(INT32_MAX / 8 - 64))

/* 8 * index as a displacement; fails the translation when it does not fit. */
static int32_t disp8(Jit *j, uint32_t index)
{
    if (index > MAX_INDEX) {
        j->fail = true;
        return 0;
    }
    return (int32_t)(index * 8u);
}

static void ld(Jit *j, bool w, int r, uint32_t slot) { x64Mem(B, 0, w, 0x8B, r, RBX, X64_NONE, 1, SLOT(slot)); }
/* Slots are always written whole (8 bytes), 32-bit values too: every
 * 32-bit result on x86-64 leaves the register's upper half zero, and a
 * later 8-byte read of the slot (a move, a call's result) then takes the
 * value straight from the store, where after a 4-byte store it would wait
 * for the store to reach the cache (ackermann 4.9x -> see performance.md).
 * The upper half of a 32-bit slot is never read as part of a value. */
static void st(Jit *j, uint32_t slot, int r)
{
    x64Mem(B, 0, true, 0x89, r, RBX, X64_NONE, 1, SLOT(slot));
}
static void movrr(Jit *j, int dst, int src) { x64Reg(B, 0, true, 0x89, src, dst); }
static void thld(Jit *j, int r, int32_t off) { x64Mem(B, 0, true, 0x8B, r, R15, X64_NONE, 1, off); }
static void thst(Jit *j, int32_t off, int r) { x64Mem(B, 0, true, 0x89, r, R15, X64_NONE, 1, off); }

/* add/sub r64, imm32 */
static void addimm(Jit *j, int r, int32_t k)
{
    if (!k)
        return;
    x64Reg(B, 0, true, 0x81, k > 0 ? 0 : 5, r);
    x64U32(B, (uint32_t)(k > 0 ? k : -k));
}

static void reload_memory(Jit *j)
{
    thld(j, RAX, TH(memory));
    x64Mem(B, 0, true, 0x8B, R12, RAX, X64_NONE, 1, (int32_t)offsetof(wb_memory, data));
    x64Mem(B, 0, true, 0x8B, R13, RAX, X64_NONE, 1, (int32_t)offsetof(wb_memory, size));
}

static void call_abs(Jit *j, uintptr_t fn)
{
    x64MovImm(B, RAX, (uint64_t)fn);
    x64Reg(B, 0, false, 0xFF, 2, RAX);
}

/* jcc to a stub */
static void jcc_stub(Jit *j, int cc, uint8_t kind, const uint32_t *ip, const char *msg)
{
    stub(j, x64Jcc32(B, cc), kind, ip, msg);
}

/* The loop fuel and interrupt check (a LOOP_CHECK, or a back-edge's). */
static void time_check(Jit *j, uint32_t fuel, const uint32_t *ip)
{
    if (fuel > INT32_MAX) /* (sub takes a signed 32-bit immediate) */
        j->fail = true;
    if (fuel) {
        x64Reg(B, 0, true, 0x81, 5, R14); /* sub r14, fuel */
        x64U32(B, fuel);
        jcc_stub(j, CC_S, S_TIME, ip, NULL);
    }
    x64Mem(B, 0, false, 0x83, 7, R15, X64_NONE, 1, TH_INTERRUPT);
    x64Byte(B, 0);
    jcc_stub(j, CC_NE, S_TIME, ip, NULL);
}

static void jump(Jit *j, uint32_t target) { jump_to(j, x64Jmp32(B), target); }
static void jcc(Jit *j, int cc, uint32_t target) { jump_to(j, x64Jcc32(B, cc), target); }

/* A loop back-edge to code position t (just after its LOOP_CHECK). */
static void back_edge(Jit *j, uint32_t t, const uint32_t *ip)
{
    time_check(j, j->code->words[t - 1], ip);
    jump(j, t);
}

/* ------------------------------------------------- results and stores */

static void flush(Jit *j)
{
    if (j->pend_slot != NO_SLOT)
        st(j, j->pend_slot, RAX);
    j->pend_slot = NO_SLOT;
}

/* The template's result, in rax: stored now into a local, or left pending
 * for an operand-stack slot. */
static void put(Jit *j, uint32_t slot)
{
    if (slot < j->nlocals) {
        st(j, slot, RAX);
        return;
    }
    j->pend_slot = slot;
}

/* ------------------------------------------------------ operand shapes */

/* The right operand of a binary instruction: a slot or an immediate. */
typedef struct Opd {
    bool imm;
    uint32_t slot;
    uint64_t k;
    bool in_rcx; /* already in rcx (moved there from rax) */
} Opd;

static Opd opd_slot(uint32_t s) { return (Opd){false, s, 0, false}; }
static Opd opd_imm(const uint32_t *w, bool wide)
{
    return (Opd){true, 0, wide ? ((uint64_t)w[0] | (uint64_t)w[1] << 32) : w[0], false};
}

/* rax = slot a, the template's first write to rax: no load when rax
 * already holds it. */
static void ld_rax(Jit *j, bool w, uint32_t a)
{
    if (j->in_rax != a) {
        ld(j, w, RAX, a);
        j->cur_wide = w;
    } else if (!w && j->in_wide) {
        x64Reg(B, 0, false, 0x89, RAX, RAX); /* mov eax, eax: clears the upper half */
        j->cur_wide = false;
    } else {
        j->cur_wide = j->in_wide;
    }
    j->in_rax = NO_SLOT;
}

/* Before loading the left operand a into rax: when the right operand b is
 * what rax holds, moves it to rcx instead of reading it from memory. */
static void keep_right(Jit *j, uint32_t a, Opd *b)
{
    if (!b->imm && b->slot == j->in_rax && a != j->in_rax) {
        movrr(j, RCX, RAX);
        b->in_rcx = true;
    }
}

/* A template wrote slot d (and perhaps rax or xmm0): the registers that
 * held d's old value no longer do. */
static uint32_t unless(uint32_t held, uint32_t d)
{
    return held == d ? NO_SLOT : held;
}

static bool fits_s32(uint64_t k, bool w)
{
    return w ? ((int64_t)k >= INT32_MIN && (int64_t)k <= INT32_MAX) : true;
}

/* rax op= b, for the ALU group (ext: ADD 0, OR 1, AND 4, SUB 5, XOR 6, CMP 7). */
static void alu(Jit *j, bool w, int ext, Opd b)
{
    static const uint8_t rm_form[8] = {0x03, 0x0B, 0, 0, 0x23, 0x2B, 0x33, 0x3B};
    if (b.in_rcx) {
        x64Reg(B, 0, w, rm_form[ext], RAX, RCX);
    } else if (!b.imm) {
        x64Mem(B, 0, w, rm_form[ext], RAX, RBX, X64_NONE, 1, SLOT(b.slot));
    } else if (fits_s32(b.k, w)) {
        x64Reg(B, 0, w, 0x81, ext, RAX);
        x64U32(B, (uint32_t)b.k);
    } else {
        x64MovImm(B, RCX, b.k);
        x64Reg(B, 0, w, rm_form[ext] - 2, RCX, RAX); /* op r/m, r: rax op= rcx */
    }
}

static void imul(Jit *j, bool w, Opd b)
{
    if (b.in_rcx) {
        x64Reg(B, 0, w, 0x0FAF, RAX, RCX);
    } else if (!b.imm) {
        x64Mem(B, 0, w, 0x0FAF, RAX, RBX, X64_NONE, 1, SLOT(b.slot));
    } else if (fits_s32(b.k, w)) {
        x64Reg(B, 0, w, 0x69, RAX, RAX);
        x64U32(B, (uint32_t)b.k);
    } else {
        x64MovImm(B, RCX, b.k);
        x64Reg(B, 0, w, 0x0FAF, RAX, RCX);
    }
}

/* rax = rax shift b (ext: ROL 0, ROR 1, SHL 4, SHR 5, SAR 7) */
static void shift(Jit *j, bool w, int ext, Opd b)
{
    if (b.imm) {
        x64Reg(B, 0, w, 0xC1, ext, RAX);
        x64Byte(B, (uint8_t)(b.k & (w ? 63 : 31)));
    } else {
        if (!b.in_rcx)
            ld(j, false, RCX, b.slot);
        x64Reg(B, 0, w, 0xD3, ext, RAX);
    }
}

/* Integer binary operations inlined: returns false for the others. */
static bool int_binop(Jit *j, uint32_t op, bool w, uint32_t dst, uint32_t a, Opd b)
{
    int kind; /* 0..7 ALU ext, 8 imul, 16+ shift ext */
    switch (op) {
    case WB_OP_I32_ADD: case WB_OP_I64_ADD: kind = 0; break;
    case WB_OP_I32_OR: case WB_OP_I64_OR: kind = 1; break;
    case WB_OP_I32_AND: case WB_OP_I64_AND: kind = 4; break;
    case WB_OP_I32_SUB: case WB_OP_I64_SUB: kind = 5; break;
    case WB_OP_I32_XOR: case WB_OP_I64_XOR: kind = 6; break;
    case WB_OP_I32_MUL: case WB_OP_I64_MUL: kind = 8; break;
    case WB_OP_I32_ROTL: case WB_OP_I64_ROTL: kind = 16; break;
    case WB_OP_I32_ROTR: case WB_OP_I64_ROTR: kind = 17; break;
    case WB_OP_I32_SHL: case WB_OP_I64_SHL: kind = 20; break;
    case WB_OP_I32_SHR_U: case WB_OP_I64_SHR_U: kind = 21; break;
    case WB_OP_I32_SHR_S: case WB_OP_I64_SHR_S: kind = 23; break;
    default: return false;
    }
    uint32_t x0 = j->in_x0;
    keep_right(j, a, &b);
    ld_rax(j, w, a);
    if (kind < 8)
        alu(j, w, kind, b);
    else if (kind == 8)
        imul(j, w, b);
    else
        shift(j, w, kind - 16, b);
    put(j, dst);
    j->out_rax = dst;
    j->out_wide = w;
    j->out_x0 = unless(x0, dst);
    return true;
}

/* The condition code of an integer comparison (a cmp b), or -1. */
static int int_cc(uint32_t op, bool *w)
{
    *w = op >= WB_OP_I64_EQZ && op <= WB_OP_I64_GE_U;
    switch (op) {
    case WB_OP_I32_EQ: case WB_OP_I64_EQ: return CC_E;
    case WB_OP_I32_NE: case WB_OP_I64_NE: return CC_NE;
    case WB_OP_I32_LT_S: case WB_OP_I64_LT_S: return CC_L;
    case WB_OP_I32_LT_U: case WB_OP_I64_LT_U: return CC_B;
    case WB_OP_I32_GT_S: case WB_OP_I64_GT_S: return CC_G;
    case WB_OP_I32_GT_U: case WB_OP_I64_GT_U: return CC_A;
    case WB_OP_I32_LE_S: case WB_OP_I64_LE_S: return CC_LE;
    case WB_OP_I32_LE_U: case WB_OP_I64_LE_U: return CC_BE;
    case WB_OP_I32_GE_S: case WB_OP_I64_GE_S: return CC_GE;
    case WB_OP_I32_GE_U: case WB_OP_I64_GE_U: return CC_AE;
    default: return -1;
    }
}

/* Loads a float operand into xmm register x (for xmm0, from the registers
 * when they hold it: xmm0 itself, or rax as bits). */
static void fload(Jit *j, bool dbl, int x, Opd v)
{
    if (x == 0 && !v.imm && v.slot == j->in_x0) {
        j->in_x0 = NO_SLOT;
        return;
    }
    if (x == 0)
        j->in_x0 = NO_SLOT;
    if (!v.imm && v.slot == j->in_rax) {
        x64Reg(B, 0x66, dbl, 0x0F6E, x, RAX); /* movq/movd xmm, rax */
    } else if (!v.imm) {
        x64Mem(B, dbl ? 0xF2 : 0xF3, false, 0x0F10, x, RBX, X64_NONE, 1, SLOT(v.slot));
    } else {
        x64MovImm(B, RAX, v.k);
        x64Reg(B, 0x66, dbl, 0x0F6E, x, RAX); /* movq/movd xmm, rax */
        j->in_rax = NO_SLOT;
    }
}

/* Float comparisons: sets eax to 0 or 1. Returns false if op is not one. */
static bool float_cmp(Jit *j, uint32_t op, uint32_t a, Opd b)
{
    bool dbl;
    int kind; /* 0 eq, 1 ne, 2 lt, 3 gt, 4 le, 5 ge */
    if (op >= WB_OP_F32_EQ && op <= WB_OP_F32_GE) {
        dbl = false;
        kind = (int)(op - WB_OP_F32_EQ);
    } else if (op >= WB_OP_F64_EQ && op <= WB_OP_F64_GE) {
        dbl = true;
        kind = (int)(op - WB_OP_F64_EQ);
    } else {
        return false;
    }
    /* lt and le compare b with a: "above" is false when unordered */
    bool swap = kind == 2 || kind == 4;
    if (!b.imm && b.slot == j->in_x0 && a != j->in_x0) {
        x64Reg(B, 0, false, 0x0F28, 1, 0); /* movaps xmm1, xmm0 */
        j->in_x0 = NO_SLOT;
        fload(j, dbl, 0, opd_slot(a));
    } else {
        fload(j, dbl, 0, opd_slot(a));
        if (!b.imm && b.slot == a)
            x64Reg(B, 0, false, 0x0F28, 1, 0);
        else
            fload(j, dbl, 1, b);
    }
    x64Reg(B, dbl ? 0x66 : 0, false, 0x0F2E, swap ? 1 : 0, swap ? 0 : 1); /* ucomis */
    switch (kind) {
    case 0: /* ZF and not PF */
        x64Reg(B, 0, false, 0x0F90 | CC_E, 0, RAX);
        x64Reg(B, 0, false, 0x0F90 | CC_NP, 0, RCX);
        x64Reg(B, 0, false, 0x20, RCX, RAX); /* and al, cl */
        break;
    case 1: /* not ZF, or PF */
        x64Reg(B, 0, false, 0x0F90 | CC_NE, 0, RAX);
        x64Reg(B, 0, false, 0x0F90 | CC_P, 0, RCX);
        x64Reg(B, 0, false, 0x08, RCX, RAX); /* or al, cl */
        break;
    case 2: case 3:
        x64Reg(B, 0, false, 0x0F90 | CC_A, 0, RAX);
        break;
    default:
        x64Reg(B, 0, false, 0x0F90 | CC_AE, 0, RAX);
        break;
    }
    x64Reg(B, 0, false, 0x0FB6, RAX, RAX); /* movzx eax, al */
    return true;
}

/* Float arithmetic inlined: returns false for the others. */
static bool float_binop(Jit *j, uint32_t op, uint32_t dst, uint32_t a, Opd b)
{
    bool dbl = op >= WB_OP_F64_ABS && op <= WB_OP_F64_COPYSIGN;
    uint32_t sse;
    switch (op) {
    case WB_OP_F32_ADD: case WB_OP_F64_ADD: sse = 0x0F58; break;
    case WB_OP_F32_SUB: case WB_OP_F64_SUB: sse = 0x0F5C; break;
    case WB_OP_F32_MUL: case WB_OP_F64_MUL: sse = 0x0F59; break;
    case WB_OP_F32_DIV: case WB_OP_F64_DIV: sse = 0x0F5E; break;
    default: return false;
    }
    uint8_t p = dbl ? 0xF2 : 0xF3;
    uint32_t rax = b.imm ? NO_SLOT : j->in_rax;
    if (!b.imm && b.slot == j->in_x0 && a != j->in_x0) {
        x64Reg(B, 0, false, 0x0F28, 1, 0); /* movaps xmm1, xmm0 */
        j->in_x0 = NO_SLOT;
        fload(j, dbl, 0, opd_slot(a));
        x64Reg(B, p, false, sse, 0, 1);
    } else if (b.imm || b.slot == j->in_rax) {
        fload(j, dbl, 0, opd_slot(a));
        fload(j, dbl, 1, b);
        x64Reg(B, p, false, sse, 0, 1);
    } else {
        fload(j, dbl, 0, opd_slot(a));
        x64Mem(B, p, false, sse, 0, RBX, X64_NONE, 1, SLOT(b.slot));
    }
    /* (a float result is stored at once: leaving out the stores of results
     * the next float op takes from xmm0 measured slower while 32-bit slots
     * were written with 4-byte stores, nbody 1.16 s -> 1.60 s, and neutral
     * once every store was 8 bytes: not worth the code) */
    x64Mem(B, 0xF2, false, 0x0F11, 0, RBX, X64_NONE, 1, SLOT(dst)); /* 8 bytes, as st */
    j->out_x0 = dst;
    j->out_rax = unless(rax, dst);
    j->out_wide = j->in_wide;
    return true;
}

/* Unary operations and conversions inlined: returns false for the others. */
static bool unop(Jit *j, uint32_t op, uint32_t dst, uint32_t a)
{
    bool w;
    switch (op) {
    case WB_OP_I32_EQZ:
    case WB_OP_I64_EQZ: {
        uint32_t x0 = j->in_x0;
        if (j->in_rax == a) {
            x64Reg(B, 0, op == WB_OP_I64_EQZ, 0x85, RAX, RAX); /* test */
        } else {
            x64Mem(B, 0, op == WB_OP_I64_EQZ, 0x83, 7, RBX, X64_NONE, 1, SLOT(a));
            x64Byte(B, 0);
        }
        x64Reg(B, 0, false, 0x0F90 | CC_E, 0, RAX);
        x64Reg(B, 0, false, 0x0FB6, RAX, RAX);
        put(j, dst);
        j->out_rax = dst;
        j->out_wide = false;
        j->out_x0 = unless(x0, dst);
        return true;
    }
    case WB_OP_I32_WRAP_I64:
        ld(j, false, RAX, a);
        st(j, dst, RAX);
        return true;
    case WB_OP_I64_EXTEND_I32_U:
        ld(j, false, RAX, a);
        st(j, dst, RAX);
        return true;
    case WB_OP_I64_EXTEND_I32_S:
    case WB_OP_I64_EXTEND32_S:
        x64Mem(B, 0, true, 0x63, RAX, RBX, X64_NONE, 1, SLOT(a));
        st(j, dst, RAX);
        return true;
    case WB_OP_I32_EXTEND8_S: case WB_OP_I64_EXTEND8_S:
    case WB_OP_I32_EXTEND16_S: case WB_OP_I64_EXTEND16_S:
        w = op == WB_OP_I64_EXTEND8_S || op == WB_OP_I64_EXTEND16_S;
        x64Mem(B, 0, w, (op == WB_OP_I32_EXTEND8_S || op == WB_OP_I64_EXTEND8_S) ? 0x0FBE : 0x0FBF,
               RAX, RBX, X64_NONE, 1, SLOT(a));
        st(j, dst, RAX);
        return true;
    case WB_OP_I32_REINTERPRET_F32: case WB_OP_F32_REINTERPRET_I32:
    case WB_OP_I64_REINTERPRET_F64: case WB_OP_F64_REINTERPRET_I64:
        ld(j, true, RAX, a);
        st(j, dst, RAX);
        return true;
    case WB_OP_F32_ABS: case WB_OP_F32_NEG:
        ld(j, false, RAX, a);
        x64Reg(B, 0, false, 0x81, op == WB_OP_F32_ABS ? 4 : 6, RAX);
        x64U32(B, op == WB_OP_F32_ABS ? 0x7FFFFFFFu : 0x80000000u);
        st(j, dst, RAX);
        return true;
    case WB_OP_F64_ABS: case WB_OP_F64_NEG:
        ld(j, true, RAX, a);
        x64Reg(B, 0, true, 0x0FBA, op == WB_OP_F64_ABS ? 6 : 7, RAX); /* btr / btc rax, 63 */
        x64Byte(B, 63);
        st(j, dst, RAX);
        return true;
    case WB_OP_F32_SQRT: case WB_OP_F64_SQRT:
    case WB_OP_F64_PROMOTE_F32: case WB_OP_F32_DEMOTE_F64:
    case WB_OP_F32_CONVERT_I32_S: case WB_OP_F32_CONVERT_I64_S:
    case WB_OP_F64_CONVERT_I32_S: case WB_OP_F64_CONVERT_I64_S: {
        bool to_dbl = op == WB_OP_F64_SQRT || op == WB_OP_F64_PROMOTE_F32 ||
                      op == WB_OP_F64_CONVERT_I32_S || op == WB_OP_F64_CONVERT_I64_S;
        uint8_t p = to_dbl ? 0xF2 : 0xF3;
        uint32_t sse;
        w = false;
        switch (op) {
        case WB_OP_F32_SQRT: case WB_OP_F64_SQRT: sse = 0x0F51; break;
        case WB_OP_F64_PROMOTE_F32: p = 0xF3; sse = 0x0F5A; break; /* cvtss2sd */
        case WB_OP_F32_DEMOTE_F64: p = 0xF2; sse = 0x0F5A; break;  /* cvtsd2ss */
        default:
            sse = 0x0F2A; /* cvtsi2s[sd] */
            w = op == WB_OP_F32_CONVERT_I64_S || op == WB_OP_F64_CONVERT_I64_S;
            x64Reg(B, 0x66, false, 0x0FEF, 0, 0); /* pxor xmm0, xmm0: no false dependency */
            break;
        }
        x64Mem(B, p, w, sse, 0, RBX, X64_NONE, 1, SLOT(a));
        x64Mem(B, 0xF2, false, 0x0F11, 0, RBX, X64_NONE, 1, SLOT(dst)); /* 8 bytes, as st */
        return true;
    }
    default:
        return false;
    }
}

/* ------------------------------------------------------ memory accesses */

typedef struct MemOp {
    uint8_t size;     /* bytes accessed */
    bool is_signed;   /* loads: sign-extend */
    bool wide;        /* the slot field is 64-bit */
    bool store;
    uint8_t form;     /* 0 plain, 1 addr+imm / store const addr, 2 addr+slot / store const value, 3 load const addr */
} MemOp;

static const MemOp mem_ops[WB_XOP_COUNT] = {
#define FIELD_WIDE(field) (sizeof(((wbSlot *)0)->field) == 8)
#define SIGNED(ctype) _Generic((ctype)0, int8_t: true, int16_t: true, int32_t: true, default: false)
#define WB_LOAD(name, ctype, field, convert)                                            \
    [WB_OP_##name] = {sizeof(ctype), SIGNED(ctype), FIELD_WIDE(field), false, 0},       \
    [WB_LDI_##name] = {sizeof(ctype), SIGNED(ctype), FIELD_WIDE(field), false, 1},      \
    [WB_LDA_##name] = {sizeof(ctype), SIGNED(ctype), FIELD_WIDE(field), false, 2},      \
    [WB_LDK_##name] = {sizeof(ctype), SIGNED(ctype), FIELD_WIDE(field), false, 3},
#define WB_STORE(name, ctype, field)                                                    \
    [WB_OP_##name] = {sizeof(ctype), false, FIELD_WIDE(field), true, 0},                \
    [WB_STK_##name] = {sizeof(ctype), false, FIELD_WIDE(field), true, 1},               \
    [WB_STV_##name] = {sizeof(ctype), false, FIELD_WIDE(field), true, 2},
#include "engine/memops.def"
#undef FIELD_WIDE
#undef SIGNED
};

/* With the address (zero-extended) in rax: checks rax + offset + size
 * against the memory size, and returns the displacement to access at
 * [r12 + rax + disp]. */
static int32_t bounds(Jit *j, uint32_t offset, uint32_t size, const uint32_t *ip)
{
    if ((uint64_t)offset + size > INT32_MAX) {
        x64MovImm(B, RCX, offset);
        x64Reg(B, 0, true, 0x01, RCX, RAX); /* add rax, rcx */
        offset = 0;
    }
    x64Mem(B, 0, true, 0x8D, RCX, RAX, X64_NONE, 1, (int32_t)(offset + size)); /* lea rcx, [rax+end] */
    x64Reg(B, 0, true, 0x3B, RCX, R13);                                          /* cmp rcx, r13 */
    jcc_stub(j, CC_A, S_MSG, ip, wbTrapMemory);
    return (int32_t)offset;
}

/* The load/store opcode for an access of mo's shape. */
static void access(Jit *j, const MemOp *mo, int reg, int index, int32_t disp)
{
    if (mo->store) {
        switch (mo->size) {
        case 1: x64Mem(B, 0, false, 0x88, reg, R12, index, 1, disp); break;
        case 2: x64Mem(B, 0x66, false, 0x89, reg, R12, index, 1, disp); break;
        case 4: x64Mem(B, 0, false, 0x89, reg, R12, index, 1, disp); break;
        default: x64Mem(B, 0, true, 0x89, reg, R12, index, 1, disp); break;
        }
        return;
    }
    switch (mo->size) {
    case 1: x64Mem(B, 0, mo->wide && mo->is_signed, mo->is_signed ? 0x0FBE : 0x0FB6, reg, R12, index, 1, disp); break;
    case 2: x64Mem(B, 0, mo->wide && mo->is_signed, mo->is_signed ? 0x0FBF : 0x0FB7, reg, R12, index, 1, disp); break;
    case 4:
        if (mo->wide && mo->is_signed)
            x64Mem(B, 0, true, 0x63, reg, R12, index, 1, disp);
        else
            x64Mem(B, 0, false, 0x8B, reg, R12, index, 1, disp);
        break;
    default: x64Mem(B, 0, true, 0x8B, reg, R12, index, 1, disp); break;
    }
}

/* Loads slot v into rdx (from rax when rax holds it). */
static void value_to_rdx(Jit *j, bool w, uint32_t v)
{
    if (v == j->in_rax)
        movrr(j, RDX, RAX);
    else
        ld(j, w, RDX, v);
}

static void memory_op(Jit *j, uint32_t op, const uint32_t *ip)
{
    const MemOp *mo = &mem_ops[op];
    uint32_t x0 = j->in_x0;
    bool is_const = (mo->store && mo->form == 1) || (!mo->store && mo->form == 3);
    if (is_const) {
        uint64_t ea = (uint64_t)ip[2] | (uint64_t)ip[3] << 32;
        int32_t disp;
        int index = X64_NONE;
        if (mo->store)
            value_to_rdx(j, mo->wide, ip[1]);
        if (ea + mo->size <= INT32_MAX) {
            x64Reg(B, 0, true, 0x81, 7, R13); /* cmp r13, end */
            x64U32(B, (uint32_t)(ea + mo->size));
            jcc_stub(j, CC_B, S_MSG, ip, wbTrapMemory);
            disp = (int32_t)ea;
        } else {
            x64MovImm(B, RAX, ea);
            disp = bounds(j, 0, mo->size, ip);
            index = RAX;
        }
        if (mo->store) {
            access(j, mo, RDX, index, disp);
            j->out_x0 = x0;
            j->out_rax = index == RAX ? NO_SLOT : j->in_rax;
            j->out_wide = j->in_wide;
        } else {
            access(j, mo, RAX, index, disp);
            put(j, ip[1]);
            j->out_rax = ip[1];
            j->out_wide = mo->wide;
            j->out_x0 = unless(x0, ip[1]);
        }
        return;
    }
    if (mo->store) {
        /* [op, addr, value, offset] or [op, addr, imm..., offset] */
        uint32_t immw = mo->size == 8 ? 2 : 1;
        uint32_t offset = mo->form == 2 ? ip[2 + immw] : ip[3];
        if (mo->form != 2)
            value_to_rdx(j, mo->wide, ip[2]);
        ld_rax(j, false, ip[1]);
        int32_t disp = bounds(j, offset, mo->size, ip);
        if (mo->form == 2)
            x64MovImm(B, RDX, immw == 2 ? ((uint64_t)ip[2] | (uint64_t)ip[3] << 32) : ip[2]);
        access(j, mo, RDX, RAX, disp);
        j->out_x0 = x0;
        return;
    }
    /* loads: [op, dst, addr, offset], [op, dst, a, imm, offset], [op, dst, a, b, offset] */
    uint32_t offset = ip[3];
    if (mo->form == 2 && ip[3] == j->in_rax && ip[2] != j->in_rax) {
        x64Mem(B, 0, false, 0x03, RAX, RBX, X64_NONE, 1, SLOT(ip[2])); /* add eax, [a] */
        j->in_rax = NO_SLOT;
        offset = ip[4];
    } else {
        ld_rax(j, false, ip[2]);
        if (mo->form == 1) {
            x64Reg(B, 0, false, 0x81, 0, RAX); /* add eax, imm (wraps at 2^32) */
            x64U32(B, ip[3]);
            offset = ip[4];
        } else if (mo->form == 2) {
            x64Mem(B, 0, false, 0x03, RAX, RBX, X64_NONE, 1, SLOT(ip[3]));
            offset = ip[4];
        }
    }
    int32_t disp = bounds(j, offset, mo->size, ip);
    access(j, mo, RAX, RAX, disp);
    put(j, ip[1]);
    j->out_rax = ip[1];
    j->out_wide = mo->wide;
    j->out_x0 = unless(x0, ip[1]);
}

/* ------------------------------------------------------------- helpers */

static void helper(Jit *j, uint32_t op, const uint32_t *ip)
{
    const wbJitHelperInfo *h = &wbJitHelpers[op];
    movrr(j, RDI, R15);
    movrr(j, RSI, RBX);
    x64MovImm(B, RDX, (uint64_t)(uintptr_t)ip);
    call_abs(j, (uintptr_t)h->fn);
    if (h->flags & WB_JH_TRAPS) {
        x64Reg(B, 0, true, 0x85, RAX, RAX);
        jcc_stub(j, CC_NE, S_HELPER, ip, NULL);
    }
    if (h->flags & WB_JH_MEMORY)
        reload_memory(j);
}

/* Bit counts and the signed float-to-int truncations: [op, dst, a].
 * A truncation converts in hardware and calls the helper only when the
 * hardware says "out of range" (its result is then the most negative
 * integer), for the exact answer or the trap. False for other ops. */
static bool unop_fast(Jit *j, const uint32_t *ip)
{
    uint32_t op = ip[0], dst = ip[1], a = ip[2];
    bool w = false;
    switch (op) {
    case WB_OP_I64_CLZ: w = true; /* fall through */
    case WB_OP_I32_CLZ:
        x64MovImm(B, RCX, UINT64_MAX);
        x64Mem(B, 0, w, 0x0FBD, RAX, RBX, X64_NONE, 1, SLOT(a)); /* bsr */
        x64Reg(B, 0, w, 0x0F44, RAX, RCX);                       /* cmovz: -1 for 0 */
        x64Reg(B, 0, w, 0xF7, 3, RAX);                           /* neg */
        x64Reg(B, 0, w, 0x81, 0, RAX);                           /* add 31 / 63 */
        x64U32(B, w ? 63 : 31);
        st(j, dst, RAX);
        return true;
    case WB_OP_I64_CTZ: w = true; /* fall through */
    case WB_OP_I32_CTZ:
        x64MovImm(B, RCX, w ? 64 : 32);
        x64Mem(B, 0, w, 0x0FBC, RAX, RBX, X64_NONE, 1, SLOT(a)); /* bsf */
        x64Reg(B, 0, w, 0x0F44, RAX, RCX);                       /* cmovz */
        st(j, dst, RAX);
        return true;
    case WB_OP_I64_POPCNT: w = true; /* fall through */
    case WB_OP_I32_POPCNT:
        if (!__builtin_cpu_supports("popcnt"))
            return false;
        x64Mem(B, 0xF3, w, 0x0FB8, RAX, RBX, X64_NONE, 1, SLOT(a));
        st(j, dst, RAX);
        return true;
    case WB_OP_I32_TRUNC_F32_S: case WB_OP_I32_TRUNC_F64_S:
    case WB_OP_I64_TRUNC_F32_S: case WB_OP_I64_TRUNC_F64_S:
    case WB_OP_I32_TRUNC_SAT_F32_S: case WB_OP_I32_TRUNC_SAT_F64_S:
    case WB_OP_I64_TRUNC_SAT_F32_S: case WB_OP_I64_TRUNC_SAT_F64_S: {
        w = op == WB_OP_I64_TRUNC_F32_S || op == WB_OP_I64_TRUNC_F64_S ||
            op == WB_OP_I64_TRUNC_SAT_F32_S || op == WB_OP_I64_TRUNC_SAT_F64_S;
        bool dbl = op == WB_OP_I32_TRUNC_F64_S || op == WB_OP_I64_TRUNC_F64_S ||
                   op == WB_OP_I32_TRUNC_SAT_F64_S || op == WB_OP_I64_TRUNC_SAT_F64_S;
        x64Mem(B, dbl ? 0xF2 : 0xF3, w, 0x0F2C, RAX, RBX, X64_NONE, 1, SLOT(a)); /* cvtts?2si */
        x64Reg(B, 0, w, 0x83, 7, RAX); /* cmp eax, 1: overflows only for the minimum */
        x64Byte(B, 1);
        size_t fast = x64Jcc32(B, CC_NO);
        helper(j, op, ip);
        size_t done = x64Jmp32(B);
        x64Link(B, fast, j->b.len);
        st(j, dst, RAX);
        x64Link(B, done, j->b.len);
        return true;
    }
    default:
        return false;
    }
}

/* Calls the wb_func* in rax through wbJitCallSlow, its frame at slot base;
 * a stop in it is reported at ret_ip, the position after the call. */
static void call_slow(Jit *j, uint32_t base, const uint32_t *ret_ip)
{
    thst(j, TH(frame_top), RBP);
    thst(j, TH(fuel), R14);
    movrr(j, RDI, R15);
    x64Mem(B, 0, true, 0x8D, RSI, RBX, X64_NONE, 1, SLOT(base)); /* lea rsi, [rbx+base] */
    movrr(j, RDX, RAX);
    call_abs(j, (uintptr_t)wbJitCallSlow);
    thld(j, R14, TH(fuel));
    x64Reg(B, 0, true, 0x85, RAX, RAX);
    /* the interpreter reports a host function's trap after the call */
    jcc_stub(j, CC_NE, S_HELPER, ret_ip, NULL);
}

/* A native call of the function whose code starts at the rel32 target (or
 * in rcx when direct_fn is NO_LABEL), the wb_func* in rax. */
static void call_native(Jit *j, uint32_t direct_fn, uint32_t base, const uint32_t *ret_ip)
{
    x64MovImm(B, RDX, (uint64_t)(uintptr_t)ret_ip);
    addimm(j, RBX, SLOT(base));
    if (direct_fn != NO_LABEL) {
        size_t at = x64Call32(B);
        if (push(j, (void **)&j->calls, &j->ncalls, &j->calls_cap, sizeof *j->calls))
            j->calls[j->ncalls - 1] = (Fix){at, direct_fn};
    } else {
        x64Reg(B, 0, false, 0xFF, 2, RCX); /* call rcx */
    }
    addimm(j, RBX, -SLOT(base));
}

/* -------------------------------------------------- instruction lengths */

#define IMMW(field) ((uint32_t)sizeof(((wbSlot *)0)->field) / 4u)

static const uint8_t fixed_len[WB_XOP_COUNT] = {
#define WB_UNOP(name, in, out, fn) [WB_OP_##name] = 3,
#define WB_BINOP(name, in, out, fn) [WB_OP_##name] = 4,
#define WB_TRAP_UNOP(name, in, out, fn) [WB_OP_##name] = 3,
#define WB_TRAP_BINOP(name, in, out, fn) [WB_OP_##name] = 4,
#include "engine/numeric.def"
#define WB_BINOP(name, in, out, fn) [WB_RI_##name] = 3 + IMMW(in),
#define WB_TRAP_BINOP(name, in, out, fn) [WB_RI_##name] = 3 + IMMW(in),
#include "engine/numeric.def"
#define WB_CMP(name, in, fn)                                                       \
    [WB_BRIF_##name] = 4, [WB_BRIFI_##name] = 3 + IMMW(in), [WB_BRUN_##name] = 4, \
    [WB_BRUNI_##name] = 3 + IMMW(in), [WB_BRIFB_##name] = 4, [WB_BRIFIB_##name] = 3 + IMMW(in),
#include "engine/numeric.def"
#define WB_LOAD(name, ctype, field, convert) \
    [WB_OP_##name] = 4, [WB_LDI_##name] = 5, [WB_LDA_##name] = 5, [WB_LDK_##name] = 4,
#define WB_STORE(name, ctype, field) \
    [WB_OP_##name] = 4, [WB_STK_##name] = 4, [WB_STV_##name] = 3 + (sizeof(ctype) == 8 ? 2 : 1),
#include "engine/memops.def"
    [WB_XOP_MOV] = 3, [WB_XOP_MOV2] = 5, [WB_XOP_CONST32] = 3, [WB_XOP_CONST64] = 4,
    [WB_XOP_BR] = 2, [WB_XOP_BR_IF] = 3, [WB_XOP_BR_UNLESS] = 3, [WB_XOP_BR_BACK] = 2,
    [WB_XOP_BR_IF_BACK] = 3, [WB_XOP_CALL] = 3, [WB_XOP_CALL_INDIRECT] = 5,
    [WB_XOP_RETURN] = 1, [WB_XOP_LOOP_CHECK] = 2, [WB_XOP_UNSUPPORTED] = 1,
    [WB_OP_UNREACHABLE] = 1, [WB_OP_SELECT] = 5, [WB_OP_GLOBAL_GET] = 3, [WB_OP_GLOBAL_SET] = 3,
    [WB_OP_MEMORY_SIZE] = 2, [WB_OP_MEMORY_GROW] = 3, [WB_OP_MEMORY_FILL] = 4,
    [WB_OP_MEMORY_COPY] = 4, [WB_OP_MEMORY_INIT] = 5, [WB_OP_DATA_DROP] = 2,
    [WB_OP_TABLE_GET] = 4, [WB_OP_TABLE_SET] = 4, [WB_OP_TABLE_SIZE] = 3,
    [WB_OP_TABLE_GROW] = 5, [WB_OP_TABLE_FILL] = 5, [WB_OP_TABLE_COPY] = 6,
    [WB_OP_TABLE_INIT] = 6, [WB_OP_ELEM_DROP] = 2, [WB_OP_REF_IS_NULL] = 3,
    [WB_OP_REF_FUNC] = 3,
};

/* Words in the instruction at w (w + 1 .. readable), or 0 if unknown. */
static uint32_t instr_len(const uint32_t *w, uint32_t left)
{
    if (w[0] == WB_XOP_BR_TABLE)
        return left >= 3 ? 3 + w[2] + 1 : 0;
    return w[0] < WB_XOP_COUNT ? fixed_len[w[0]] : 0;
}

/* Which comparison a fused branch op makes, its form (0 BRIF, 1 BRIFI,
 * 2 BRUN, 3 BRUNI, 4 BRIFB, 5 BRIFIB), and its operand type. */
typedef struct Fused {
    uint16_t cmp;
    uint8_t form;
    bool wide;   /* 64-bit immediate */
    bool valid;
} Fused;

static const Fused fused[WB_XOP_COUNT] = {
#define WB_CMP(name, in, fn)                                                  \
    [WB_BRIF_##name] = {WB_OP_##name, 0, IMMW(in) == 2, true},                \
    [WB_BRIFI_##name] = {WB_OP_##name, 1, IMMW(in) == 2, true},               \
    [WB_BRUN_##name] = {WB_OP_##name, 2, IMMW(in) == 2, true},                \
    [WB_BRUNI_##name] = {WB_OP_##name, 3, IMMW(in) == 2, true},               \
    [WB_BRIFB_##name] = {WB_OP_##name, 4, IMMW(in) == 2, true},               \
    [WB_BRIFIB_##name] = {WB_OP_##name, 5, IMMW(in) == 2, true},
#include "engine/numeric.def"
};

/* Immediate forms: the wasm op they compute, and their operand width. */
typedef struct RiOp {
    uint16_t op;
    bool wide;
    bool valid;
} RiOp;

static const RiOp ri[WB_XOP_COUNT] = {
#define WB_BINOP(name, in, out, fn) [WB_RI_##name] = {WB_OP_##name, IMMW(in) == 2, true},
#define WB_TRAP_BINOP(name, in, out, fn) [WB_RI_##name] = {WB_OP_##name, IMMW(in) == 2, true},
#include "engine/numeric.def"
};

/* Numeric instructions: 1 unary [op, dst, a], 2 binary [op, dst, a, b]. */
static const uint8_t num_kind[WB_OP_COUNT] = {
#define WB_UNOP(name, in, out, fn) [WB_OP_##name] = 1,
#define WB_TRAP_UNOP(name, in, out, fn) [WB_OP_##name] = 1,
#define WB_BINOP(name, in, out, fn) [WB_OP_##name] = 2,
#define WB_TRAP_BINOP(name, in, out, fn) [WB_OP_##name] = 2,
#include "engine/numeric.def"
};

/* ------------------------------------------------------ one instruction */

static bool is_int64_op(uint32_t op)
{
    return op >= WB_OP_I64_CLZ && op <= WB_OP_I64_ROTR;
}

static void fused_branch(Jit *j, const uint32_t *ip, const Fused *f)
{
    bool imm = f->form & 1;
    Opd b = imm ? opd_imm(ip + 2, f->wide) : opd_slot(ip[2]);
    uint32_t target = ip[imm ? 2 + (f->wide ? 2 : 1) : 3];
    uint32_t x0 = j->in_x0;
    bool w;
    int cc = int_cc(f->cmp, &w);
    if (cc >= 0) {
        keep_right(j, ip[1], &b);
        ld_rax(j, w, ip[1]);
        alu(j, w, 7, b); /* cmp */
        j->out_rax = ip[1];
        j->out_wide = j->cur_wide;
        j->out_x0 = x0;
    } else {
        float_cmp(j, f->cmp, ip[1], b);
        x64Reg(B, 0, false, 0x85, RAX, RAX);
        cc = CC_NE;
        j->out_x0 = ip[1];
    }
    switch (f->form >> 1) {
    case 0: jcc(j, cc, target); break;
    case 1: jcc(j, cc ^ 1, target); break;
    default: {
        size_t skip = x64Jcc32(B, cc ^ 1);
        back_edge(j, target, ip);
        x64Link(B, skip, j->b.len);
        break;
    }
    }
}

/* An integer comparison into slot dst (0 or 1). */
static void int_compare(Jit *j, int cc, bool w, uint32_t dst, uint32_t a, Opd b)
{
    uint32_t x0 = j->in_x0;
    keep_right(j, a, &b);
    ld_rax(j, w, a);
    alu(j, w, 7, b);
    x64Reg(B, 0, false, 0x0F90 | (uint32_t)cc, 0, RAX);
    x64Reg(B, 0, false, 0x0FB6, RAX, RAX);
    put(j, dst);
    j->out_rax = dst;
    j->out_wide = false;
    j->out_x0 = unless(x0, dst);
}

/* Does the instruction at ip pop operand-stack slot s and take its value
 * from rax (so that the pending store of s is dead)? Only the templates
 * that read their operands through the register cache say yes; everything
 * else reads memory. */
static bool consumes(const uint32_t *ip, uint32_t s)
{
    uint32_t op = ip[0];
    bool w;
    uint32_t wop = op, a, b = NO_SLOT;
    if (fused[op].valid) {
        wop = fused[op].cmp;
        a = ip[1];
        if (!(fused[op].form & 1))
            b = ip[2];
    } else if (ri[op].valid) {
        wop = ri[op].op;
        a = ip[2];
    } else if (op < WB_OP_COUNT && num_kind[op] == 2) {
        a = ip[2];
        b = ip[3];
    } else if (op == WB_OP_I32_EQZ || op == WB_OP_I64_EQZ) {
        return ip[2] == s;
    } else if (op == WB_XOP_BR_IF || op == WB_XOP_BR_UNLESS || op == WB_XOP_BR_TABLE) {
        return ip[1] == s;
    } else if (mem_ops[op].size && !mem_ops[op].store && mem_ops[op].form != 3) {
        return ip[2] == s || (mem_ops[op].form == 2 && ip[3] == s);
    } else if (mem_ops[op].size && mem_ops[op].store && mem_ops[op].form != 1) {
        return ip[1] == s || (mem_ops[op].form == 0 && ip[2] == s);
    } else {
        return false;
    }
    if (a != s && b != s)
        return false;
    bool int_native = int_cc(wop, &w) >= 0;
    switch (wop) {
    case WB_OP_I32_ADD: case WB_OP_I64_ADD: case WB_OP_I32_SUB: case WB_OP_I64_SUB:
    case WB_OP_I32_MUL: case WB_OP_I64_MUL: case WB_OP_I32_AND: case WB_OP_I64_AND:
    case WB_OP_I32_OR: case WB_OP_I64_OR: case WB_OP_I32_XOR: case WB_OP_I64_XOR:
    case WB_OP_I32_SHL: case WB_OP_I64_SHL: case WB_OP_I32_SHR_S: case WB_OP_I64_SHR_S:
    case WB_OP_I32_SHR_U: case WB_OP_I64_SHR_U: case WB_OP_I32_ROTL: case WB_OP_I64_ROTL:
    case WB_OP_I32_ROTR: case WB_OP_I64_ROTR:
        int_native = true;
        break;
    default:
        break;
    }
    if (int_native)
        return true;
    bool float_native = (wop >= WB_OP_F32_EQ && wop <= WB_OP_F32_GE) ||
                        (wop >= WB_OP_F64_EQ && wop <= WB_OP_F64_GE);
    switch (wop) {
    case WB_OP_F32_ADD: case WB_OP_F64_ADD: case WB_OP_F32_SUB: case WB_OP_F64_SUB:
    case WB_OP_F32_MUL: case WB_OP_F64_MUL: case WB_OP_F32_DIV: case WB_OP_F64_DIV:
        float_native = true;
        break;
    default:
        break;
    }
    return float_native; /* through movq */
}

static bool translate_instr(Jit *j, const uint32_t *ip)
{
    uint32_t op = ip[0];
    if (fused[op].valid) {
        fused_branch(j, ip, &fused[op]);
        return true;
    }
    if (mem_ops[op].size) {
        memory_op(j, op, ip);
        return true;
    }
    if (ri[op].valid) {
        uint32_t wop = ri[op].op;
        Opd b = opd_imm(ip + 3, ri[op].wide);
        bool w;
        int cc = int_cc(wop, &w);
        if (int_binop(j, wop, is_int64_op(wop), ip[1], ip[2], b) ||
            float_binop(j, wop, ip[1], ip[2], b))
            return true;
        if (cc >= 0) {
            int_compare(j, cc, w, ip[1], ip[2], b);
            return true;
        }
        if (float_cmp(j, wop, ip[2], b)) {
            put(j, ip[1]);
            j->out_rax = ip[1];
            j->out_wide = false;
            return true;
        }
    } else if (op < WB_OP_COUNT && num_kind[op] == 2) {
        /* numeric binops and comparisons: [op, dst, a, b] */
        bool w;
        int cc = int_cc(op, &w);
        Opd b = opd_slot(ip[3]);
        if (int_binop(j, op, is_int64_op(op), ip[1], ip[2], b) || float_binop(j, op, ip[1], ip[2], b))
            return true;
        if (cc >= 0) {
            int_compare(j, cc, w, ip[1], ip[2], b);
            return true;
        }
        if (float_cmp(j, op, ip[2], b)) {
            put(j, ip[1]);
            j->out_rax = ip[1];
            j->out_wide = false;
            return true;
        }
    } else if (op < WB_OP_COUNT && num_kind[op] == 1 &&
               (unop(j, op, ip[1], ip[2]) || unop_fast(j, ip))) {
        return true;
    }

    switch (op) {
    case WB_XOP_MOV: {
        uint32_t x0 = j->in_x0;
        ld_rax(j, true, ip[2]);
        st(j, ip[1], RAX);
        j->out_rax = ip[1];
        j->out_x0 = unless(x0, ip[1]);
        return true;
    }
    case WB_XOP_MOV2: {
        uint32_t x0 = j->in_x0;
        ld_rax(j, true, ip[2]);
        st(j, ip[1], RAX);
        if (ip[4] != ip[2] && ip[4] != ip[1])
            ld(j, true, RAX, ip[4]);
        st(j, ip[3], RAX);
        j->out_rax = ip[3];
        j->out_x0 = unless(unless(x0, ip[1]), ip[3]);
        return true;
    }
    case WB_XOP_CONST32: /* 8 bytes, as st */
        x64Mem(B, 0, true, 0xC7, 0, RBX, X64_NONE, 1, SLOT(ip[1]));
        x64U32(B, ip[2]);
        j->out_rax = unless(j->in_rax, ip[1]);
        j->out_wide = j->in_wide;
        j->out_x0 = unless(j->in_x0, ip[1]);
        return true;
    case WB_XOP_CONST64: {
        uint64_t k = (uint64_t)ip[2] | (uint64_t)ip[3] << 32;
        j->out_x0 = unless(j->in_x0, ip[1]);
        if (fits_s32(k, true)) {
            x64Mem(B, 0, true, 0xC7, 0, RBX, X64_NONE, 1, SLOT(ip[1]));
            x64U32(B, (uint32_t)k);
            j->out_rax = unless(j->in_rax, ip[1]);
            j->out_wide = j->in_wide;
        } else {
            x64MovImm(B, RAX, k);
            st(j, ip[1], RAX);
            j->out_rax = ip[1];
        }
        return true;
    }
    case WB_XOP_BR:
        jump(j, ip[1]);
        return true;
    case WB_XOP_BR_IF:
    case WB_XOP_BR_UNLESS:
        if (j->in_rax == ip[1]) {
            x64Reg(B, 0, false, 0x85, RAX, RAX); /* test eax, eax */
        } else {
            x64Mem(B, 0, false, 0x83, 7, RBX, X64_NONE, 1, SLOT(ip[1]));
            x64Byte(B, 0);
        }
        jcc(j, op == WB_XOP_BR_IF ? CC_NE : CC_E, ip[2]);
        j->out_rax = j->in_rax;
        j->out_wide = j->in_wide;
        j->out_x0 = j->in_x0;
        return true;
    case WB_XOP_BR_BACK:
        back_edge(j, ip[1], ip);
        return true;
    case WB_XOP_BR_IF_BACK: {
        x64Mem(B, 0, false, 0x83, 7, RBX, X64_NONE, 1, SLOT(ip[1]));
        x64Byte(B, 0);
        size_t skip = x64Jcc32(B, CC_E);
        back_edge(j, ip[2], ip);
        x64Link(B, skip, j->b.len);
        return true;
    }
    case WB_XOP_BR_TABLE: {
        uint32_t n = ip[2];
        ld_rax(j, false, ip[1]);
        x64MovImm(B, RCX, n);
        x64Reg(B, 0, false, 0x3B, RAX, RCX);   /* cmp eax, ecx */
        x64Reg(B, 0, false, 0x0F47, RAX, RCX); /* cmova eax, ecx */
        x64Byte(B, 0x48); /* lea rcx, [rip + table] */
        x64Byte(B, 0x8D);
        x64Byte(B, 0x0D);
        size_t rel = j->b.len;
        x64U32(B, 0);
        x64Mem(B, 0, true, 0x63, RAX, RCX, RAX, 4, 0); /* movsxd rax, [rcx + rax*4] */
        x64Reg(B, 0, true, 0x01, RCX, RAX);             /* add rax, rcx */
        x64Reg(B, 0, false, 0xFF, 4, RAX);              /* jmp rax */
        size_t table = j->b.len;
        x64Link(B, rel, table);
        for (uint32_t i = 0; i <= n; i++) {
            /* entries are target - table, resolved with the jumps (a
             * negative target marks them as table entries) */
            jump_to(j, j->b.len, ip[3 + i] | 0x80000000u);
            x64U32(B, (uint32_t)table);
        }
        return true;
    }
    case WB_XOP_LOOP_CHECK:
        time_check(j, ip[1], ip);
        j->out_rax = j->in_rax;
        j->out_wide = j->in_wide;
        j->out_x0 = j->in_x0;
        return true;
    case WB_XOP_CALL: {
        uint32_t f = ip[1];
        thld(j, RAX, TH(funcs));
        x64Mem(B, 0, true, 0x8B, RAX, RAX, X64_NONE, 1, disp8(j, f));
        uint32_t nimports = j->m->nfunc_imports;
        if (f >= nimports)
            call_native(j, f - nimports, ip[2], ip + 3);
        else
            call_slow(j, ip[2], ip + 3);
        if (f < nimports || j->grows[f - nimports])
            reload_memory(j);
        return true;
    }
    case WB_XOP_CALL_INDIRECT: {
        thst(j, TH(frame_top), RBP);
        movrr(j, RDI, R15);
        movrr(j, RSI, RBX);
        x64MovImm(B, RDX, (uint64_t)(uintptr_t)ip);
        call_abs(j, (uintptr_t)wbJitResolveIndirect);
        x64Reg(B, 0, true, 0x85, RAX, RAX);
        jcc_stub(j, CC_E, S_THMSG, ip, NULL);
        /* same instance: a native call; else through wbJitCallSlow */
        x64Mem(B, 0, true, 0x8B, RCX, RAX, X64_NONE, 1, (int32_t)offsetof(wb_func, instance));
        x64Mem(B, 0, true, 0x3B, RCX, R15, X64_NONE, 1, TH(inst));
        size_t other = x64Jcc32(B, CC_NE);
        x64Mem(B, 0, true, 0x8B, RCX, RAX, X64_NONE, 1, (int32_t)offsetof(wb_func, code));
        x64Mem(B, 0, true, 0x8B, RCX, RCX, X64_NONE, 1, (int32_t)offsetof(wbCode, native));
        call_native(j, NO_LABEL, ip[4], ip + 5);
        size_t done = x64Jmp32(B);
        x64Link(B, other, j->b.len);
        call_slow(j, ip[4], ip + 5);
        x64Link(B, done, j->b.len);
        reload_memory(j);
        return true;
    }
    case WB_XOP_RETURN:
        addimm(j, RBP, -FRAME_SIZE);
        addimm(j, RSP, 8);
        x64Byte(B, 0xC3);
        return true;
    case WB_XOP_UNSUPPORTED:
        stub(j, x64Jmp32(B), S_MSG, ip, wbTrapSimd);
        return true;
    case WB_OP_UNREACHABLE:
        stub(j, x64Jmp32(B), S_MSG, ip, wbTrapUnreachable);
        return true;
    case WB_OP_SELECT: /* [op, d, a, b, c] */
        j->out_x0 = unless(j->in_x0, ip[1]);
        if (j->in_rax == ip[4]) { /* the condition is in rax: test it first */
            x64Reg(B, 0, false, 0x85, RAX, RAX);
            ld(j, true, RAX, ip[2]); /* mov keeps the flags */
            x64Mem(B, 0, true, 0x0F44, RAX, RBX, X64_NONE, 1, SLOT(ip[3]));
            st(j, ip[1], RAX);
            j->out_rax = ip[1];
            return true;
        }
        ld_rax(j, true, ip[2]);
        x64Mem(B, 0, false, 0x83, 7, RBX, X64_NONE, 1, SLOT(ip[4]));
        x64Byte(B, 0);
        x64Mem(B, 0, true, 0x0F44, RAX, RBX, X64_NONE, 1, SLOT(ip[3])); /* cmovz rax, b */
        st(j, ip[1], RAX);
        j->out_rax = ip[1];
        return true;
    case WB_OP_GLOBAL_GET:
        thld(j, RAX, TH(globals));
        x64Mem(B, 0, true, 0x8B, RAX, RAX, X64_NONE, 1, disp8(j, ip[2]));
        x64Mem(B, 0, true, 0x8B, RAX, RAX, X64_NONE, 1, (int32_t)offsetof(wb_global, value));
        st(j, ip[1], RAX);
        j->out_rax = ip[1];
        j->out_x0 = unless(j->in_x0, ip[1]);
        return true;
    case WB_OP_GLOBAL_SET:
        thld(j, RAX, TH(globals));
        x64Mem(B, 0, true, 0x8B, RAX, RAX, X64_NONE, 1, disp8(j, ip[1]));
        ld(j, true, RCX, ip[2]);
        x64Mem(B, 0, true, 0x89, RCX, RAX, X64_NONE, 1, (int32_t)offsetof(wb_global, value));
        return true;
    case WB_OP_MEMORY_SIZE:
        movrr(j, RAX, R13);
        x64Reg(B, 0, true, 0xC1, 5, RAX); /* shr rax, 16 */
        x64Byte(B, 16);
        st(j, ip[1], RAX);
        return true;
    case WB_OP_REF_FUNC:
        thld(j, RAX, TH(funcs));
        x64Mem(B, 0, true, 0x8B, RAX, RAX, X64_NONE, 1, disp8(j, ip[2]));
        st(j, ip[1], RAX);
        return true;
    default:
        break;
    }
    if (op < WB_XOP_COUNT && wbJitHelpers[op].fn) {
        helper(j, op, ip);
        return true;
    }
    return false;
}

/* -------------------------------------------------------- one function */

/* Marks every code position a jump lands on; false when the code does not
 * split into known instructions. */
static bool mark_targets(const wbCode *c, uint8_t *is_target)
{
    for (uint32_t pos = 0; pos < c->nwords;) {
        const uint32_t *ip = c->words + pos;
        uint32_t len = instr_len(ip, c->nwords - pos);
        if (!len || len > c->nwords - pos)
            return false;
        uint32_t op = ip[0], first = 0, n = 0;
        if (fused[op].valid) {
            first = (fused[op].form & 1) ? 2 + (fused[op].wide ? 2 : 1) : 3;
            n = 1;
        } else if (op == WB_XOP_BR || op == WB_XOP_BR_BACK) {
            first = 1, n = 1;
        } else if (op == WB_XOP_BR_IF || op == WB_XOP_BR_UNLESS || op == WB_XOP_BR_IF_BACK) {
            first = 2, n = 1;
        } else if (op == WB_XOP_BR_TABLE) {
            first = 3, n = ip[2] + 1;
        }
        for (uint32_t i = 0; i < n; i++) {
            if (ip[first + i] > c->nwords)
                return false;
            is_target[ip[first + i]] = 1;
        }
        pos += len;
    }
    return true;
}

static void prologue(Jit *j)
{
    const wbCode *c = j->code;
    addimm(j, RSP, -8); /* keeps rsp 16-byte aligned at calls */
    x64Mem(B, 0, true, 0x3B, RBP, R15, X64_NONE, 1, TH(frames_end)); /* cmp rbp, frames_end */
    jcc_stub(j, CC_AE, S_EXH_CALLER, NULL, wbTrapExhausted);
    x64Mem(B, 0, true, 0x8D, RCX, RBX, X64_NONE, 1, SLOT(c->frame_slots));
    x64Mem(B, 0, true, 0x3B, RCX, R15, X64_NONE, 1, TH_STACK_END);
    jcc_stub(j, CC_A, S_EXH_CALLER, NULL, wbTrapExhausted);
    x64Mem(B, 0, true, 0x3B, RSP, R15, X64_NONE, 1, TH(rsp_limit)); /* cmp rsp, limit */
    jcc_stub(j, CC_B, S_EXH_CALLER, NULL, wbTrapExhausted);
    if (c->entry_fuel > INT32_MAX)
        j->fail = true;
    if (c->entry_fuel) {
        x64Reg(B, 0, true, 0x81, 5, R14);
        x64U32(B, c->entry_fuel);
        jcc_stub(j, CC_S, S_TIME_CALLER, NULL, NULL);
    }
    x64Mem(B, 0, false, 0x83, 7, R15, X64_NONE, 1, TH_INTERRUPT);
    x64Byte(B, 0);
    jcc_stub(j, CC_NE, S_TIME_CALLER, NULL, NULL);
    /* the frame record: the wb_func* (rax), where the caller resumes (rdx), fp */
    x64Mem(B, 0, true, 0x89, RAX, RBP, X64_NONE, 1, (int32_t)offsetof(wbFrame, func));
    x64Mem(B, 0, true, 0x89, RDX, RBP, X64_NONE, 1, (int32_t)offsetof(wbFrame, ret_ip));
    x64Mem(B, 0, true, 0x89, RBX, RBP, X64_NONE, 1, (int32_t)offsetof(wbFrame, fp));
    addimm(j, RBP, FRAME_SIZE);
    uint32_t nzero = c->nlocals - c->nparams;
    if (nzero) {
        x64Reg(B, 0, false, 0x31, RAX, RAX); /* xor eax, eax */
        if (nzero <= 8) {
            for (uint32_t i = 0; i < nzero; i++)
                st(j, c->nparams + i, RAX);
        } else {
            x64Mem(B, 0, true, 0x8D, RDI, RBX, X64_NONE, 1, SLOT(c->nparams));
            x64MovImm(B, RCX, nzero);
            x64Byte(B, 0xF3); /* rep stosq */
            x64Byte(B, 0x48);
            x64Byte(B, 0xAB);
        }
    }
}

static void emit_stubs(Jit *j)
{
    for (uint32_t i = 0; i < j->nstubs; i++) {
        const Stub *s = &j->stubs[i];
        x64Link(B, s->at, j->b.len);
        switch (s->kind) {
        case S_MSG:
            x64MovImm(B, RSI, (uint64_t)(uintptr_t)s->ip);
            x64MovImm(B, RDX, (uint64_t)(uintptr_t)s->msg);
            break;
        case S_HELPER:
            movrr(j, RDX, RAX);
            x64MovImm(B, RSI, (uint64_t)(uintptr_t)s->ip);
            break;
        case S_TIME:
            x64MovImm(B, RSI, (uint64_t)(uintptr_t)s->ip);
            x64Reg(B, 0, false, 0x31, RDX, RDX);
            break;
        case S_THMSG:
            thld(j, RDX, TH(trap));
            x64MovImm(B, RSI, (uint64_t)(uintptr_t)s->ip);
            break;
        case S_EXH_CALLER: /* blame the call: the word before the return position */
            x64Mem(B, 0, true, 0x8D, RSI, RDX, X64_NONE, 1, -4);
            x64MovImm(B, RDX, (uint64_t)(uintptr_t)s->msg);
            break;
        default: /* S_TIME_CALLER: stopped at the return position */
            movrr(j, RSI, RDX);
            x64Reg(B, 0, false, 0x31, RDX, RDX);
            break;
        }
        x64Link(B, x64Jmp32(B), j->trap_exit);
    }
}

static bool translate_func(Jit *j, const wbCode *c)
{
    if (c->frame_slots > MAX_INDEX)
        return false;
    j->code = c;
    j->njumps = j->nstubs = 0;
    uint32_t *label = malloc(((size_t)c->nwords + 1) * sizeof *label);
    if (!label)
        return false;
    uint8_t *is_target = calloc((size_t)c->nwords + 1, 1);
    if (!is_target) {
        free(label);
        return false;
    }
    for (uint32_t i = 0; i <= c->nwords; i++)
        label[i] = NO_LABEL;
    j->label = label;
    j->is_target = is_target;
    bool ok = mark_targets(c, is_target);
    prologue(j);
    j->out_rax = j->out_x0 = NO_SLOT;
    j->out_wide = true;
    j->nlocals = c->nlocals;
    j->pend_slot = NO_SLOT;
    for (uint32_t pos = 0; pos < c->nwords && ok;) {
        uint32_t len = instr_len(c->words + pos, c->nwords - pos);
        if (j->pend_slot != NO_SLOT &&
            (is_target[pos] || !consumes(c->words + pos, j->pend_slot)))
            flush(j);
        j->pend_slot = NO_SLOT; /* (taken from the register) */
        label[pos] = (uint32_t)j->b.len;
        j->in_rax = is_target[pos] ? NO_SLOT : j->out_rax;
        j->in_x0 = is_target[pos] ? NO_SLOT : j->out_x0;
        j->in_wide = j->out_wide;
        j->out_rax = j->out_x0 = NO_SLOT;
        j->out_wide = true; /* unless a template knows better */
        ok = translate_instr(j, c->words + pos);
        pos += len;
    }
    flush(j);
    /* every recorded instruction start must be one we translated */
    for (uint32_t i = 0; ok && i < c->npos; i++)
        if (c->pos_map[2 * i] < c->nwords && label[c->pos_map[2 * i]] == NO_LABEL)
            ok = false;
    for (uint32_t i = 0; ok && i < j->njumps; i++) {
        const Fix *f = &j->jumps[i];
        uint32_t t = f->target & 0x7FFFFFFFu;
        if (t >= c->nwords || label[t] == NO_LABEL) {
            ok = false;
            break;
        }
        if (f->target & 0x80000000u) { /* a br_table entry: target - table */
            uint32_t table;
            if (j->b.oom)
                break;
            memcpy(&table, j->b.bytes + f->at, 4);
            x64Patch32(B, f->at, (uint32_t)((int64_t)label[t] - (int64_t)table));
        } else {
            x64Link(B, f->at, label[t]);
        }
    }
    if (ok)
        emit_stubs(j);
    free(label);
    free(is_target);
    j->label = NULL;
    j->is_target = NULL;
    return ok && !j->b.oom && !j->fail;
}

/* ------------------------------------------------- trampoline and exit */

/* enter(th = rdi, fp = rsi, target = rdx, func = rcx); see wbJitEnter. */
static void trampoline(Jit *j)
{
    static const int saved[] = {RBX, RBP, R12, R13, R14, R15};
    for (int i = 0; i < 6; i++) {
        if (saved[i] & 8)
            x64Byte(B, 0x41);
        x64Byte(B, (uint8_t)(0x50 + (saved[i] & 7)));
    }
    addimm(j, RSP, -8);
    movrr(j, R15, RDI);
    thst(j, TH(rsp), RSP);
    movrr(j, RBX, RSI);
    movrr(j, R11, RDX);
    thld(j, RBP, TH(frame_top));
    thld(j, R14, TH(fuel));
    reload_memory(j);
    movrr(j, RAX, RCX);                  /* the wb_func* */
    x64Reg(B, 0, false, 0x31, RDX, RDX); /* no caller position */
    x64Reg(B, 0, false, 0xFF, 2, R11);   /* call r11 */
    thst(j, TH(fuel), R14);
    thst(j, TH(frame_top), RBP);
    x64Reg(B, 0, false, 0x31, RAX, RAX);
    size_t exit = j->b.len;
    addimm(j, RSP, 8);
    for (int i = 5; i >= 0; i--) {
        if (saved[i] & 8)
            x64Byte(B, 0x41);
        x64Byte(B, (uint8_t)(0x58 + (saved[i] & 7)));
    }
    x64Byte(B, 0xC3);
    /* the common stop: rsi = position, rdx = trap text (NULL: out of time) */
    j->trap_exit = j->b.len;
    thld(j, RSP, TH(rsp));
    thst(j, TH(trap_ip), RSI);
    thst(j, TH(trap), RDX);
    thst(j, TH(frame_top), RBP);
    thst(j, TH(fuel), R14);
    x64MovImm(B, RAX, 1);
    x64Link(B, x64Jmp32(B), exit);
}

/* Which defined functions may change memory 0's base or size while they
 * run: by memory.grow, or by a call native code cannot see into (an import,
 * call_indirect), or by calling such a function. After a direct call of
 * any other function, the caller keeps r12 and r13 as they were. NULL when
 * the code does not split into known instructions or out of memory. */
static uint8_t *growers(const wb_module *m)
{
    uint32_t n = m->nfuncs - m->nfunc_imports, nimports = m->nfunc_imports;
    uint8_t *g = calloc(n ? n : 1, 1);
    uint32_t *ncallers = calloc((size_t)n + 1, sizeof *ncallers);
    uint32_t *edges = NULL, nedges = 0, cap = 0; /* pairs: callee, caller */
    uint32_t *work = malloc((n ? n : 1) * sizeof *work), nwork = 0;
    bool ok = g && ncallers && work;
    for (uint32_t i = 0; i < n && ok; i++) {
        const wbCode *c = &m->codes[i];
        for (uint32_t pos = 0; pos < c->nwords && ok;) {
            const uint32_t *ip = c->words + pos;
            uint32_t len = instr_len(ip, c->nwords - pos);
            if (!len || len > c->nwords - pos) {
                ok = false;
                break;
            }
            if (ip[0] == WB_OP_MEMORY_GROW || ip[0] == WB_XOP_CALL_INDIRECT ||
                (ip[0] == WB_XOP_CALL && ip[1] < nimports)) {
                g[i] = 1;
            } else if (ip[0] == WB_XOP_CALL && ip[1] - nimports < n) {
                if (nedges == cap) {
                    cap = cap ? cap * 2 : 256;
                    uint32_t *e = realloc(edges, (size_t)cap * 2 * sizeof *e);
                    if (!e) {
                        ok = false;
                        break;
                    }
                    edges = e;
                }
                edges[2 * nedges] = ip[1] - nimports;
                edges[2 * nedges + 1] = i;
                nedges++;
                ncallers[ip[1] - nimports]++;
            }
            pos += len;
        }
    }
    /* callers of each function, grouped by callee (counting sort), then
     * every caller of a grower becomes one */
    uint32_t *first = ok ? calloc((size_t)n + 1, sizeof *first) : NULL;
    uint32_t *callers = ok ? malloc((nedges ? nedges : 1) * sizeof *callers) : NULL;
    ok = ok && first && callers;
    if (ok) {
        for (uint32_t i = 0; i < n; i++)
            first[i + 1] = first[i] + ncallers[i];
        memset(ncallers, 0, (size_t)n * sizeof *ncallers);
        for (uint32_t e = 0; e < nedges; e++) {
            uint32_t callee = edges[2 * e];
            callers[first[callee] + ncallers[callee]++] = edges[2 * e + 1];
        }
        for (uint32_t i = 0; i < n; i++)
            if (g[i])
                work[nwork++] = i;
        while (nwork) {
            uint32_t f = work[--nwork];
            for (uint32_t k = first[f]; k < first[f + 1]; k++)
                if (!g[callers[k]]) {
                    g[callers[k]] = 1;
                    work[nwork++] = callers[k];
                }
        }
    }
    free(first);
    free(callers);
    free(edges);
    free(ncallers);
    free(work);
    if (!ok) {
        free(g);
        return NULL;
    }
    return g;
}

bool wbJitTranslate(const wb_module *m, x64Buf *out, size_t *enter_at, size_t *func_at)
{
    Jit j = {.m = m};
    *enter_at = 0;
    if (!(j.grows = growers(m)))
        return false;
    trampoline(&j);
    uint32_t ndefined = m->nfuncs - m->nfunc_imports;
    bool ok = true;
    for (uint32_t i = 0; i < ndefined && ok; i++) {
        while (j.b.len % 16) /* function entries 16-byte aligned */
            x64Byte(&j.b, 0x90);
        func_at[i] = j.b.len;
        ok = translate_func(&j, &m->codes[i]) && j.b.len < (1u << 30); /* rel32 reach */
    }
    for (uint32_t i = 0; ok && i < j.ncalls; i++)
        x64Link(&j.b, j.calls[i].at, func_at[j.calls[i].target]);
    ok = ok && !j.b.oom && !j.fail;
    free(j.jumps);
    free(j.stubs);
    free(j.calls);
    free(j.grows);
    if (!ok) {
        free(j.b.bytes);
        return false;
    }
    *out = j.b;
    return true;
}

#else /* not x86-64: no native tier */

bool wbJitTranslate(const wb_module *m, x64Buf *out, size_t *enter_at, size_t *func_at)
{
    (void)m, (void)out, (void)enter_at, (void)func_at;
    return false;
}

#endif
