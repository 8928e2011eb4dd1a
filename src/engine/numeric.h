/*
 * numeric.h — the exact semantics of every non-SIMD WebAssembly 2.0 numeric
 * instruction (the spec's "Numerics" chapter), one static inline function per
 * instruction, named wbNum + the CamelCase of its opcodes.def name
 * (I32_DIV_S → wbNumI32DivS, F32_CONVERT_I64_U → wbNumF32ConvertI64U).
 * numeric.def says which function runs which opcode in the interpreter.
 *
 * Value representation
 *   i32 / i64   uint32_t / uint64_t. Signed operations look at the same bits
 *               through int32_t / int64_t. Nothing here is undefined
 *               behaviour: no signed overflow (arithmetic is done unsigned),
 *               shift counts are taken modulo the width, INT_MIN / -1 is
 *               checked before dividing. It relies on what GCC and Clang
 *               document for the implementation-defined parts: converting an
 *               out-of-range unsigned value to a signed type wraps modulo
 *               2^N, and >> of a negative signed value shifts in sign bits.
 *   f32 / f64   float / double (IEEE 754 binary32 / binary64, evaluated in
 *               their own precision: FLT_EVAL_METHOD 0, as on x86-64 SSE and
 *               AArch64), in the default rounding mode (to nearest, ties to
 *               even).
 *   raw bits    abs, neg, copysign and the reinterpretations must not touch a
 *               NaN's payload or quiet bit, which passing a float through a
 *               C value may (x87 loads quieten signalling NaNs). They take
 *               and return the IEEE bit patterns as uint32_t / uint64_t and
 *               are pure integer operations. The reinterpretations are then
 *               identities: the interpreter's slot already holds the bits.
 *               wbNumF32ToBits etc. convert between a C float and its bits
 *               (memcpy) for everyone else.
 *
 * NaNs. Where the spec lets a result be "any NaN" it must still be an
 * arithmetic NaN (quiet bit set), and a canonical NaN when every NaN operand
 * was canonical. IEEE 754 arithmetic delivers a quiet NaN for an invalid
 * operation and quietens a signalling operand while keeping its payload
 * (x86-64 SSE and AArch64 do both), so add/sub/mul/div/sqrt, promote and
 * demote use the hardware operation directly. min, max and the rounding
 * functions return a NaN operand with its quiet bit set by hand
 * (wbNumF32Quiet): neither a libm routine nor an `x + y` is trusted with
 * it, as a compiler may fold `-0.0 + x` to `x` and so keep a signalling
 * NaN signalling.
 *
 * Traps. The operations that can trap (integer div/rem, float→int trunc)
 * have the form
 *     const char *wbNumI32DivS(uint32_t a, uint32_t b, uint32_t *out);
 * returning NULL with the result in *out, or the spec's trap text (one of
 * the WB_TRAP_* strings below) leaving *out untouched.
 *
 * Only <math.h>, <stdint.h>, <string.h> and <stdbool.h>; no globals.
 */
#ifndef WB_NUMERIC_H
#define WB_NUMERIC_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Clang warns of unused static inline functions in a main file, which this
 * header is when compiled on its own to check it. */
#ifdef __clang__
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunused-function"
#endif

#define WB_TRAP_INT_DIV_ZERO "integer divide by zero"
#define WB_TRAP_INT_OVERFLOW "integer overflow"
#define WB_TRAP_INVALID_CONVERSION "invalid conversion to integer"

/* ------------------------------------------------------------------ bits */

static inline uint32_t wbNumF32ToBits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline float wbNumF32FromBits(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static inline uint64_t wbNumF64ToBits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double wbNumF64FromBits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* A NaN with its quiet bit set: canonical stays canonical, payload kept. */
static inline float wbNumF32Quiet(float x)
{
    return wbNumF32FromBits(wbNumF32ToBits(x) | UINT32_C(0x00400000));
}

static inline double wbNumF64Quiet(double x)
{
    return wbNumF64FromBits(wbNumF64ToBits(x) | UINT64_C(0x0008000000000000));
}

/* ------------------------------------------------------------------ i32 */

static inline uint32_t wbNumI32Eqz(uint32_t a) { return a == 0; }
static inline uint32_t wbNumI32Eq(uint32_t a, uint32_t b) { return a == b; }
static inline uint32_t wbNumI32Ne(uint32_t a, uint32_t b) { return a != b; }
static inline uint32_t wbNumI32LtS(uint32_t a, uint32_t b) { return (int32_t)a < (int32_t)b; }
static inline uint32_t wbNumI32LtU(uint32_t a, uint32_t b) { return a < b; }
static inline uint32_t wbNumI32GtS(uint32_t a, uint32_t b) { return (int32_t)a > (int32_t)b; }
static inline uint32_t wbNumI32GtU(uint32_t a, uint32_t b) { return a > b; }
static inline uint32_t wbNumI32LeS(uint32_t a, uint32_t b) { return (int32_t)a <= (int32_t)b; }
static inline uint32_t wbNumI32LeU(uint32_t a, uint32_t b) { return a <= b; }
static inline uint32_t wbNumI32GeS(uint32_t a, uint32_t b) { return (int32_t)a >= (int32_t)b; }
static inline uint32_t wbNumI32GeU(uint32_t a, uint32_t b) { return a >= b; }

static inline uint32_t wbNumI32Clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
static inline uint32_t wbNumI32Ctz(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32; }
static inline uint32_t wbNumI32Popcnt(uint32_t a) { return (uint32_t)__builtin_popcount(a); }

static inline uint32_t wbNumI32Add(uint32_t a, uint32_t b) { return a + b; }
static inline uint32_t wbNumI32Sub(uint32_t a, uint32_t b) { return a - b; }
static inline uint32_t wbNumI32Mul(uint32_t a, uint32_t b) { return a * b; }

static inline const char *wbNumI32DivS(uint32_t a, uint32_t b, uint32_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    if (a == UINT32_C(0x80000000) && b == UINT32_MAX)
        return WB_TRAP_INT_OVERFLOW; /* -2^31 / -1 = 2^31 does not fit */
    *out = (uint32_t)((int32_t)a / (int32_t)b);
    return NULL;
}

static inline const char *wbNumI32DivU(uint32_t a, uint32_t b, uint32_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    *out = a / b;
    return NULL;
}

static inline const char *wbNumI32RemS(uint32_t a, uint32_t b, uint32_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    /* x % -1 is 0 for every x; in C, INT_MIN % -1 is undefined. */
    *out = b == UINT32_MAX ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
    return NULL;
}

static inline const char *wbNumI32RemU(uint32_t a, uint32_t b, uint32_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    *out = a % b;
    return NULL;
}

static inline uint32_t wbNumI32And(uint32_t a, uint32_t b) { return a & b; }
static inline uint32_t wbNumI32Or(uint32_t a, uint32_t b) { return a | b; }
static inline uint32_t wbNumI32Xor(uint32_t a, uint32_t b) { return a ^ b; }
static inline uint32_t wbNumI32Shl(uint32_t a, uint32_t b) { return a << (b & 31); }
static inline uint32_t wbNumI32ShrS(uint32_t a, uint32_t b) { return (uint32_t)((int32_t)a >> (b & 31)); }
static inline uint32_t wbNumI32ShrU(uint32_t a, uint32_t b) { return a >> (b & 31); }

static inline uint32_t wbNumI32Rotl(uint32_t a, uint32_t b)
{
    b &= 31;
    return (a << b) | (a >> ((32 - b) & 31));
}

static inline uint32_t wbNumI32Rotr(uint32_t a, uint32_t b)
{
    b &= 31;
    return (a >> b) | (a << ((32 - b) & 31));
}

static inline uint32_t wbNumI32Extend8S(uint32_t a) { return ((a & 0xFFu) ^ 0x80u) - 0x80u; }
static inline uint32_t wbNumI32Extend16S(uint32_t a) { return ((a & 0xFFFFu) ^ 0x8000u) - 0x8000u; }
static inline uint32_t wbNumI32WrapI64(uint64_t a) { return (uint32_t)a; }

/* ------------------------------------------------------------------ i64 */

static inline uint32_t wbNumI64Eqz(uint64_t a) { return a == 0; }
static inline uint32_t wbNumI64Eq(uint64_t a, uint64_t b) { return a == b; }
static inline uint32_t wbNumI64Ne(uint64_t a, uint64_t b) { return a != b; }
static inline uint32_t wbNumI64LtS(uint64_t a, uint64_t b) { return (int64_t)a < (int64_t)b; }
static inline uint32_t wbNumI64LtU(uint64_t a, uint64_t b) { return a < b; }
static inline uint32_t wbNumI64GtS(uint64_t a, uint64_t b) { return (int64_t)a > (int64_t)b; }
static inline uint32_t wbNumI64GtU(uint64_t a, uint64_t b) { return a > b; }
static inline uint32_t wbNumI64LeS(uint64_t a, uint64_t b) { return (int64_t)a <= (int64_t)b; }
static inline uint32_t wbNumI64LeU(uint64_t a, uint64_t b) { return a <= b; }
static inline uint32_t wbNumI64GeS(uint64_t a, uint64_t b) { return (int64_t)a >= (int64_t)b; }
static inline uint32_t wbNumI64GeU(uint64_t a, uint64_t b) { return a >= b; }

static inline uint64_t wbNumI64Clz(uint64_t a)
{
    return a ? (uint64_t)__builtin_clzll((unsigned long long)a) : 64;
}

static inline uint64_t wbNumI64Ctz(uint64_t a)
{
    return a ? (uint64_t)__builtin_ctzll((unsigned long long)a) : 64;
}

static inline uint64_t wbNumI64Popcnt(uint64_t a)
{
    return (uint64_t)__builtin_popcountll((unsigned long long)a);
}

static inline uint64_t wbNumI64Add(uint64_t a, uint64_t b) { return a + b; }
static inline uint64_t wbNumI64Sub(uint64_t a, uint64_t b) { return a - b; }
static inline uint64_t wbNumI64Mul(uint64_t a, uint64_t b) { return a * b; }

static inline const char *wbNumI64DivS(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    if (a == UINT64_C(0x8000000000000000) && b == UINT64_MAX)
        return WB_TRAP_INT_OVERFLOW;
    *out = (uint64_t)((int64_t)a / (int64_t)b);
    return NULL;
}

static inline const char *wbNumI64DivU(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    *out = a / b;
    return NULL;
}

static inline const char *wbNumI64RemS(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    *out = b == UINT64_MAX ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
    return NULL;
}

static inline const char *wbNumI64RemU(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b == 0)
        return WB_TRAP_INT_DIV_ZERO;
    *out = a % b;
    return NULL;
}

static inline uint64_t wbNumI64And(uint64_t a, uint64_t b) { return a & b; }
static inline uint64_t wbNumI64Or(uint64_t a, uint64_t b) { return a | b; }
static inline uint64_t wbNumI64Xor(uint64_t a, uint64_t b) { return a ^ b; }
static inline uint64_t wbNumI64Shl(uint64_t a, uint64_t b) { return a << (b & 63); }
static inline uint64_t wbNumI64ShrS(uint64_t a, uint64_t b) { return (uint64_t)((int64_t)a >> (b & 63)); }
static inline uint64_t wbNumI64ShrU(uint64_t a, uint64_t b) { return a >> (b & 63); }

static inline uint64_t wbNumI64Rotl(uint64_t a, uint64_t b)
{
    b &= 63;
    return (a << b) | (a >> ((64 - b) & 63));
}

static inline uint64_t wbNumI64Rotr(uint64_t a, uint64_t b)
{
    b &= 63;
    return (a >> b) | (a << ((64 - b) & 63));
}

static inline uint64_t wbNumI64Extend8S(uint64_t a) { return ((a & 0xFFu) ^ 0x80u) - 0x80u; }
static inline uint64_t wbNumI64Extend16S(uint64_t a) { return ((a & 0xFFFFu) ^ 0x8000u) - 0x8000u; }

static inline uint64_t wbNumI64Extend32S(uint64_t a)
{
    return ((a & UINT64_C(0xFFFFFFFF)) ^ UINT64_C(0x80000000)) - UINT64_C(0x80000000);
}

static inline uint64_t wbNumI64ExtendI32S(uint32_t a) { return ((uint64_t)a ^ UINT64_C(0x80000000)) - UINT64_C(0x80000000); }
static inline uint64_t wbNumI64ExtendI32U(uint32_t a) { return a; }

/* ------------------------------------------------------------------ f32 */

static inline uint32_t wbNumF32Eq(float a, float b) { return a == b; }
static inline uint32_t wbNumF32Ne(float a, float b) { return a != b; }
static inline uint32_t wbNumF32Lt(float a, float b) { return a < b; }
static inline uint32_t wbNumF32Gt(float a, float b) { return a > b; }
static inline uint32_t wbNumF32Le(float a, float b) { return a <= b; }
static inline uint32_t wbNumF32Ge(float a, float b) { return a >= b; }

/* Raw bits: only the sign bit changes. */
static inline uint32_t wbNumF32Abs(uint32_t a) { return a & UINT32_C(0x7FFFFFFF); }
static inline uint32_t wbNumF32Neg(uint32_t a) { return a ^ UINT32_C(0x80000000); }

static inline uint32_t wbNumF32Copysign(uint32_t a, uint32_t b)
{
    return (a & UINT32_C(0x7FFFFFFF)) | (b & UINT32_C(0x80000000));
}

/* ceil/floor/trunc/nearest keep the sign of zero (and round -0.5 to -0);
 * NaN gives a quiet NaN. */
static inline float wbNumF32Ceil(float a) { return isnan(a) ? wbNumF32Quiet(a) : ceilf(a); }
static inline float wbNumF32Floor(float a) { return isnan(a) ? wbNumF32Quiet(a) : floorf(a); }
static inline float wbNumF32Trunc(float a) { return isnan(a) ? wbNumF32Quiet(a) : truncf(a); }
/* Round half to even: nearbyint in the default rounding mode. */
static inline float wbNumF32Nearest(float a) { return isnan(a) ? wbNumF32Quiet(a) : nearbyintf(a); }
static inline float wbNumF32Sqrt(float a) { return sqrtf(a); }

/* add and mul commute, so a compiler may swap their operands, and with two
 * NaN operands the hardware returns the first one's (quieted): pinned here
 * to a's, as the native-code tier computes it, so that both tiers give
 * the same bits. */
static inline float wbNumF32Add(float a, float b)
{
    return isnan(a) ? wbNumF32Quiet(a) : a + b;
}
static inline float wbNumF32Sub(float a, float b) { return a - b; }
static inline float wbNumF32Mul(float a, float b)
{
    return isnan(a) ? wbNumF32Quiet(a) : a * b;
}
static inline float wbNumF32Div(float a, float b) { return a / b; }

/* A NaN operand gives a NaN; -0 is below +0. */
static inline float wbNumF32Min(float a, float b)
{
    if (isnan(a))
        return wbNumF32Quiet(a);
    if (isnan(b))
        return wbNumF32Quiet(b);
    if (a == b) /* equal, or zeros of either sign: the negative one */
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

static inline float wbNumF32Max(float a, float b)
{
    if (isnan(a))
        return wbNumF32Quiet(a);
    if (isnan(b))
        return wbNumF32Quiet(b);
    if (a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

/* ------------------------------------------------------------------ f64 */

static inline uint32_t wbNumF64Eq(double a, double b) { return a == b; }
static inline uint32_t wbNumF64Ne(double a, double b) { return a != b; }
static inline uint32_t wbNumF64Lt(double a, double b) { return a < b; }
static inline uint32_t wbNumF64Gt(double a, double b) { return a > b; }
static inline uint32_t wbNumF64Le(double a, double b) { return a <= b; }
static inline uint32_t wbNumF64Ge(double a, double b) { return a >= b; }

static inline uint64_t wbNumF64Abs(uint64_t a) { return a & UINT64_C(0x7FFFFFFFFFFFFFFF); }
static inline uint64_t wbNumF64Neg(uint64_t a) { return a ^ UINT64_C(0x8000000000000000); }

static inline uint64_t wbNumF64Copysign(uint64_t a, uint64_t b)
{
    return (a & UINT64_C(0x7FFFFFFFFFFFFFFF)) | (b & UINT64_C(0x8000000000000000));
}

static inline double wbNumF64Ceil(double a) { return isnan(a) ? wbNumF64Quiet(a) : ceil(a); }
static inline double wbNumF64Floor(double a) { return isnan(a) ? wbNumF64Quiet(a) : floor(a); }
static inline double wbNumF64Trunc(double a) { return isnan(a) ? wbNumF64Quiet(a) : trunc(a); }
static inline double wbNumF64Nearest(double a) { return isnan(a) ? wbNumF64Quiet(a) : nearbyint(a); }
static inline double wbNumF64Sqrt(double a) { return sqrt(a); }

static inline double wbNumF64Add(double a, double b)
{
    return isnan(a) ? wbNumF64Quiet(a) : a + b; /* a's NaN first, as F32Add */
}
static inline double wbNumF64Sub(double a, double b) { return a - b; }
static inline double wbNumF64Mul(double a, double b)
{
    return isnan(a) ? wbNumF64Quiet(a) : a * b;
}
static inline double wbNumF64Div(double a, double b) { return a / b; }

static inline double wbNumF64Min(double a, double b)
{
    if (isnan(a))
        return wbNumF64Quiet(a);
    if (isnan(b))
        return wbNumF64Quiet(b);
    if (a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

static inline double wbNumF64Max(double a, double b)
{
    if (isnan(a))
        return wbNumF64Quiet(a);
    if (isnan(b))
        return wbNumF64Quiet(b);
    if (a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

/* ---------------------------------------------------------- float → int */

/*
 * The in-range tests: the value truncated toward zero must fit, so a signed
 * N-bit result needs -2^(N-1) - 1 < x < 2^(N-1) and an unsigned one
 * -1 < x < 2^N. Every bound is a power of two, exact in both formats,
 * except -2^(N-1) - 1, which only f64 holds for N = 32; elsewhere the next
 * value above it is -2^(N-1) itself, so the test is x >= -2^(N-1). A NaN
 * fails every comparison and so lands with the out-of-range values.
 */
#define WB_NUM_I32_F32S_OK(x) ((x) >= -0x1p31f && (x) < 0x1p31f)
#define WB_NUM_I32_F32U_OK(x) ((x) > -1.0f && (x) < 0x1p32f)
#define WB_NUM_I32_F64S_OK(x) ((x) > -2147483649.0 && (x) < 0x1p31)
#define WB_NUM_I32_F64U_OK(x) ((x) > -1.0 && (x) < 0x1p32)
#define WB_NUM_I64_F32S_OK(x) ((x) >= -0x1p63f && (x) < 0x1p63f)
#define WB_NUM_I64_F32U_OK(x) ((x) > -1.0f && (x) < 0x1p64f)
#define WB_NUM_I64_F64S_OK(x) ((x) >= -0x1p63 && (x) < 0x1p63)
#define WB_NUM_I64_F64U_OK(x) ((x) > -1.0 && (x) < 0x1p64)

static inline const char *wbNumI32TruncF32S(float a, uint32_t *out)
{
    if (!WB_NUM_I32_F32S_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint32_t)(int32_t)a;
    return NULL;
}

static inline const char *wbNumI32TruncF32U(float a, uint32_t *out)
{
    if (!WB_NUM_I32_F32U_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint32_t)a;
    return NULL;
}

static inline const char *wbNumI32TruncF64S(double a, uint32_t *out)
{
    if (!WB_NUM_I32_F64S_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint32_t)(int32_t)a;
    return NULL;
}

static inline const char *wbNumI32TruncF64U(double a, uint32_t *out)
{
    if (!WB_NUM_I32_F64U_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint32_t)a;
    return NULL;
}

static inline const char *wbNumI64TruncF32S(float a, uint64_t *out)
{
    if (!WB_NUM_I64_F32S_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint64_t)(int64_t)a;
    return NULL;
}

static inline const char *wbNumI64TruncF32U(float a, uint64_t *out)
{
    if (!WB_NUM_I64_F32U_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint64_t)a;
    return NULL;
}

static inline const char *wbNumI64TruncF64S(double a, uint64_t *out)
{
    if (!WB_NUM_I64_F64S_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint64_t)(int64_t)a;
    return NULL;
}

static inline const char *wbNumI64TruncF64U(double a, uint64_t *out)
{
    if (!WB_NUM_I64_F64U_OK(a))
        return isnan(a) ? WB_TRAP_INVALID_CONVERSION : WB_TRAP_INT_OVERFLOW;
    *out = (uint64_t)a;
    return NULL;
}

/* Saturating: NaN → 0, below the range → the minimum, above → the maximum. */
static inline uint32_t wbNumI32TruncSatF32S(float a)
{
    if (WB_NUM_I32_F32S_OK(a))
        return (uint32_t)(int32_t)a;
    return isnan(a) ? 0 : a < 0 ? UINT32_C(0x80000000) : UINT32_C(0x7FFFFFFF);
}

static inline uint32_t wbNumI32TruncSatF32U(float a)
{
    if (WB_NUM_I32_F32U_OK(a))
        return (uint32_t)a;
    return isnan(a) || a < 0 ? 0 : UINT32_MAX;
}

static inline uint32_t wbNumI32TruncSatF64S(double a)
{
    if (WB_NUM_I32_F64S_OK(a))
        return (uint32_t)(int32_t)a;
    return isnan(a) ? 0 : a < 0 ? UINT32_C(0x80000000) : UINT32_C(0x7FFFFFFF);
}

static inline uint32_t wbNumI32TruncSatF64U(double a)
{
    if (WB_NUM_I32_F64U_OK(a))
        return (uint32_t)a;
    return isnan(a) || a < 0 ? 0 : UINT32_MAX;
}

static inline uint64_t wbNumI64TruncSatF32S(float a)
{
    if (WB_NUM_I64_F32S_OK(a))
        return (uint64_t)(int64_t)a;
    return isnan(a) ? 0 : a < 0 ? UINT64_C(0x8000000000000000) : UINT64_C(0x7FFFFFFFFFFFFFFF);
}

static inline uint64_t wbNumI64TruncSatF32U(float a)
{
    if (WB_NUM_I64_F32U_OK(a))
        return (uint64_t)a;
    return isnan(a) || a < 0 ? 0 : UINT64_MAX;
}

static inline uint64_t wbNumI64TruncSatF64S(double a)
{
    if (WB_NUM_I64_F64S_OK(a))
        return (uint64_t)(int64_t)a;
    return isnan(a) ? 0 : a < 0 ? UINT64_C(0x8000000000000000) : UINT64_C(0x7FFFFFFFFFFFFFFF);
}

static inline uint64_t wbNumI64TruncSatF64U(double a)
{
    if (WB_NUM_I64_F64U_OK(a))
        return (uint64_t)a;
    return isnan(a) || a < 0 ? 0 : UINT64_MAX;
}

#undef WB_NUM_I32_F32S_OK
#undef WB_NUM_I32_F32U_OK
#undef WB_NUM_I32_F64S_OK
#undef WB_NUM_I32_F64U_OK
#undef WB_NUM_I64_F32S_OK
#undef WB_NUM_I64_F32U_OK
#undef WB_NUM_I64_F64S_OK
#undef WB_NUM_I64_F64U_OK

/* ---------------------------------------------------------- int → float */

/*
 * Correctly rounded (to nearest, ties to even) conversions. A signed
 * operand, and an unsigned one below 2^63, converts in one instruction.
 * An unsigned i64 of 2^63 or more is halved first, OR-ing the bit shifted
 * out back into bit 0: the halved value has 63 significant bits, far more
 * than the 24 or 53 kept, so that "sticky" bit still tells a tie from just
 * above it, and the doubling afterwards is exact. (Going through double for
 * an f32 result would round twice: 0x8000008000000001 would become 2^63
 * instead of 0x1.000002p+63.)
 */
static inline float wbNumF32ConvertI32S(uint32_t a) { return (float)(int32_t)a; }
static inline float wbNumF32ConvertI32U(uint32_t a) { return (float)(int64_t)a; }
static inline float wbNumF32ConvertI64S(uint64_t a) { return (float)(int64_t)a; }

static inline float wbNumF32ConvertI64U(uint64_t a)
{
    if (a < UINT64_C(0x8000000000000000))
        return (float)(int64_t)a;
    float half = (float)(int64_t)((a >> 1) | (a & 1));
    return half + half;
}

static inline double wbNumF64ConvertI32S(uint32_t a) { return (double)(int32_t)a; }
static inline double wbNumF64ConvertI32U(uint32_t a) { return (double)a; }
static inline double wbNumF64ConvertI64S(uint64_t a) { return (double)(int64_t)a; }

static inline double wbNumF64ConvertI64U(uint64_t a)
{
    if (a < UINT64_C(0x8000000000000000))
        return (double)(int64_t)a;
    double half = (double)(int64_t)((a >> 1) | (a & 1));
    return half + half;
}

/* ------------------------------------------------------ float ↔ float */

/* Correctly rounded (overflow → ±inf); a NaN comes out quiet, with as much
 * of its payload as fits, so a canonical NaN stays canonical. */
static inline float wbNumF32DemoteF64(double a) { return (float)a; }
static inline double wbNumF64PromoteF32(float a) { return (double)a; }

/* -------------------------------------------------------- reinterpret */

/* Raw bits in, raw bits out: the slot already holds the bit pattern. */
static inline uint32_t wbNumI32ReinterpretF32(uint32_t bits) { return bits; }
static inline uint64_t wbNumI64ReinterpretF64(uint64_t bits) { return bits; }
static inline uint32_t wbNumF32ReinterpretI32(uint32_t a) { return a; }
static inline uint64_t wbNumF64ReinterpretI64(uint64_t a) { return a; }

#ifdef __clang__
#pragma clang diagnostic pop
#endif

#endif /* WB_NUMERIC_H */
