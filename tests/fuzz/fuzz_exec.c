/*
 * fuzz_exec.c — libFuzzer target for the whole engine: every input that is
 * a valid module without imports is instantiated in a store with tight
 * limits (fuel, 16 pages of memory, a short call stack), and each exported
 * function whose parameters are numbers is called with zeros. Traps and
 * limits are expected outcomes; a crash, a sanitizer report, a leak or a
 * hang is a bug. Every input runs twice, in the interpreter and in native
 * code, and the two must agree on every result, trap text, backtrace and
 * the fuel left. Built by `make fuzz FUZZ_TARGET=exec` and, with
 * replay_main.c, into build/asan/fuzz-exec-replay for `make test`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VALUES 32

static int numeric(wb_valtype t)
{
    return t == WB_TYPE_I32 || t == WB_TYPE_I64 || t == WB_TYPE_F32 || t == WB_TYPE_F64 ||
           t == WB_TYPE_FUNCREF || t == WB_TYPE_EXTERNREF;
}

/* What calling one export gave, to compare the two tiers. */
typedef struct Outcome {
    wb_status status;
    const char *message;
    char detail[sizeof ((wb_error *)0)->detail];
    uint32_t nresults;
    wb_value results[MAX_VALUES];
    uint64_t fuel;
} Outcome;

/* Calls export `name` with zeros if it is a function we can build arguments
 * for; false when it is not. */
static int call_export(wb_store *store, wb_instance *inst, const char *name, Outcome *o)
{
    wb_extern ext;
    if (!wb_instance_export(inst, name, &ext) || ext.kind != WB_EXTERN_FUNC)
        return 0;
    uint32_t np, nr;
    const wb_valtype *pt, *rt;
    wb_func_type(ext.of.func, &np, &pt, &nr, &rt);
    if (np > MAX_VALUES || nr > MAX_VALUES)
        return 0;
    wb_value args[MAX_VALUES];
    int ok = 1;
    for (uint32_t k = 0; k < np; k++) {
        ok &= numeric(pt[k]);
        memset(&args[k], 0, sizeof args[k]);
        args[k].type = pt[k];
    }
    for (uint32_t k = 0; k < nr; k++)
        ok &= numeric(rt[k]);
    if (!ok)
        return 0;
    wb_error err;
    memset(o, 0, sizeof *o);
    o->status = wb_func_call(ext.of.func, args, np, o->results, nr, &err);
    o->nresults = o->status == WB_OK ? nr : 0;
    if (o->status != WB_OK) {
        o->message = err.message;
        memcpy(o->detail, err.detail, sizeof o->detail);
    }
    o->fuel = wb_store_fuel(store);
    return 1;
}

/* The two tiers must agree on everything a call gives. */
static void compare(const char *name, const Outcome *a, const Outcome *b)
{
    int same = a->status == b->status && a->nresults == b->nresults && a->fuel == b->fuel &&
               (a->message == b->message ||
                (a->message && b->message && strcmp(a->message, b->message) == 0)) &&
               strcmp(a->detail, b->detail) == 0;
    for (uint32_t k = 0; same && k < a->nresults; k++) {
        const wb_value *x = &a->results[k], *y = &b->results[k];
        same = x->type == y->type &&
               (x->type == WB_TYPE_I32 || x->type == WB_TYPE_F32 ? x->of.i32 == y->of.i32
                : x->type == WB_TYPE_I64 || x->type == WB_TYPE_F64 ? x->of.i64 == y->of.i64
                : (x->of.ref == NULL) == (y->of.ref == NULL));
    }
    if (!same) {
        fprintf(stderr, "fuzz-exec: the tiers disagree on export '%s': interpreter status %d "
                        "'%s' [%s] fuel %llu, native status %d '%s' [%s] fuel %llu\n",
                name, (int)a->status, a->message ? a->message : "", a->detail,
                (unsigned long long)a->fuel, (int)b->status, b->message ? b->message : "",
                b->detail, (unsigned long long)b->fuel);
        abort();
    }
}

typedef struct Side {
    wb_module *module;
    wb_store *store;
    wb_instance *inst;
} Side;

static void side_new(Side *s, wb_tier tier, const uint8_t *data, size_t size)
{
    wb_error err;
    memset(s, 0, sizeof *s);
    wb_set_tier(tier);
    if (wb_module_new(data, size, &s->module, &err) != WB_OK)
        return;
    wb_limits limits = {.max_memory_pages = 16, .max_table_elems = 10000,
                        .max_call_depth = 500, .max_stack_bytes = 256 * 1024, .fuel = 200000};
    s->store = wb_store_new(&limits);
    if (s->store && wb_instance_new(s->store, s->module, NULL, &s->inst, &err) != WB_OK)
        s->inst = NULL;
}

static void side_delete(Side *s)
{
    wb_store_delete(s->store);
    wb_module_delete(s->module);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"", "main", "_start", "run", "f", "g", "test", "fac",
                                        "fib", "loop", "call", "a", "b", "c", "0", "1"};
    Side interp, native;
    side_new(&interp, WB_TIER_INTERPRETER, data, size);
    side_new(&native, WB_TIER_AUTO, data, size);
    if (!interp.module != !native.module || !interp.inst != !native.inst) {
        fprintf(stderr, "fuzz-exec: the tiers disagree on loading or instantiating\n");
        abort();
    }
    if (interp.inst) {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            Outcome a, b;
            if (call_export(interp.store, interp.inst, names[i], &a) &&
                call_export(native.store, native.inst, names[i], &b))
                compare(names[i], &a, &b);
        }
    }
    side_delete(&interp);
    side_delete(&native);
    return 0;
}
