/*
 * fuzz_exec.c — libFuzzer target for the whole engine: every input that is
 * a valid module without imports is instantiated in a store with tight
 * limits (fuel, 16 pages of memory, a short call stack), and each exported
 * function whose parameters are numbers is called with zeros. Traps and
 * limits are expected outcomes; a crash, a sanitizer report, a leak or a
 * hang is a bug. Built by `make fuzz FUZZ_TARGET=exec` and, with
 * replay_main.c, into build/asan/fuzz-exec-replay for `make test`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wasmbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VALUES 32

static int numeric(wb_valtype t)
{
    return t == WB_TYPE_I32 || t == WB_TYPE_I64 || t == WB_TYPE_F32 || t == WB_TYPE_F64 ||
           t == WB_TYPE_FUNCREF || t == WB_TYPE_EXTERNREF;
}

/* Calls every export that is a function we can build arguments for. */
static void call_exports(const wb_module *module, wb_instance *inst)
{
    (void)module;
    static const char *const names[] = {"", "main", "_start", "run", "f", "g", "test", "fac",
                                        "fib", "loop", "call", "a", "b", "c", "0", "1"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        wb_extern ext;
        if (!wb_instance_export(inst, names[i], &ext) || ext.kind != WB_EXTERN_FUNC)
            continue;
        uint32_t np, nr;
        const wb_valtype *pt, *rt;
        wb_func_type(ext.of.func, &np, &pt, &nr, &rt);
        if (np > MAX_VALUES || nr > MAX_VALUES)
            continue;
        wb_value args[MAX_VALUES], results[MAX_VALUES];
        int ok = 1;
        for (uint32_t k = 0; k < np; k++) {
            ok &= numeric(pt[k]);
            memset(&args[k], 0, sizeof args[k]);
            args[k].type = pt[k];
        }
        for (uint32_t k = 0; k < nr; k++)
            ok &= numeric(rt[k]);
        if (!ok)
            continue;
        wb_error err;
        wb_func_call(ext.of.func, args, np, results, nr, &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_module *module = NULL;
    wb_error err;
    if (wb_module_new(data, size, &module, &err) != WB_OK)
        return 0;
    wb_limits limits = {.max_memory_pages = 16, .max_table_elems = 10000,
                        .max_call_depth = 500, .max_stack_bytes = 256 * 1024, .fuel = 200000};
    wb_store *store = wb_store_new(&limits);
    wb_instance *inst = NULL;
    if (store && wb_instance_new(store, module, NULL, &inst, &err) == WB_OK)
        call_exports(module, inst);
    wb_store_delete(store);
    wb_module_delete(module);
    return 0;
}
