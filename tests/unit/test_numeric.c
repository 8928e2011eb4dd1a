/*
 * test_numeric.c — the numeric instructions of engine/numeric.h at their
 * tricky points: div/rem traps and INT_MIN, shifts and rotates by counts of
 * the width and more, clz/ctz of 0, every float→int truncation at its range
 * boundaries (just inside, just outside, NaN, ±inf, -0.9 for unsigned) and
 * the saturating versions, ceil/floor/trunc/nearest (ties to even, -0),
 * min/max with ±0 and NaN, abs/neg/copysign keeping NaN payloads, NaN
 * results being quiet, int→float rounding (u64→f32 against an exact
 * reference), f64→f32 demotion. Also that engine/numeric.def lists every
 * numeric opcode of opcodes.def, with types that match its signature, and
 * that every entry runs through wbSlot fields the way the interpreter does.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/numeric.h"
#include "engine/opcodes.h"
#include "engine/runtime.h"
#include "unit.h"

#define DIV0 WB_TRAP_INT_DIV_ZERO
#define OVF WB_TRAP_INT_OVERFLOW
#define INV WB_TRAP_INVALID_CONVERSION

#define F32(bits) wbNumF32FromBits(bits)
#define F64(bits) wbNumF64FromBits(bits)
#define B32(x) wbNumF32ToBits(x)
#define B64(x) wbNumF64ToBits(x)

static bool arith_nan32(uint32_t b) { return (b & 0x7FC00000u) == 0x7FC00000u; }
static bool canon_nan32(uint32_t b) { return (b & 0x7FFFFFFFu) == 0x7FC00000u; }
static bool arith_nan64(uint64_t b)
{
    return (b & UINT64_C(0x7FF8000000000000)) == UINT64_C(0x7FF8000000000000);
}
static bool canon_nan64(uint64_t b)
{
    return (b & UINT64_C(0x7FFFFFFFFFFFFFFF)) == UINT64_C(0x7FF8000000000000);
}

/* Some NaNs: canonical, quiet with payload, signalling, each either sign. */
#define NAN32_CANON 0x7FC00000u
#define NAN32_PAYLOAD 0x7FC12345u
#define NAN32_SIGNAL 0x7FA00000u
#define NAN32_SIGNAL1 0x7F800001u
#define NAN64_CANON UINT64_C(0x7FF8000000000000)
#define NAN64_PAYLOAD UINT64_C(0x7FF8000012345678)
#define NAN64_SIGNAL UINT64_C(0x7FF4000000000000)
#define NAN64_SIGNAL1 UINT64_C(0x7FF0000000000001)

/* ------------------------------------------------------------ integers */

TEST(num_i32_div_rem)
{
    uint32_t r = 0xDEADBEEF;
    CHECK_STR(wbNumI32DivS(1, 0, &r), DIV0);
    CHECK_STR(wbNumI32DivS(0, 0, &r), DIV0);
    CHECK_STR(wbNumI32DivS(0x80000000u, 0, &r), DIV0);
    CHECK_STR(wbNumI32DivU(1, 0, &r), DIV0);
    CHECK_STR(wbNumI32RemS(1, 0, &r), DIV0);
    CHECK_STR(wbNumI32RemS(0x80000000u, 0, &r), DIV0);
    CHECK_STR(wbNumI32RemU(1, 0, &r), DIV0);
    CHECK_STR(wbNumI32DivS(0x80000000u, 0xFFFFFFFFu, &r), OVF);
    CHECK_EQ(r, 0xDEADBEEFu); /* a trap leaves *out alone */

    CHECK_STR(wbNumI32DivS(0x80000000u, 1, &r), NULL);
    CHECK_EQ(r, 0x80000000u);
    CHECK_STR(wbNumI32DivS(0x80000000u, 2, &r), NULL);
    CHECK_EQ(r, 0xC0000000u);
    CHECK_STR(wbNumI32DivS((uint32_t)-7, 2, &r), NULL); /* toward zero */
    CHECK_EQ(r, (uint32_t)-3);
    CHECK_STR(wbNumI32DivS(7, (uint32_t)-2, &r), NULL);
    CHECK_EQ(r, (uint32_t)-3);
    CHECK_STR(wbNumI32DivS(0x7FFFFFFFu, 0xFFFFFFFFu, &r), NULL);
    CHECK_EQ(r, 0x80000001u);
    CHECK_STR(wbNumI32DivU(0x80000000u, 0xFFFFFFFFu, &r), NULL);
    CHECK_EQ(r, 0u);
    CHECK_STR(wbNumI32DivU(0xFFFFFFFFu, 2, &r), NULL);
    CHECK_EQ(r, 0x7FFFFFFFu);

    CHECK_STR(wbNumI32RemS(0x80000000u, 0xFFFFFFFFu, &r), NULL);
    CHECK_EQ(r, 0u);
    CHECK_STR(wbNumI32RemS(7, 0xFFFFFFFFu, &r), NULL);
    CHECK_EQ(r, 0u);
    CHECK_STR(wbNumI32RemS((uint32_t)-7, 2, &r), NULL); /* sign of the dividend */
    CHECK_EQ(r, (uint32_t)-1);
    CHECK_STR(wbNumI32RemS(7, (uint32_t)-2, &r), NULL);
    CHECK_EQ(r, 1u);
    CHECK_STR(wbNumI32RemS(0x80000000u, 2, &r), NULL);
    CHECK_EQ(r, 0u);
    CHECK_STR(wbNumI32RemS(0x80000000u, 3, &r), NULL);
    CHECK_EQ(r, (uint32_t)-2);
    CHECK_STR(wbNumI32RemU(0x80000000u, 0xFFFFFFFFu, &r), NULL);
    CHECK_EQ(r, 0x80000000u);
    CHECK_STR(wbNumI32RemU((uint32_t)-7, 2, &r), NULL);
    CHECK_EQ(r, 1u);
}

TEST(num_i64_div_rem)
{
    const uint64_t MIN = UINT64_C(0x8000000000000000), M1 = UINT64_MAX;
    uint64_t r = 42;
    CHECK_STR(wbNumI64DivS(1, 0, &r), DIV0);
    CHECK_STR(wbNumI64DivS(MIN, 0, &r), DIV0);
    CHECK_STR(wbNumI64DivU(1, 0, &r), DIV0);
    CHECK_STR(wbNumI64RemS(1, 0, &r), DIV0);
    CHECK_STR(wbNumI64RemU(1, 0, &r), DIV0);
    CHECK_STR(wbNumI64DivS(MIN, M1, &r), OVF);
    CHECK_EQ(r, 42u);

    CHECK_STR(wbNumI64DivS(MIN, 1, &r), NULL);
    CHECK_EQ(r, MIN);
    CHECK_STR(wbNumI64DivS((uint64_t)-7, 2, &r), NULL);
    CHECK_EQ(r, (uint64_t)-3);
    CHECK_STR(wbNumI64DivU(MIN, M1, &r), NULL);
    CHECK_EQ(r, 0u);
    CHECK_STR(wbNumI64DivU(M1, 2, &r), NULL);
    CHECK_EQ(r, UINT64_C(0x7FFFFFFFFFFFFFFF));
    CHECK_STR(wbNumI64RemS(MIN, M1, &r), NULL);
    CHECK_EQ(r, 0u);
    CHECK_STR(wbNumI64RemS((uint64_t)-7, 2, &r), NULL);
    CHECK_EQ(r, (uint64_t)-1);
    CHECK_STR(wbNumI64RemS(MIN, 3, &r), NULL);
    CHECK_EQ(r, (uint64_t)-2);
    CHECK_STR(wbNumI64RemU(MIN, M1, &r), NULL);
    CHECK_EQ(r, MIN);
}

TEST(num_int_wrapping_arith)
{
    CHECK_EQ(wbNumI32Add(0x7FFFFFFFu, 1), 0x80000000u);
    CHECK_EQ(wbNumI32Sub(0x80000000u, 1), 0x7FFFFFFFu);
    CHECK_EQ(wbNumI32Mul(0x80000000u, 0xFFFFFFFFu), 0x80000000u);
    CHECK_EQ(wbNumI32Mul(0x10000u, 0x10000u), 0u);
    CHECK_EQ(wbNumI32Mul(0x01234567u, 0x76543210u), 0x358E7470u);
    CHECK_EQ(wbNumI64Add(UINT64_C(0x7FFFFFFFFFFFFFFF), 1), UINT64_C(0x8000000000000000));
    CHECK_EQ(wbNumI64Sub(0, 1), UINT64_MAX);
    CHECK_EQ(wbNumI64Mul(UINT64_C(0x0123456789ABCDEF), UINT64_C(0xFEDCBA9876543210)),
             UINT64_C(0x2236D88FE5618CF0));
    CHECK_EQ(wbNumI32And(0xF0F0F0F0u, 0xFF00FF00u), 0xF000F000u);
    CHECK_EQ(wbNumI32Or(0xF0F0F0F0u, 0x0F000000u), 0xFFF0F0F0u);
    CHECK_EQ(wbNumI32Xor(0xF0F0F0F0u, 0xFFFFFFFFu), 0x0F0F0F0Fu);
    CHECK_EQ(wbNumI64And(UINT64_MAX, 5), 5u);
    CHECK_EQ(wbNumI64Or(1, UINT64_C(0x8000000000000000)), UINT64_C(0x8000000000000001));
    CHECK_EQ(wbNumI64Xor(UINT64_MAX, 1), UINT64_MAX - 1);
}

TEST(num_shifts_rotates)
{
    /* The count is taken modulo the width. */
    CHECK_EQ(wbNumI32Shl(1, 31), 0x80000000u);
    CHECK_EQ(wbNumI32Shl(1, 32), 1u);
    CHECK_EQ(wbNumI32Shl(1, 33), 2u);
    CHECK_EQ(wbNumI32Shl(1, 0xFFFFFFFFu), 0x80000000u);
    CHECK_EQ(wbNumI32ShrU(0x80000000u, 31), 1u);
    CHECK_EQ(wbNumI32ShrU(0x80000000u, 32), 0x80000000u);
    CHECK_EQ(wbNumI32ShrU(0x80000000u, 33), 0x40000000u);
    CHECK_EQ(wbNumI32ShrS(0x80000000u, 31), 0xFFFFFFFFu);
    CHECK_EQ(wbNumI32ShrS(0x80000000u, 32), 0x80000000u);
    CHECK_EQ(wbNumI32ShrS(0x80000000u, 33), 0xC0000000u);
    CHECK_EQ(wbNumI32ShrS(0x7FFFFFFFu, 0xFFFFFFFFu), 0u);
    CHECK_EQ(wbNumI32ShrS((uint32_t)-1, 100), 0xFFFFFFFFu);
    CHECK_EQ(wbNumI32Rotl(0x80000001u, 0), 0x80000001u);
    CHECK_EQ(wbNumI32Rotl(0x80000001u, 1), 0x00000003u);
    CHECK_EQ(wbNumI32Rotl(0x80000001u, 32), 0x80000001u);
    CHECK_EQ(wbNumI32Rotl(0x80000001u, 33), 0x00000003u);
    CHECK_EQ(wbNumI32Rotl(0xABCD1234u, 0xFFFFFFFFu), 0x55E6891Au);
    CHECK_EQ(wbNumI32Rotr(0x80000001u, 0), 0x80000001u);
    CHECK_EQ(wbNumI32Rotr(0x80000001u, 1), 0xC0000000u);
    CHECK_EQ(wbNumI32Rotr(0x80000001u, 32), 0x80000001u);
    CHECK_EQ(wbNumI32Rotr(0x80000001u, 33), 0xC0000000u);
    CHECK_EQ(wbNumI32Rotr(0xABCD1234u, 0xFFFFFFFFu), 0x579A2469u);

    const uint64_t TOP = UINT64_C(0x8000000000000000);
    CHECK_EQ(wbNumI64Shl(1, 63), TOP);
    CHECK_EQ(wbNumI64Shl(1, 64), 1u);
    CHECK_EQ(wbNumI64Shl(1, 65), 2u);
    CHECK_EQ(wbNumI64Shl(1, UINT64_MAX), TOP);
    CHECK_EQ(wbNumI64Shl(1, 32), UINT64_C(0x100000000)); /* not mod 32 */
    CHECK_EQ(wbNumI64ShrU(TOP, 64), TOP);
    CHECK_EQ(wbNumI64ShrU(TOP, 65), TOP >> 1);
    CHECK_EQ(wbNumI64ShrS(TOP, 63), UINT64_MAX);
    CHECK_EQ(wbNumI64ShrS(TOP, 64), TOP);
    CHECK_EQ(wbNumI64ShrS(TOP, 65), UINT64_C(0xC000000000000000));
    CHECK_EQ(wbNumI64Rotl(TOP | 1, 1), 3u);
    CHECK_EQ(wbNumI64Rotl(TOP | 1, 64), TOP | 1);
    CHECK_EQ(wbNumI64Rotl(TOP | 1, 65), 3u);
    CHECK_EQ(wbNumI64Rotl(UINT64_C(0xABCD987602468ACE), 0x3F), UINT64_C(0x55E6CC3B01234567));
    CHECK_EQ(wbNumI64Rotr(TOP | 1, 1), UINT64_C(0xC000000000000000));
    CHECK_EQ(wbNumI64Rotr(TOP | 1, 64), TOP | 1);
    CHECK_EQ(wbNumI64Rotr(TOP | 1, 0), TOP | 1);
    CHECK_EQ(wbNumI64Rotr(UINT64_C(0xABCD987602468ACE), 0x3F), UINT64_C(0x579B30EC048D159D));
}

TEST(num_bit_counts)
{
    CHECK_EQ(wbNumI32Clz(0), 32u);
    CHECK_EQ(wbNumI32Ctz(0), 32u);
    CHECK_EQ(wbNumI32Popcnt(0), 0u);
    CHECK_EQ(wbNumI32Clz(1), 31u);
    CHECK_EQ(wbNumI32Ctz(1), 0u);
    CHECK_EQ(wbNumI32Clz(0x80000000u), 0u);
    CHECK_EQ(wbNumI32Ctz(0x80000000u), 31u);
    CHECK_EQ(wbNumI32Clz(0x00008000u), 16u);
    CHECK_EQ(wbNumI32Ctz(0x00010000u), 16u);
    CHECK_EQ(wbNumI32Popcnt(0xFFFFFFFFu), 32u);
    CHECK_EQ(wbNumI32Popcnt(0xDEADBEEFu), 24u);

    CHECK_EQ(wbNumI64Clz(0), 64u);
    CHECK_EQ(wbNumI64Ctz(0), 64u);
    CHECK_EQ(wbNumI64Popcnt(0), 0u);
    CHECK_EQ(wbNumI64Clz(1), 63u);
    CHECK_EQ(wbNumI64Ctz(UINT64_C(0x8000000000000000)), 63u);
    CHECK_EQ(wbNumI64Clz(UINT64_C(0x8000000000000000)), 0u);
    CHECK_EQ(wbNumI64Clz(UINT64_C(0x00000000FFFFFFFF)), 32u); /* not a 32-bit clz */
    CHECK_EQ(wbNumI64Ctz(UINT64_C(0x0000000100000000)), 32u);
    CHECK_EQ(wbNumI64Popcnt(UINT64_MAX), 64u);
    CHECK_EQ(wbNumI64Popcnt(UINT64_C(0xDEADBEEFDEADBEEF)), 48u);
}

TEST(num_int_compare)
{
    const uint32_t MIN = 0x80000000u;
    CHECK_EQ(wbNumI32Eqz(0), 1u);
    CHECK_EQ(wbNumI32Eqz(MIN), 0u);
    CHECK_EQ(wbNumI32Eq(MIN, MIN), 1u);
    CHECK_EQ(wbNumI32Ne(MIN, MIN), 0u);
    CHECK_EQ(wbNumI32LtS(MIN, 0), 1u);
    CHECK_EQ(wbNumI32LtU(MIN, 0), 0u);
    CHECK_EQ(wbNumI32GtS(MIN, 0), 0u);
    CHECK_EQ(wbNumI32GtU(MIN, 0), 1u);
    CHECK_EQ(wbNumI32LeS(MIN, MIN), 1u);
    CHECK_EQ(wbNumI32LeU(0xFFFFFFFFu, 0), 0u);
    CHECK_EQ(wbNumI32LeS(0xFFFFFFFFu, 0), 1u);
    CHECK_EQ(wbNumI32GeS(0, 0xFFFFFFFFu), 1u);
    CHECK_EQ(wbNumI32GeU(0, 0xFFFFFFFFu), 0u);

    const uint64_t MIN64 = UINT64_C(0x8000000000000000);
    CHECK_EQ(wbNumI64Eqz(0), 1u);
    CHECK_EQ(wbNumI64Eqz(UINT64_C(0x100000000)), 0u); /* all 64 bits count */
    CHECK_EQ(wbNumI64Eq(1, UINT64_C(0x100000001)), 0u);
    CHECK_EQ(wbNumI64Ne(1, UINT64_C(0x100000001)), 1u);
    CHECK_EQ(wbNumI64LtS(MIN64, 0), 1u);
    CHECK_EQ(wbNumI64LtU(MIN64, 0), 0u);
    CHECK_EQ(wbNumI64GtS(0, UINT64_MAX), 1u);
    CHECK_EQ(wbNumI64GtU(0, UINT64_MAX), 0u);
    CHECK_EQ(wbNumI64LeS(UINT64_MAX, 0), 1u);
    CHECK_EQ(wbNumI64LeU(UINT64_MAX, 0), 0u);
    CHECK_EQ(wbNumI64GeS(MIN64, MIN64), 1u);
    CHECK_EQ(wbNumI64GeU(MIN64, UINT64_MAX), 0u);
}

TEST(num_int_extend_wrap)
{
    CHECK_EQ(wbNumI32Extend8S(0x7F), 0x7Fu);
    CHECK_EQ(wbNumI32Extend8S(0x80), 0xFFFFFF80u);
    CHECK_EQ(wbNumI32Extend8S(0x12345680u), 0xFFFFFF80u);
    CHECK_EQ(wbNumI32Extend8S(0xFFFFFF01u), 1u);
    CHECK_EQ(wbNumI32Extend16S(0x7FFF), 0x7FFFu);
    CHECK_EQ(wbNumI32Extend16S(0x8000), 0xFFFF8000u);
    CHECK_EQ(wbNumI32Extend16S(0xABCD0001u), 1u);
    CHECK_EQ(wbNumI64Extend8S(0x80), UINT64_C(0xFFFFFFFFFFFFFF80));
    CHECK_EQ(wbNumI64Extend8S(UINT64_C(0xFFFFFFFFFFFFFF7F)), 0x7Fu);
    CHECK_EQ(wbNumI64Extend16S(0x8000), UINT64_C(0xFFFFFFFFFFFF8000));
    CHECK_EQ(wbNumI64Extend32S(0x80000000u), UINT64_C(0xFFFFFFFF80000000));
    CHECK_EQ(wbNumI64Extend32S(UINT64_C(0x123456787FFFFFFF)), 0x7FFFFFFFu);
    CHECK_EQ(wbNumI64ExtendI32S(0x80000000u), UINT64_C(0xFFFFFFFF80000000));
    CHECK_EQ(wbNumI64ExtendI32S(0x7FFFFFFFu), 0x7FFFFFFFu);
    CHECK_EQ(wbNumI64ExtendI32U(0x80000000u), 0x80000000u);
    CHECK_EQ(wbNumI64ExtendI32U(0xFFFFFFFFu), 0xFFFFFFFFu);
    CHECK_EQ(wbNumI32WrapI64(UINT64_C(0xFFFFFFFF7FFFFFFF)), 0x7FFFFFFFu);
    CHECK_EQ(wbNumI32WrapI64(UINT64_C(0x0000000100000001)), 1u);
}

/* --------------------------------------------------- float → int trunc */

typedef enum TruncOp { T_I32_F32_S, T_I32_F32_U, T_I32_F64_S, T_I32_F64_U,
                       T_I64_F32_S, T_I64_F32_U, T_I64_F64_S, T_I64_F64_U } TruncOp;

static const char *const azTruncOp[] = {
    "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
    "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u"};

static bool op_is_f32(TruncOp op) { return op == T_I32_F32_S || op == T_I32_F32_U ||
                                           op == T_I64_F32_S || op == T_I64_F32_U; }
static bool op_is_i32(TruncOp op) { return op <= T_I32_F64_U; }
static bool op_is_signed(TruncOp op) { return op == T_I32_F32_S || op == T_I32_F64_S ||
                                              op == T_I64_F32_S || op == T_I64_F64_S; }

/* The trapping truncation `op` of x (rounded to f32 first for the f32
 * ones: the tables use values exact in f32 for those); the i32 results are
 * zero-extended into *out. *out is poisoned first to see it left alone. */
static const char *trunc_trap(TruncOp op, double x, uint64_t *out)
{
    uint32_t r32 = 0xA5A5A5A5u;
    uint64_t r64 = UINT64_C(0xA5A5A5A5A5A5A5A5);
    const char *t = NULL;
    float f = op_is_f32(op) ? (float)x : 0.0f;
    switch (op) {
    case T_I32_F32_S: t = wbNumI32TruncF32S(f, &r32); break;
    case T_I32_F32_U: t = wbNumI32TruncF32U(f, &r32); break;
    case T_I32_F64_S: t = wbNumI32TruncF64S(x, &r32); break;
    case T_I32_F64_U: t = wbNumI32TruncF64U(x, &r32); break;
    case T_I64_F32_S: t = wbNumI64TruncF32S(f, &r64); break;
    case T_I64_F32_U: t = wbNumI64TruncF32U(f, &r64); break;
    case T_I64_F64_S: t = wbNumI64TruncF64S(x, &r64); break;
    case T_I64_F64_U: t = wbNumI64TruncF64U(x, &r64); break;
    }
    *out = op_is_i32(op) ? r32 : r64;
    return t;
}

static uint64_t trunc_sat(TruncOp op, double x)
{
    float f = op_is_f32(op) ? (float)x : 0.0f;
    switch (op) {
    case T_I32_F32_S: return wbNumI32TruncSatF32S(f);
    case T_I32_F32_U: return wbNumI32TruncSatF32U(f);
    case T_I32_F64_S: return wbNumI32TruncSatF64S(x);
    case T_I32_F64_U: return wbNumI32TruncSatF64U(x);
    case T_I64_F32_S: return wbNumI64TruncSatF32S(f);
    case T_I64_F32_U: return wbNumI64TruncSatF32U(f);
    case T_I64_F64_S: return wbNumI64TruncSatF64S(x);
    case T_I64_F64_U: return wbNumI64TruncSatF64U(x);
    }
    return 0;
}

typedef struct TruncCase {
    TruncOp op;
    double in;
    const char *trap; /* NULL: the result is `want` */
    uint64_t want;
} TruncCase;

#define I32(v) ((uint64_t)(uint32_t)(v))
#define I64(v) ((uint64_t)(v))

static const TruncCase aTrunc[] = {
    /* i32.trunc_f32_s: [-2^31, 2^31); the f32 below -2^31 is -2^31-256 */
    {T_I32_F32_S, 0.0, NULL, 0},
    {T_I32_F32_S, -0.0, NULL, 0},
    {T_I32_F32_S, 0x1p-149, NULL, 0},
    {T_I32_F32_S, -0x1p-149, NULL, 0},
    {T_I32_F32_S, 1.5, NULL, 1},
    {T_I32_F32_S, -1.9, NULL, I32(-1)},
    {T_I32_F32_S, 2147483520.0, NULL, 2147483520},
    {T_I32_F32_S, 2147483648.0, OVF, 0},
    {T_I32_F32_S, -2147483648.0, NULL, I32(0x80000000)},
    {T_I32_F32_S, -2147483904.0, OVF, 0},
    {T_I32_F32_S, INFINITY, OVF, 0},
    {T_I32_F32_S, -INFINITY, OVF, 0},
    {T_I32_F32_S, NAN, INV, 0},
    {T_I32_F32_S, -NAN, INV, 0},
    /* i32.trunc_f32_u: (-1, 2^32) */
    {T_I32_F32_U, -0.0, NULL, 0},
    {T_I32_F32_U, -0.9, NULL, 0},
    {T_I32_F32_U, -0x1.fffffep-1, NULL, 0},
    {T_I32_F32_U, -1.0, OVF, 0},
    {T_I32_F32_U, 1.9, NULL, 1},
    {T_I32_F32_U, 2147483648.0, NULL, 0x80000000u},
    {T_I32_F32_U, 4294967040.0, NULL, 0xFFFFFF00u},
    {T_I32_F32_U, 4294967296.0, OVF, 0},
    {T_I32_F32_U, INFINITY, OVF, 0},
    {T_I32_F32_U, -INFINITY, OVF, 0},
    {T_I32_F32_U, NAN, INV, 0},
    {T_I32_F32_U, -NAN, INV, 0},
    /* i32.trunc_f64_s: (-2^31-1, 2^31) */
    {T_I32_F64_S, -0x1p-1074, NULL, 0},
    {T_I32_F64_S, 2147483647.0, NULL, 0x7FFFFFFFu},
    {T_I32_F64_S, 2147483647.9, NULL, 0x7FFFFFFFu},
    {T_I32_F64_S, 2147483648.0, OVF, 0},
    {T_I32_F64_S, -2147483648.0, NULL, 0x80000000u},
    {T_I32_F64_S, -2147483648.9, NULL, 0x80000000u},
    {T_I32_F64_S, -2147483649.0, OVF, 0},
    {T_I32_F64_S, INFINITY, OVF, 0},
    {T_I32_F64_S, -INFINITY, OVF, 0},
    {T_I32_F64_S, NAN, INV, 0},
    {T_I32_F64_S, -NAN, INV, 0},
    /* i32.trunc_f64_u: (-1, 2^32) */
    {T_I32_F64_U, -0.9, NULL, 0},
    {T_I32_F64_U, -0x1.fffffffffffffp-1, NULL, 0},
    {T_I32_F64_U, -1.0, OVF, 0},
    {T_I32_F64_U, 1e8, NULL, 100000000},
    {T_I32_F64_U, 2147483648.0, NULL, 0x80000000u},
    {T_I32_F64_U, 4294967295.0, NULL, 0xFFFFFFFFu},
    {T_I32_F64_U, 4294967295.9, NULL, 0xFFFFFFFFu},
    {T_I32_F64_U, 4294967296.0, OVF, 0},
    {T_I32_F64_U, 1e16, OVF, 0},
    {T_I32_F64_U, 9223372036854775808.0, OVF, 0},
    {T_I32_F64_U, INFINITY, OVF, 0},
    {T_I32_F64_U, -INFINITY, OVF, 0},
    {T_I32_F64_U, NAN, INV, 0},
    {T_I32_F64_U, -NAN, INV, 0},
    /* i64.trunc_f32_s: [-2^63, 2^63) */
    {T_I64_F32_S, -0x1p-149, NULL, 0},
    {T_I64_F32_S, -4294967296.0, NULL, I64(0xFFFFFFFF00000000)},
    {T_I64_F32_S, 0x1.fffffep+62, NULL, I64(9223371487098961920)},
    {T_I64_F32_S, 0x1p63, OVF, 0},
    {T_I64_F32_S, -0x1p63, NULL, I64(0x8000000000000000)},
    {T_I64_F32_S, -0x1.000002p63, OVF, 0},
    {T_I64_F32_S, INFINITY, OVF, 0},
    {T_I64_F32_S, -INFINITY, OVF, 0},
    {T_I64_F32_S, NAN, INV, 0},
    {T_I64_F32_S, -NAN, INV, 0},
    /* i64.trunc_f32_u: (-1, 2^64) */
    {T_I64_F32_U, -0.9, NULL, 0},
    {T_I64_F32_U, -1.0, OVF, 0},
    {T_I64_F32_U, 0x1p63, NULL, I64(0x8000000000000000)},
    {T_I64_F32_U, 0x1.fffffep63, NULL, I64(0xFFFFFF0000000000)},
    {T_I64_F32_U, 0x1p64, OVF, 0},
    {T_I64_F32_U, INFINITY, OVF, 0},
    {T_I64_F32_U, -INFINITY, OVF, 0},
    {T_I64_F32_U, NAN, INV, 0},
    {T_I64_F32_U, -NAN, INV, 0},
    /* i64.trunc_f64_s: [-2^63, 2^63) */
    {T_I64_F64_S, 0x1.fffffffffffffp62, NULL, I64(0x7FFFFFFFFFFFFC00)},
    {T_I64_F64_S, 0x1p63, OVF, 0},
    {T_I64_F64_S, -0x1p63, NULL, I64(0x8000000000000000)},
    {T_I64_F64_S, -0x1.0000000000001p63, OVF, 0},
    {T_I64_F64_S, -1.9, NULL, I64(-1)},
    {T_I64_F64_S, INFINITY, OVF, 0},
    {T_I64_F64_S, -INFINITY, OVF, 0},
    {T_I64_F64_S, NAN, INV, 0},
    {T_I64_F64_S, -NAN, INV, 0},
    /* i64.trunc_f64_u: (-1, 2^64) */
    {T_I64_F64_U, -0.9, NULL, 0},
    {T_I64_F64_U, -0x1.fffffffffffffp-1, NULL, 0},
    {T_I64_F64_U, -1.0, OVF, 0},
    {T_I64_F64_U, 4294967295.0, NULL, 0xFFFFFFFFu},
    {T_I64_F64_U, 1e16, NULL, I64(10000000000000000)},
    {T_I64_F64_U, 0x1p63, NULL, I64(0x8000000000000000)},
    {T_I64_F64_U, 0x1.fffffffffffffp63, NULL, I64(0xFFFFFFFFFFFFF800)},
    {T_I64_F64_U, 0x1p64, OVF, 0},
    {T_I64_F64_U, INFINITY, OVF, 0},
    {T_I64_F64_U, -INFINITY, OVF, 0},
    {T_I64_F64_U, NAN, INV, 0},
    {T_I64_F64_U, -NAN, INV, 0},
};

TEST(num_trunc_boundaries)
{
    for (size_t i = 0; i < sizeof aTrunc / sizeof aTrunc[0]; i++) {
        const TruncCase *c = &aTrunc[i];
        /* the f32 boundary values must be written exactly */
        if (op_is_f32(c->op) && fabs(c->in) >= 0x1p24 && !isinf(c->in) &&
            (double)(float)c->in != c->in) {
            CHECKF(false, "case %zu: %a is not an f32", i, c->in);
            continue;
        }
        uint64_t got;
        const char *t = trunc_trap(c->op, c->in, &got);
        if (c->trap) {
            CHECKF(t && strcmp(t, c->trap) == 0, "%s(%a): got %s, want trap \"%s\"",
                   azTruncOp[c->op], c->in, t ? t : "no trap", c->trap);
            uint64_t poison = op_is_i32(c->op) ? 0xA5A5A5A5u : UINT64_C(0xA5A5A5A5A5A5A5A5);
            CHECKF(got == poison, "%s(%a) trapped but wrote 0x%llx", azTruncOp[c->op],
                   c->in, (unsigned long long)got);
        } else {
            CHECKF(!t && got == c->want, "%s(%a): got %s 0x%llx, want 0x%llx",
                   azTruncOp[c->op], c->in, t ? t : "", (unsigned long long)got,
                   (unsigned long long)c->want);
        }
    }
}

/* Signalling NaNs and NaN payloads trap as "invalid conversion" too. */
TEST(num_trunc_nan_payloads)
{
    const uint32_t n32[] = {NAN32_CANON, NAN32_PAYLOAD, NAN32_SIGNAL, NAN32_SIGNAL1,
                            NAN32_SIGNAL | 0x80000000u, 0xFFFFFFFFu};
    const uint64_t n64[] = {NAN64_CANON, NAN64_PAYLOAD, NAN64_SIGNAL, NAN64_SIGNAL1,
                            NAN64_SIGNAL | UINT64_C(0x8000000000000000), UINT64_MAX};
    for (size_t i = 0; i < 6; i++) {
        uint32_t r32;
        uint64_t r64;
        float f = F32(n32[i]);
        double d = F64(n64[i]);
        CHECK_STR(wbNumI32TruncF32S(f, &r32), INV);
        CHECK_STR(wbNumI32TruncF32U(f, &r32), INV);
        CHECK_STR(wbNumI64TruncF32S(f, &r64), INV);
        CHECK_STR(wbNumI64TruncF32U(f, &r64), INV);
        CHECK_STR(wbNumI32TruncF64S(d, &r32), INV);
        CHECK_STR(wbNumI32TruncF64U(d, &r32), INV);
        CHECK_STR(wbNumI64TruncF64S(d, &r64), INV);
        CHECK_STR(wbNumI64TruncF64U(d, &r64), INV);
        CHECK_EQ(wbNumI32TruncSatF32S(f), 0u);
        CHECK_EQ(wbNumI32TruncSatF32U(f), 0u);
        CHECK_EQ(wbNumI64TruncSatF32S(f), 0u);
        CHECK_EQ(wbNumI64TruncSatF32U(f), 0u);
        CHECK_EQ(wbNumI32TruncSatF64S(d), 0u);
        CHECK_EQ(wbNumI32TruncSatF64U(d), 0u);
        CHECK_EQ(wbNumI64TruncSatF64S(d), 0u);
        CHECK_EQ(wbNumI64TruncSatF64U(d), 0u);
    }
}

/* trunc_sat agrees with trunc where that does not trap; elsewhere NaN → 0
 * and out-of-range values clamp to the type's minimum or maximum. */
TEST(num_trunc_sat)
{
    for (size_t i = 0; i < sizeof aTrunc / sizeof aTrunc[0]; i++) {
        const TruncCase *c = &aTrunc[i];
        uint64_t want = c->want;
        if (c->trap && strcmp(c->trap, INV) == 0) {
            want = 0;
        } else if (c->trap) { /* OVF */
            bool neg = c->in < 0;
            if (op_is_signed(c->op))
                want = op_is_i32(c->op) ? (neg ? 0x80000000u : 0x7FFFFFFFu)
                                        : (neg ? UINT64_C(0x8000000000000000)
                                               : UINT64_C(0x7FFFFFFFFFFFFFFF));
            else
                want = neg ? 0 : op_is_i32(c->op) ? 0xFFFFFFFFu : UINT64_MAX;
        }
        uint64_t got = trunc_sat(c->op, c->in);
        CHECKF(got == want, "%s(%a) saturating: got 0x%llx, want 0x%llx",
               azTruncOp[c->op], c->in, (unsigned long long)got, (unsigned long long)want);
    }
    /* and a few by hand */
    CHECK_EQ(wbNumI32TruncSatF32S(-2147483904.0f), 0x80000000u);
    CHECK_EQ(wbNumI32TruncSatF32S(2147483648.0f), 0x7FFFFFFFu);
    CHECK_EQ(wbNumI32TruncSatF32U(-1.0f), 0u);
    CHECK_EQ(wbNumI32TruncSatF32U(-INFINITY), 0u);
    CHECK_EQ(wbNumI32TruncSatF64U(4294967296.0), 0xFFFFFFFFu);
    CHECK_EQ(wbNumI32TruncSatF64U(4294967295.9), 0xFFFFFFFFu);
    CHECK_EQ(wbNumI32TruncSatF64S(-1e300), 0x80000000u);
    CHECK_EQ(wbNumI64TruncSatF64S(1e300), UINT64_C(0x7FFFFFFFFFFFFFFF));
    CHECK_EQ(wbNumI64TruncSatF32U(INFINITY), UINT64_MAX);
    CHECK_EQ(wbNumI64TruncSatF64U(-0.9), 0u);
}

/* ------------------------------------------------- float rounding ops */

TEST(num_nearest)
{
    CHECK_EQ(B32(wbNumF32Nearest(0.5f)), B32(0.0f));
    CHECK_EQ(B32(wbNumF32Nearest(1.5f)), B32(2.0f));
    CHECK_EQ(B32(wbNumF32Nearest(2.5f)), B32(2.0f));
    CHECK_EQ(B32(wbNumF32Nearest(3.5f)), B32(4.0f));
    CHECK_EQ(B32(wbNumF32Nearest(-0.5f)), 0x80000000u); /* -0 */
    CHECK_EQ(B32(wbNumF32Nearest(-0.4f)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Nearest(-1.5f)), B32(-2.0f));
    CHECK_EQ(B32(wbNumF32Nearest(-2.5f)), B32(-2.0f));
    CHECK_EQ(B32(wbNumF32Nearest(-0.0f)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Nearest(0x1.fffffep22f)), B32(8388608.0f)); /* 8388607.5 */
    CHECK_EQ(B32(wbNumF32Nearest(8388609.0f)), B32(8388609.0f));
    CHECK_EQ(B32(wbNumF32Nearest(INFINITY)), B32(INFINITY));
    CHECK_EQ(B32(wbNumF32Nearest(-INFINITY)), B32(-INFINITY));

    CHECK_EQ(B64(wbNumF64Nearest(0.5)), B64(0.0));
    CHECK_EQ(B64(wbNumF64Nearest(1.5)), B64(2.0));
    CHECK_EQ(B64(wbNumF64Nearest(2.5)), B64(2.0));
    CHECK_EQ(B64(wbNumF64Nearest(-0.5)), UINT64_C(0x8000000000000000));
    CHECK_EQ(B64(wbNumF64Nearest(-2.5)), B64(-2.0));
    CHECK_EQ(B64(wbNumF64Nearest(4503599627370497.0)), B64(4503599627370497.0));
    CHECK_EQ(B64(wbNumF64Nearest(-4503599627370497.0)), B64(-4503599627370497.0));
    CHECK_EQ(B64(wbNumF64Nearest(0x1.fffffffffffffp51)), B64(4503599627370496.0));
    CHECK_EQ(B64(wbNumF64Nearest(0x1p-1074)), B64(0.0));
    CHECK_EQ(B64(wbNumF64Nearest(-0x1p-1074)), UINT64_C(0x8000000000000000));
}

TEST(num_ceil_floor_trunc)
{
    CHECK_EQ(B32(wbNumF32Ceil(-0.5f)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Ceil(-0.0f)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Ceil(0.5f)), B32(1.0f));
    CHECK_EQ(B32(wbNumF32Ceil(-1.5f)), B32(-1.0f));
    CHECK_EQ(B32(wbNumF32Ceil(0x1p-149f)), B32(1.0f));
    CHECK_EQ(B32(wbNumF32Floor(0.5f)), B32(0.0f));
    CHECK_EQ(B32(wbNumF32Floor(-0.5f)), B32(-1.0f));
    CHECK_EQ(B32(wbNumF32Floor(-0.0f)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Floor(-0x1p-149f)), B32(-1.0f));
    CHECK_EQ(B32(wbNumF32Trunc(-0.9f)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Trunc(1.9f)), B32(1.0f));
    CHECK_EQ(B32(wbNumF32Trunc(-8388607.5f)), B32(-8388607.0f));

    CHECK_EQ(B64(wbNumF64Ceil(-0.5)), UINT64_C(0x8000000000000000));
    CHECK_EQ(B64(wbNumF64Ceil(0x1p-1074)), B64(1.0));
    CHECK_EQ(B64(wbNumF64Floor(-0x1p-1074)), B64(-1.0));
    CHECK_EQ(B64(wbNumF64Floor(0.5)), B64(0.0));
    CHECK_EQ(B64(wbNumF64Trunc(-0.9)), UINT64_C(0x8000000000000000));
    CHECK_EQ(B64(wbNumF64Trunc(4503599627370495.5)), B64(4503599627370495.0));
    CHECK_EQ(B64(wbNumF64Ceil(INFINITY)), B64(INFINITY));
    CHECK_EQ(B64(wbNumF64Floor(-INFINITY)), B64(-INFINITY));
}

/* Every operation that makes a NaN from NaNs makes a quiet (arithmetic)
 * one; from canonical NaNs only, or from no NaN at all, a canonical one. */
TEST(num_nan_results)
{
    const uint32_t n32[] = {NAN32_CANON, NAN32_PAYLOAD, NAN32_SIGNAL, NAN32_SIGNAL1,
                            NAN32_CANON | 0x80000000u, NAN32_SIGNAL | 0x80000000u};
    const uint64_t n64[] = {NAN64_CANON, NAN64_PAYLOAD, NAN64_SIGNAL, NAN64_SIGNAL1,
                            NAN64_CANON | UINT64_C(0x8000000000000000),
                            NAN64_SIGNAL | UINT64_C(0x8000000000000000)};
    for (size_t i = 0; i < 6; i++) {
        float n = F32(n32[i]);
        bool canon = canon_nan32(n32[i]);
        uint32_t r[] = {
            B32(wbNumF32Add(n, 1.0f)), B32(wbNumF32Add(1.0f, n)), B32(wbNumF32Sub(n, 1.0f)),
            B32(wbNumF32Mul(n, 2.0f)), B32(wbNumF32Div(1.0f, n)), B32(wbNumF32Sqrt(n)),
            B32(wbNumF32Min(n, 1.0f)), B32(wbNumF32Min(-0.0f, n)), B32(wbNumF32Max(n, 1.0f)),
            B32(wbNumF32Max(INFINITY, n)), B32(wbNumF32Ceil(n)), B32(wbNumF32Floor(n)),
            B32(wbNumF32Trunc(n)), B32(wbNumF32Nearest(n)), B32(wbNumF32Min(n, n)),
            B32(wbNumF32DemoteF64(F64(n64[i]))),
        };
        for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
            CHECKF(canon ? canon_nan32(r[k]) : arith_nan32(r[k]),
                   "f32 op %zu of NaN 0x%08x gave 0x%08x", k, n32[i], r[k]);

        double d = F64(n64[i]);
        uint64_t q[] = {
            B64(wbNumF64Add(d, 1.0)), B64(wbNumF64Add(1.0, d)), B64(wbNumF64Sub(d, 1.0)),
            B64(wbNumF64Mul(d, 2.0)), B64(wbNumF64Div(1.0, d)), B64(wbNumF64Sqrt(d)),
            B64(wbNumF64Min(d, 1.0)), B64(wbNumF64Min(-0.0, d)), B64(wbNumF64Max(d, 1.0)),
            B64(wbNumF64Max(INFINITY, d)), B64(wbNumF64Ceil(d)), B64(wbNumF64Floor(d)),
            B64(wbNumF64Trunc(d)), B64(wbNumF64Nearest(d)), B64(wbNumF64Max(d, d)),
            B64(wbNumF64PromoteF32(n)),
        };
        for (size_t k = 0; k < sizeof q / sizeof q[0]; k++)
            CHECKF(canon ? canon_nan64(q[k]) : arith_nan64(q[k]),
                   "f64 op %zu of NaN 0x%016llx gave 0x%016llx", k,
                   (unsigned long long)n64[i], (unsigned long long)q[k]);
    }
    /* NaNs from non-NaN operands are canonical */
    CHECK(canon_nan32(B32(wbNumF32Div(0.0f, 0.0f))));
    CHECK(canon_nan32(B32(wbNumF32Sub(INFINITY, INFINITY))));
    CHECK(canon_nan32(B32(wbNumF32Mul(0.0f, INFINITY))));
    CHECK(canon_nan32(B32(wbNumF32Sqrt(-1.0f))));
    CHECK(canon_nan64(B64(wbNumF64Div(INFINITY, -INFINITY))));
    CHECK(canon_nan64(B64(wbNumF64Add(-INFINITY, INFINITY))));
    CHECK(canon_nan64(B64(wbNumF64Sqrt(-0x1p-1074))));
    /* sqrt(-0) is -0 */
    CHECK_EQ(B32(wbNumF32Sqrt(-0.0f)), 0x80000000u);
    CHECK_EQ(B64(wbNumF64Sqrt(-0.0)), UINT64_C(0x8000000000000000));
}

TEST(num_min_max_zero)
{
    const float PZ = 0.0f, NZ = -0.0f;
    CHECK_EQ(B32(wbNumF32Min(NZ, PZ)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Min(PZ, NZ)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Max(NZ, PZ)), 0u);
    CHECK_EQ(B32(wbNumF32Max(PZ, NZ)), 0u);
    CHECK_EQ(B32(wbNumF32Min(NZ, NZ)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32Max(PZ, PZ)), 0u);
    CHECK_EQ(B32(wbNumF32Min(1.0f, 2.0f)), B32(1.0f));
    CHECK_EQ(B32(wbNumF32Min(2.0f, 1.0f)), B32(1.0f));
    CHECK_EQ(B32(wbNumF32Max(-1.0f, -2.0f)), B32(-1.0f));
    CHECK_EQ(B32(wbNumF32Min(-INFINITY, 0x1p-149f)), B32(-INFINITY));
    CHECK_EQ(B32(wbNumF32Max(-INFINITY, -0x1.fffffep127f)), B32(-0x1.fffffep127f));

    CHECK_EQ(B64(wbNumF64Min(-0.0, 0.0)), UINT64_C(0x8000000000000000));
    CHECK_EQ(B64(wbNumF64Min(0.0, -0.0)), UINT64_C(0x8000000000000000));
    CHECK_EQ(B64(wbNumF64Max(-0.0, 0.0)), 0u);
    CHECK_EQ(B64(wbNumF64Max(0.0, -0.0)), 0u);
    CHECK_EQ(B64(wbNumF64Min(0x1p-1074, -0x1p-1074)), B64(-0x1p-1074));
    CHECK_EQ(B64(wbNumF64Max(INFINITY, 1e308)), B64(INFINITY));
}

TEST(num_abs_neg_copysign_bits)
{
    /* Pure sign-bit operations: NaN payloads and signalling bits survive. */
    const uint32_t v32[] = {NAN32_SIGNAL1, NAN32_SIGNAL, NAN32_PAYLOAD, 0x7FFFFFFFu,
                            0xFFA00001u, 0x00000001u, 0x80000000u, 0x7F800000u};
    for (size_t i = 0; i < sizeof v32 / sizeof v32[0]; i++) {
        uint32_t x = v32[i];
        CHECK_EQ(wbNumF32Abs(x), x & 0x7FFFFFFFu);
        CHECK_EQ(wbNumF32Neg(x), x ^ 0x80000000u);
        CHECK_EQ(wbNumF32Copysign(x, 0x80000000u), x | 0x80000000u);
        CHECK_EQ(wbNumF32Copysign(x, 0x7FA00000u), x & 0x7FFFFFFFu);  /* sign of a NaN */
        CHECK_EQ(wbNumF32Copysign(x, 0xFFC00000u), x | 0x80000000u);
    }
    const uint64_t S = UINT64_C(0x8000000000000000);
    const uint64_t v64[] = {NAN64_SIGNAL1, NAN64_SIGNAL, NAN64_PAYLOAD,
                            UINT64_C(0xFFF4000000000001), 1, S};
    for (size_t i = 0; i < sizeof v64 / sizeof v64[0]; i++) {
        uint64_t x = v64[i];
        CHECK_EQ(wbNumF64Abs(x), x & ~S);
        CHECK_EQ(wbNumF64Neg(x), x ^ S);
        CHECK_EQ(wbNumF64Copysign(x, S), x | S);
        CHECK_EQ(wbNumF64Copysign(x, NAN64_SIGNAL), x & ~S);
    }
    CHECK_EQ(wbNumF32Neg(0), 0x80000000u);
    CHECK_EQ(wbNumF64Neg(S), 0u);
}

TEST(num_float_compare)
{
    float n = F32(NAN32_CANON);
    CHECK_EQ(wbNumF32Eq(0.0f, -0.0f), 1u);
    CHECK_EQ(wbNumF32Ne(0.0f, -0.0f), 0u);
    CHECK_EQ(wbNumF32Lt(-0.0f, 0.0f), 0u);
    CHECK_EQ(wbNumF32Le(-0.0f, 0.0f), 1u);
    CHECK_EQ(wbNumF32Eq(n, n), 0u);
    CHECK_EQ(wbNumF32Ne(n, n), 1u);
    CHECK_EQ(wbNumF32Lt(n, 1.0f), 0u);
    CHECK_EQ(wbNumF32Gt(n, 1.0f), 0u);
    CHECK_EQ(wbNumF32Le(1.0f, n), 0u);
    CHECK_EQ(wbNumF32Ge(1.0f, n), 0u);
    CHECK_EQ(wbNumF32Gt(INFINITY, 0x1.fffffep127f), 1u);
    double d = F64(NAN64_SIGNAL);
    CHECK_EQ(wbNumF64Eq(d, d), 0u);
    CHECK_EQ(wbNumF64Ne(d, 0.0), 1u);
    CHECK_EQ(wbNumF64Lt(-INFINITY, -1e308), 1u);
    CHECK_EQ(wbNumF64Ge(-0.0, 0.0), 1u);
    CHECK_EQ(wbNumF64Gt(d, -INFINITY), 0u);
    CHECK_EQ(wbNumF64Le(0x1p-1074, 0.0), 0u);
}

/* ------------------------------------------------- int → float rounding */

/* The exact round-to-nearest-even of v to a binary float with `mant`
 * fraction bits and exponent bias `bias`, as the float's bits (v < 2^64,
 * so it never overflows either format). */
static uint64_t ref_round(uint64_t v, int mant, int bias)
{
    if (v == 0)
        return 0;
    int msb = 63;
    while (!(v >> msb))
        msb--;
    int e = msb;
    uint64_t m;
    if (msb <= mant) {
        m = v << (mant - msb);
    } else {
        int sh = msb - mant;
        uint64_t rest = v & ((UINT64_C(1) << sh) - 1), half = UINT64_C(1) << (sh - 1);
        m = v >> sh;
        if (rest > half || (rest == half && (m & 1)))
            m++;
        if (m >> (mant + 1)) { /* carried into a new bit */
            m >>= 1;
            e++;
        }
    }
    return ((uint64_t)(e + bias) << mant) | (m & ((UINT64_C(1) << mant) - 1));
}

static uint32_t ref_u64_f32(uint64_t v) { return (uint32_t)ref_round(v, 23, 127); }
static uint64_t ref_u64_f64(uint64_t v) { return ref_round(v, 52, 1023); }
static uint32_t ref_s64_f32(uint64_t v)
{
    return (v >> 63) ? ref_u64_f32(0 - v) | 0x80000000u : ref_u64_f32(v);
}
static uint64_t ref_s64_f64(uint64_t v)
{
    return (v >> 63) ? ref_u64_f64(0 - v) | UINT64_C(0x8000000000000000) : ref_u64_f64(v);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void check_convert64(uint64_t v)
{
    CHECKF(B32(wbNumF32ConvertI64U(v)) == ref_u64_f32(v),
           "f32.convert_i64_u(0x%016llx) = %a, want %a", (unsigned long long)v,
           (double)wbNumF32ConvertI64U(v), (double)F32(ref_u64_f32(v)));
    CHECKF(B64(wbNumF64ConvertI64U(v)) == ref_u64_f64(v),
           "f64.convert_i64_u(0x%016llx) = %a, want %a", (unsigned long long)v,
           wbNumF64ConvertI64U(v), F64(ref_u64_f64(v)));
    CHECKF(B32(wbNumF32ConvertI64S(v)) == ref_s64_f32(v),
           "f32.convert_i64_s(0x%016llx) = %a, want %a", (unsigned long long)v,
           (double)wbNumF32ConvertI64S(v), (double)F32(ref_s64_f32(v)));
    CHECKF(B64(wbNumF64ConvertI64S(v)) == ref_s64_f64(v),
           "f64.convert_i64_s(0x%016llx) = %a, want %a", (unsigned long long)v,
           wbNumF64ConvertI64S(v), F64(ref_s64_f64(v)));
    uint32_t w = (uint32_t)v;
    CHECKF(B32(wbNumF32ConvertI32U(w)) == ref_u64_f32(w),
           "f32.convert_i32_u(0x%08x) = %a", w, (double)wbNumF32ConvertI32U(w));
    CHECKF(B32(wbNumF32ConvertI32S(w)) == ref_s64_f32(wbNumI64ExtendI32S(w)),
           "f32.convert_i32_s(0x%08x) = %a", w, (double)wbNumF32ConvertI32S(w));
    CHECKF(B64(wbNumF64ConvertI32U(w)) == ref_u64_f64(w),
           "f64.convert_i32_u(0x%08x) = %a", w, wbNumF64ConvertI32U(w));
    CHECKF(B64(wbNumF64ConvertI32S(w)) == ref_s64_f64(wbNumI64ExtendI32S(w)),
           "f64.convert_i32_s(0x%08x) = %a", w, wbNumF64ConvertI32S(w));
}

TEST(num_convert_int_to_float)
{
    /* From the spec's conversions.wast. */
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x8000008000000001))), B32(0x1.000002p+63f));
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0xFFFFFE8000000001))), B32(0x1.fffffep+63f));
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x0020000020000001))), B32(0x1.000002p+53f));
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x7FFFFFBFFFFFFFFF))), B32(0x1.fffffep+62f));
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_MAX)), B32(0x1p64f));
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x8000000000000000))), B32(0x1p63f));
    CHECK_EQ(B32(wbNumF32ConvertI64S(UINT64_C(0x7FFFFF4000000001))), B32(0x1.fffffep+62f));
    CHECK_EQ(B32(wbNumF32ConvertI64S(UINT64_C(0x8000004000000001))), B32(-0x1.fffffep+62f));
    CHECK_EQ(B32(wbNumF32ConvertI64S(UINT64_C(0xFFDFFFFFDFFFFFFF))), B32(-0x1.000002p+53f));
    /* 2^60 + 2^39 + 1: 2^39 is four f32 ulps (2^37) there, so only the +1
     * is rounded away: 0x1.000008p+60. */
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x1000008000000001))), B32(0x1.000008p+60f));
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x1000001000000001))), B32(0x1.000002p+60f));
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x1000001000000000))), B32(0x1p+60f)); /* tie → even */
    CHECK_EQ(B32(wbNumF32ConvertI64U(UINT64_C(0x1000003000000000))), B32(0x1.000004p+60f));
    CHECK_EQ(B64(wbNumF64ConvertI64U(UINT64_C(0x8000000000000400))), B64(0x1p63));
    CHECK_EQ(B64(wbNumF64ConvertI64U(UINT64_C(0x8000000000000401))), B64(0x1.0000000000001p+63));
    CHECK_EQ(B64(wbNumF64ConvertI64U(UINT64_C(0xFFFFFFFFFFFFF400))), B64(0x1.ffffffffffffep+63));
    CHECK_EQ(B64(wbNumF64ConvertI64U(UINT64_C(0xFFFFFFFFFFFFF401))), B64(0x1.fffffffffffffp+63));
    CHECK_EQ(B64(wbNumF64ConvertI64U(UINT64_MAX)), B64(0x1p64));
    CHECK_EQ(B64(wbNumF64ConvertI64S(UINT64_C(9007199254740993))), B64(9007199254740992.0));
    CHECK_EQ(B64(wbNumF64ConvertI64S((uint64_t)-9007199254740995)), B64(-9007199254740996.0));
    CHECK_EQ(B32(wbNumF32ConvertI32S(16777217)), B32(16777216.0f));
    CHECK_EQ(B32(wbNumF32ConvertI32S((uint32_t)-16777219)), B32(-16777220.0f));
    CHECK_EQ(B32(wbNumF32ConvertI32S(0x80000000u)), B32(-2147483648.0f));
    CHECK_EQ(B32(wbNumF32ConvertI32U(0x80000080u)), B32(0x1p31f));
    CHECK_EQ(B32(wbNumF32ConvertI32U(0x80000081u)), B32(0x1.000002p+31f));
    CHECK_EQ(B32(wbNumF32ConvertI32U(0xFFFFFE80u)), B32(0x1.fffffcp+31f));
    CHECK_EQ(B32(wbNumF32ConvertI32U(0xFFFFFFFFu)), B32(0x1p32f));
    CHECK_EQ(B64(wbNumF64ConvertI32U(0xFFFFFFFFu)), B64(4294967295.0));
    CHECK_EQ(B64(wbNumF64ConvertI32S(0x80000000u)), B64(-2147483648.0));

    /* Against the exact reference: ties, just above and below ties, at
     * every magnitude, for both signs, and random values. */
    for (int top = 0; top < 64; top++) {
        uint64_t one = UINT64_C(1) << top;
        for (int sh = 1; sh <= top; sh++) {
            uint64_t half = UINT64_C(1) << (sh - 1);
            for (uint64_t m = 0; m < 4; m++) {
                uint64_t base = one | (m << sh);
                check_convert64(base);
                check_convert64(base + half);
                check_convert64(base + half + 1);
                check_convert64(base + half - 1);
                check_convert64(0 - (base + half));
                check_convert64(0 - (base + half + 1));
            }
        }
        check_convert64(one - 1);
        check_convert64(one);
    }
    uint64_t s = UINT64_C(0x9E3779B97F4A7C15);
    for (int i = 0; i < 100000; i++) {
        uint64_t v = xorshift(&s);
        check_convert64(v >> (v & 63));
        check_convert64(v);
    }
}

/* ------------------------------------------------- f64 ↔ f32 */

TEST(num_demote_promote)
{
    static const struct { double in; float want; } aDemote[] = {
        {0x1.fffffe0000000p-127, 0x1p-126f},
        {-0x1.fffffe0000000p-127, -0x1p-126f},
        {0x1.fffffdfffffffp-127, 0x1.fffffcp-127f},
        {0x1p-149, 0x1p-149f},
        {0x1.fffffd0000000p+127, 0x1.fffffcp+127f},  /* tie → even */
        {0x1.fffffd0000001p+127, 0x1.fffffep+127f},
        {0x1.fffffefffffffp+127, 0x1.fffffep+127f},  /* just below overflow */
        {0x1.ffffffp+127, INFINITY},                  /* overflow → inf */
        {-0x1.ffffffp+127, -INFINITY},
        {0x1.0000000000001p+0, 1.0f},
        {0x1.fffffffffffffp-1, 1.0f},
        {0x1.0000010000000p+0, 1.0f},                 /* tie → even */
        {0x1.0000010000001p+0, 0x1.000002p+0f},
        {0x1.000002fffffffp+0, 0x1.000002p+0f},
        {0x1.0000030000000p+0, 0x1.000004p+0f},       /* tie → even */
        {0x1.0000050000000p+0, 0x1.000004p+0f},
        {0x1.4eae4f7024c7p+108, 0x1.4eae5p+108f},
        {0x1.cb98354d521ffp-127, 0x1.cb9834p-127f},
        {-0x1.6972b30cfb562p+1, -0x1.6972b4p+1f},
        {0x1p-1022, 0.0f},
        {0x1.0p-150, 0.0f},                           /* tie → even (0) */
        {0x1.0000000000001p-150, 0x1p-149f},
        {-0x1.0000000000001p-150, -0x1p-149f},
        {INFINITY, INFINITY},
    };
    for (size_t i = 0; i < sizeof aDemote / sizeof aDemote[0]; i++)
        CHECKF(B32(wbNumF32DemoteF64(aDemote[i].in)) == B32(aDemote[i].want),
               "demote(%a) = %a, want %a", aDemote[i].in,
               (double)wbNumF32DemoteF64(aDemote[i].in), (double)aDemote[i].want);
    CHECK_EQ(B32(wbNumF32DemoteF64(-0.0)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32DemoteF64(-0x1p-1074)), 0x80000000u);
    CHECK_EQ(B32(wbNumF32DemoteF64(-0x1.0p-150)), 0x80000000u);

    CHECK_EQ(B64(wbNumF64PromoteF32(0x1p-149f)), B64(0x1p-149));
    CHECK_EQ(B64(wbNumF64PromoteF32(-0.0f)), UINT64_C(0x8000000000000000));
    CHECK_EQ(B64(wbNumF64PromoteF32(0x1.fffffep+127f)), B64(0x1.fffffep+127));
    CHECK_EQ(B64(wbNumF64PromoteF32(-INFINITY)), B64(-INFINITY));
    /* NaN results are covered in num_nan_results: canonical stays
     * canonical, others come out quiet. */
}

TEST(num_reinterpret)
{
    CHECK_EQ(wbNumI32ReinterpretF32(NAN32_SIGNAL1), NAN32_SIGNAL1);
    CHECK_EQ(wbNumF32ReinterpretI32(0xFFFFFFFFu), 0xFFFFFFFFu);
    CHECK_EQ(wbNumI64ReinterpretF64(NAN64_SIGNAL1), NAN64_SIGNAL1);
    CHECK_EQ(wbNumF64ReinterpretI64(UINT64_MAX), UINT64_MAX);
    CHECK_EQ(B32(1.0f), 0x3F800000u);
    CHECK_EQ(B64(-0.0), UINT64_C(0x8000000000000000));
    CHECK(F32(0x7F800000u) == INFINITY);
    CHECK(F64(UINT64_C(0x3FF0000000000000)) == 1.0);
}

/* ------------------------------------------------- numeric.def */

/* What numeric.def says of each opcode, indexed by wbOp. */
typedef struct NumEntry {
    const char *kind; /* "UNOP", ..., or NULL when not listed */
    const char *in, *out, *fn;
} NumEntry;

static const NumEntry aNum[WB_OP_COUNT] = {
#define WB_UNOP(name, in, out, fn) [WB_OP_##name] = {"UNOP", #in, #out, #fn},
#define WB_BINOP(name, in, out, fn) [WB_OP_##name] = {"BINOP", #in, #out, #fn},
#define WB_TRAP_UNOP(name, in, out, fn) [WB_OP_##name] = {"TRAP_UNOP", #in, #out, #fn},
#define WB_TRAP_BINOP(name, in, out, fn) [WB_OP_##name] = {"TRAP_BINOP", #in, #out, #fn},
#include "engine/numeric.def"
};

/* Which opcodes are SIMD: the WB_OPFD lines of opcodes.def. */
static const bool aIsSimd[WB_OP_COUNT] = {
#define WB_OPFD(name, code, imm, sig, bytes, text) [WB_OP_##name] = true,
#include "engine/opcodes.def"
};

/* Compile-time: each function has exactly the type the interpreter's use
 * of it assumes (slot field types in, slot field type out). */
typedef uint32_t NumT_i32;
typedef uint64_t NumT_i64;
typedef float NumT_f32;
typedef double NumT_f64;
#define WB_UNOP(name, in, out, fn)                                                  \
    _Static_assert(_Generic(&fn, NumT_##out (*)(NumT_##in): 1, default: 0),         \
                   #name ": " #fn " is not " #out "(" #in ")");
#define WB_BINOP(name, in, out, fn)                                                 \
    _Static_assert(_Generic(&fn, NumT_##out (*)(NumT_##in, NumT_##in): 1, default: 0), \
                   #name ": " #fn " is not " #out "(" #in ", " #in ")");
#define WB_TRAP_UNOP(name, in, out, fn)                                             \
    _Static_assert(_Generic(&fn, const char *(*)(NumT_##in, NumT_##out *): 1,        \
                            default: 0),                                            \
                   #name ": " #fn " is not const char *(" #in ", " #out " *)");
#define WB_TRAP_BINOP(name, in, out, fn)                                            \
    _Static_assert(_Generic(&fn, const char *(*)(NumT_##in, NumT_##in, NumT_##out *): 1, \
                            default: 0),                                            \
                   #name ": " #fn " is not const char *(" #in ", " #in ", " #out " *)");
#include "engine/numeric.def"

/* A wasm type letter of a signature ("i", "l", "f", "d") and the slot field
 * numeric.def gives for it: the same type, or for the raw-bits entries the
 * integer field of the same width. */
static bool field_fits(char letter, const char *field, bool *bits)
{
    static const char azLetter[] = "ilfd";
    static const char *const azField[] = {"i32", "i64", "f32", "f64"};
    const char *p = strchr(azLetter, letter);
    if (!letter || !p)
        return false;
    int k = (int)(p - azLetter);
    if (strcmp(field, azField[k]) == 0)
        return true;
    if ((letter == 'f' && strcmp(field, "i32") == 0) ||
        (letter == 'd' && strcmp(field, "i64") == 0)) {
        *bits = true;
        return true;
    }
    return false;
}

TEST(num_def_covers_opcodes)
{
    size_t nListed = 0, nWanted = 0, nBits = 0;
    size_t nKind[4] = {0};
    static const char *const azKind[] = {"UNOP", "BINOP", "TRAP_UNOP", "TRAP_BINOP"};
    for (int op = 0; op < WB_OP_COUNT; op++) {
        const wbOpInfo *info = &wbOpInfos[op];
        const char *sig = info->sig;
        const char *colon = strchr(sig, ':');
        /* plain numeric: not SIMD, no immediates (so no const, no memory.*),
         * no memory access, some operands and some results */
        bool wanted = !aIsSimd[op] && info->imm == NONE && info->bytes == 0 && colon &&
                      colon != sig && colon[1] != '\0';
        const NumEntry *e = &aNum[op];
        nWanted += wanted;
        nListed += e->kind != NULL;
        if (!CHECKF(wanted == (e->kind != NULL), "%s (sig \"%s\") is %s numeric.def",
                    info->text, sig, e->kind ? "wrongly in" : "missing from"))
            continue;
        if (!wanted)
            continue;
        size_t nparam = (size_t)(colon - sig);
        bool unary = strcmp(e->kind, "UNOP") == 0 || strcmp(e->kind, "TRAP_UNOP") == 0;
        for (int k = 0; k < 4; k++)
            nKind[k] += strcmp(e->kind, azKind[k]) == 0;
        CHECKF(nparam == (unary ? 1u : 2u), "%s: %s but sig \"%s\"", info->text, e->kind, sig);
        CHECKF(strlen(colon + 1) == 1, "%s: sig \"%s\" has several results", info->text, sig);
        bool bits = false;
        for (size_t k = 0; k < nparam; k++)
            CHECKF(field_fits(sig[k], e->in, &bits), "%s: IN %s for sig \"%s\"", info->text,
                   e->in, sig);
        CHECKF(field_fits(colon[1], e->out, &bits), "%s: OUT %s for sig \"%s\"", info->text,
               e->out, sig);
        /* Only these work on raw bits. */
        bool want_bits = strstr(info->text, ".abs") || strstr(info->text, ".neg") ||
                         strstr(info->text, ".copysign") || strstr(info->text, ".reinterpret");
        CHECKF(bits == want_bits, "%s: %s on raw bits", info->text, bits ? "wrongly" : "not");
        nBits += bits;
        /* Trapping: integer div/rem and the non-saturating truncations. */
        bool want_trap = strstr(info->text, ".div_") || strstr(info->text, ".rem_") ||
                         (strstr(info->text, ".trunc_f") != NULL);
        CHECKF((strncmp(e->kind, "TRAP_", 5) == 0) == want_trap, "%s: %s", info->text, e->kind);
        /* Naming: wbNum + CamelCase of the opcode name, e.g. wbNumI32TruncSatF32S. */
        char want_fn[64] = "wbNum";
        size_t n = 5;
        bool up = true;
        for (const char *t = info->text; *t && n + 1 < sizeof want_fn; t++) {
            if (*t == '.' || *t == '_') {
                up = true;
                continue;
            }
            want_fn[n++] = up && *t >= 'a' && *t <= 'z' ? (char)(*t - 'a' + 'A') : *t;
            up = false;
        }
        want_fn[n] = '\0';
        CHECKF(strcmp(e->fn, want_fn) == 0, "%s: function %s, expected %s", info->text, e->fn,
               want_fn);
    }
    CHECK_EQ(nListed, nWanted);
    CHECK_EQ(nWanted, 136u);
    CHECK_EQ(nBits, 10u);
    CHECK_EQ(nKind[0], 52u); /* UNOP */
    CHECK_EQ(nKind[1], 68u); /* BINOP */
    CHECK_EQ(nKind[2], 8u);  /* TRAP_UNOP */
    CHECK_EQ(nKind[3], 8u);  /* TRAP_BINOP */
}

/* Runs numeric opcode `op` the way the interpreter does: operands in
 * fp[1] (and fp[2]), result to fp[0]. Returns the trap text or NULL. */
static const char *run(wbOp op, wbSlot *fp)
{
    const char *trap = NULL;
    switch (op) {
#define WB_UNOP(name, in, out, fn) case WB_OP_##name: fp[0].out = fn(fp[1].in); break;
#define WB_BINOP(name, in, out, fn) case WB_OP_##name: fp[0].out = fn(fp[1].in, fp[2].in); break;
#define WB_TRAP_UNOP(name, in, out, fn) \
    case WB_OP_##name: if ((trap = fn(fp[1].in, &fp[0].out))) goto trap; break;
#define WB_TRAP_BINOP(name, in, out, fn) \
    case WB_OP_##name: if ((trap = fn(fp[1].in, fp[2].in, &fp[0].out))) goto trap; break;
#include "engine/numeric.def"
    default:
        return "not numeric";
    }
    return NULL;
trap:
    return trap;
}

TEST(num_def_through_slots)
{
    wbSlot fp[3];

    /* f32.neg on a slot holding a signalling NaN written as f32 bits */
    memset(fp, 0, sizeof fp);
    fp[1].i32 = NAN32_SIGNAL1;
    CHECK(run(WB_OP_F32_NEG, fp) == NULL);
    CHECK_EQ(fp[0].i32, NAN32_SIGNAL1 | 0x80000000u);

    fp[1].f32 = 1.5f;
    CHECK(run(WB_OP_F32_NEG, fp) == NULL);
    CHECK(fp[0].f32 == -1.5f);

    fp[1].f64 = -2.5;
    CHECK(run(WB_OP_F64_ABS, fp) == NULL);
    CHECK(fp[0].f64 == 2.5);

    fp[1].f32 = 3.0f;
    fp[2].f32 = -0.0f;
    CHECK(run(WB_OP_F32_COPYSIGN, fp) == NULL);
    CHECK(fp[0].f32 == -3.0f);

    fp[1].f32 = 2.5f;
    fp[2].f32 = 2.5f;
    CHECK(run(WB_OP_F32_EQ, fp) == NULL);
    CHECK_EQ(fp[0].i32, 1u);

    fp[1].f64 = 4294967295.9;
    CHECK(run(WB_OP_I32_TRUNC_F64_U, fp) == NULL);
    CHECK_EQ(fp[0].i32, 0xFFFFFFFFu);
    fp[1].f64 = -1.0;
    CHECK_STR(run(WB_OP_I32_TRUNC_F64_U, fp), OVF);
    CHECK_STR(run(WB_OP_I64_TRUNC_F64_S, fp), NULL);
    CHECK_EQ(fp[0].i64, UINT64_MAX);

    fp[1].i32 = 0x80000000u;
    fp[2].i32 = 0xFFFFFFFFu;
    CHECK_STR(run(WB_OP_I32_DIV_S, fp), OVF);
    CHECK_STR(run(WB_OP_I32_REM_S, fp), NULL);
    CHECK_EQ(fp[0].i32, 0u);
    fp[2].i32 = 0;
    CHECK_STR(run(WB_OP_I32_REM_U, fp), DIV0);

    fp[1].f32 = 0.75f;
    CHECK(run(WB_OP_F64_PROMOTE_F32, fp) == NULL);
    CHECK(fp[0].f64 == 0.75);
    fp[1].i64 = UINT64_C(0x8000008000000001);
    CHECK(run(WB_OP_F32_CONVERT_I64_U, fp) == NULL);
    CHECK(fp[0].f32 == 0x1.000002p+63f);
    fp[1].f64 = 1.0;
    CHECK(run(WB_OP_I64_REINTERPRET_F64, fp) == NULL);
    CHECK_EQ(fp[0].i64, UINT64_C(0x3FF0000000000000));

    /* Every listed opcode runs; only the trapping kinds may trap, and only
     * with one of the three texts. */
    for (int op = 0; op < WB_OP_COUNT; op++) {
        if (!aNum[op].kind)
            continue;
        static const uint64_t inputs[] = {0, 1, UINT64_MAX, UINT64_C(0x8000000000000000),
                                          UINT64_C(0x7FC000007FC00000), UINT64_C(0x4150000041500000)};
        for (size_t a = 0; a < 6; a++) {
            for (size_t b = 0; b < 6; b++) {
                fp[1].i64 = inputs[a];
                fp[2].i64 = inputs[b];
                const char *t = run((wbOp)op, fp);
                bool may_trap = strncmp(aNum[op].kind, "TRAP_", 5) == 0;
                CHECKF(!t || (may_trap && (strcmp(t, DIV0) == 0 || strcmp(t, OVF) == 0 ||
                                           strcmp(t, INV) == 0)),
                       "%s trapped with \"%s\"", wbOpInfos[op].text, t);
            }
        }
    }
    CHECK_STR(run(WB_OP_I32_LOAD, fp), "not numeric");
}
