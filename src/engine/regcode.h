/*
 * regcode.h — reading the immediate operands of register code (compile.c's
 * format), shared by the interpreter (exec.c) and native code's helpers
 * (jit_helpers.c). Each macro reads word k of the instruction at `ip`,
 * which must be in scope: 32-bit kinds take one word, 64-bit kinds two
 * (IMMW_*), low word first; floats are their raw bits.
 */
#ifndef WB_REGCODE_H
#define WB_REGCODE_H

#include "engine/numeric.h"

#define IMM_i32(k) (ip[k])
#define IMM_i64(k) ((uint64_t)ip[k] | (uint64_t)ip[(k) + 1] << 32)
#define IMM_f32(k) (wbNumF32FromBits(ip[k]))
#define IMM_f64(k) (wbNumF64FromBits(IMM_i64(k)))
#define IMMW_i32 1
#define IMMW_f32 1
#define IMMW_i64 2
#define IMMW_f64 2

#endif /* WB_REGCODE_H */
