/*
 * jit.h — the native-code tier's internals, shared by the translator
 * (jit_x64.c), the helpers native code calls (jit_helpers.c) and the glue
 * that compiles modules and enters their code (jit.c).
 *
 * Native code runs the same register code the interpreter does, one
 * template of machine code per instruction, over the same frames: slots in
 * the store's value stack, frames in its frame array, so traps, backtraces,
 * fuel, interrupts and host calls mean exactly what they mean in the
 * interpreter. Registers while guest code runs:
 *   rbx  the frame's slot 0          r12  memory 0's base
 *   rbp  one past the innermost frame r13  memory 0's size in bytes
 *   r14  fuel left                    r15  the wbThread
 * A wasm call is a native `call`; a native frame is 16 bytes (return
 * address and alignment), which the frame limit keeps bounded.
 */
#ifndef WB_JIT_H
#define WB_JIT_H

#include "engine/opcodes.h"
#include "engine/runtime.h"
#include "engine/x64.h"

/* An instruction native code does not inline: runs the register-code
 * instruction at ip of the frame at fp. Returns NULL or a trap text. */
typedef const char *(*wbJitHelper)(wbThread *th, wbSlot *fp, const uint32_t *ip);

enum {
    WB_JH_TRAPS = 1,   /* may return a trap text */
    WB_JH_MEMORY = 2,  /* may move or resize memory 0 (reload its base and size) */
};

typedef struct wbJitHelperInfo {
    wbJitHelper fn;
    uint8_t flags;
} wbJitHelperInfo;

/* By register-code opcode; fn is NULL where the translator must inline. */
extern const wbJitHelperInfo wbJitHelpers[WB_XOP_COUNT];

/* call_indirect's checks: the wb_func* that table[slot c] holds, or NULL
 * with th->jit.trap set. */
wb_func *wbJitResolveIndirect(wbThread *th, wbSlot *fp, const uint32_t *ip);

/* A call native code cannot make directly (a host function, or a function
 * of another instance): runs f with its frame at nfp. Returns NULL or the
 * trap text (th->jit.status says the failure). */
const char *wbJitCallSlow(wbThread *th, wbSlot *nfp, wb_func *f);

/* Enters native code: runs the function at `target` (wasm function f)
 * with its frame at fp. 0 when it returned, 1 when it stopped (th->jit says
 * where and why). */
typedef int (*wbJitEnter)(wbThread *th, wbSlot *fp, const void *target, wb_func *f);

/* A module's native code. */
typedef struct wbJitCode {
    void *exec;        /* read+execute pages */
    wbJitEnter enter;
} wbJitCode;

/* Translates every defined function of m into `out`: the entry
 * trampoline at *enter_at, function i (defined functions, from 0) at
 * func_at[i]. False when some instruction has no translation or memory
 * ran out. */
bool wbJitTranslate(const wb_module *m, x64Buf *out, size_t *enter_at, size_t *func_at);

#endif /* WB_JIT_H */
