/*
 * compile.h — turns a function body into the interpreter's code, one
 * instruction at a time, as the validator accepts them (one pass over the
 * bytes). See docs/interpreter.md for the design.
 */
#ifndef WB_COMPILE_H
#define WB_COMPILE_H

#include "engine/instr.h"
#include "engine/runtime.h"

typedef struct wbCompiler wbCompiler;

/* Starts compiling defined function `func_index` of m. NULL if out of memory. */
wbCompiler *wbCompilerNew(const wb_module *m, uint32_t func_index);

/* Compiles one instruction that the validator has just accepted. Returns
 * false only when out of memory (err filled). */
bool wbCompileInstr(wbCompiler *c, const wbInstr *in, wb_error *err);

/* After the function's final `end`: moves the finished code into *out.
 * Returns false when out of memory. */
bool wbCompilerFinish(wbCompiler *c, wbCode *out, wb_error *err);

void wbCompilerDelete(wbCompiler *c);

/* Frees the arrays of a wbCode (not the struct). */
void wbCodeFree(wbCode *code);

#endif /* WB_COMPILE_H */
