/*
 * validate.h — validation entry points shared by the module checks and the
 * per-function type checker.
 */
#ifndef WB_VALIDATE_H
#define WB_VALIDATE_H

#include "engine/runtime.h"

/* Type-checks the body of defined function `func_index` and compiles it
 * into *out (owned by the caller: wbCodeFree). */
bool wbValidateFunc(const wb_module *m, uint32_t func_index, wbCode *out, wb_error *err);

#endif /* WB_VALIDATE_H */
