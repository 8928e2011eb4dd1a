/*
 * test_tiers.c — the two execution tiers through the public API: modules
 * are native code by default on x86-64 and interpreted after
 * wb_set_tier(WB_TIER_INTERPRETER); in both, a host function that calls
 * back into the instance and grows its memory leaves the caller using the
 * grown memory, an interrupt or fuel stops a loop the same way; and
 * loading and deleting many modules does not leave executable mappings
 * behind (execmem.c keeps a few for reuse).
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "wasmbox.h"

/* wat2wasm of:
 * (module
 *   (import "host" "reenter" (func $reenter (param i32) (result i32)))
 *   (memory 1)
 *   (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
 *   (func (export "outer") (result i32)
 *     (drop (call $reenter (i32.const 1)))
 *     (i32.store (i32.const 70000) (i32.const 7))
 *     (i32.load (i32.const 70000)))
 *   (func (export "spin") (loop (br 0))))
 */
static const uint8_t tiers_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x03, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x10, 0x01, 0x04, 0x68, 0x6f, 0x73,
    0x74, 0x07, 0x72, 0x65, 0x65, 0x6e, 0x74, 0x65, 0x72, 0x00, 0x00, 0x03, 0x04, 0x03, 0x00,
    0x01, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x17, 0x03, 0x04, 0x67, 0x72, 0x6f, 0x77,
    0x00, 0x01, 0x05, 0x6f, 0x75, 0x74, 0x65, 0x72, 0x00, 0x02, 0x04, 0x73, 0x70, 0x69, 0x6e,
    0x00, 0x03, 0x0a, 0x28, 0x03, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b, 0x17, 0x00, 0x41,
    0x01, 0x10, 0x00, 0x1a, 0x41, 0xf0, 0xa2, 0x04, 0x41, 0x07, 0x36, 0x02, 0x00, 0x41, 0xf0,
    0xa2, 0x04, 0x28, 0x02, 0x00, 0x0b, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
};

/* host.reenter(n): calls the caller's own export "grow" with n. */
static wb_status reenter(void *env, wb_instance *caller, const wb_value *args, wb_value *results,
                         const char **trap)
{
    (void)env;
    wb_extern grow;
    if (!caller || !wb_instance_export(caller, "grow", &grow) || grow.kind != WB_EXTERN_FUNC) {
        *trap = "no grow export";
        return WB_ERR_TRAP;
    }
    wb_error err;
    return wb_func_call(grow.of.func, args, 1, results, 1, &err);
}

typedef struct World {
    wb_module *module;
    wb_store *store;
    wb_linker *linker;
    wb_instance *inst;
} World;

static bool world_new(World *w, wb_tier tier, uint64_t fuel)
{
    memset(w, 0, sizeof *w);
    wb_set_tier(tier);
    wb_error err;
    bool ok = CHECK(wb_module_new(tiers_wasm, sizeof tiers_wasm, &w->module, &err) == WB_OK);
    wb_set_tier(WB_TIER_AUTO);
    if (!ok)
        return false;
    wb_limits limits = {.fuel = fuel};
    w->store = wb_store_new(&limits);
    w->linker = w->store ? wb_linker_new(w->store) : NULL;
    if (!CHECK(w->linker))
        return false;
    static const wb_valtype i32 = WB_TYPE_I32;
    wb_func *f = wb_func_new_host(w->store, &i32, 1, &i32, 1, reenter, NULL);
    wb_extern ext = {.kind = WB_EXTERN_FUNC, .of.func = f};
    return CHECK(f && wb_linker_define(w->linker, "host", "reenter", ext) == WB_OK) &&
           CHECK(wb_instance_new(w->store, w->module, w->linker, &w->inst, &err) == WB_OK);
}

static void world_delete(World *w)
{
    wb_linker_delete(w->linker);
    wb_store_delete(w->store);
    wb_module_delete(w->module);
}

static wb_status call(World *w, const char *name, wb_value *result, wb_error *err)
{
    wb_extern ext;
    if (!CHECK(wb_instance_export(w->inst, name, &ext)))
        return WB_ERR_ARG;
    uint32_t nr;
    wb_func_type(ext.of.func, NULL, NULL, &nr, NULL);
    return wb_func_call(ext.of.func, NULL, 0, result, nr, err);
}

TEST(tiers_native_by_default_on_x86_64)
{
    World w;
    if (world_new(&w, WB_TIER_AUTO, 0)) {
#if defined(__x86_64__)
        CHECK(wb_module_native(w.module));
#else
        CHECK(!wb_module_native(w.module));
#endif
    }
    world_delete(&w);
    if (world_new(&w, WB_TIER_INTERPRETER, 0))
        CHECK(!wb_module_native(w.module));
    world_delete(&w);
}

TEST(tiers_host_call_back_into_the_instance_grows_memory)
{
    for (int tier = 0; tier < 2; tier++) {
        World w;
        if (world_new(&w, tier ? WB_TIER_INTERPRETER : WB_TIER_AUTO, 0)) {
            wb_value r = {0};
            wb_error err;
            wb_status st = call(&w, "outer", &r, &err);
            CHECKF(st == WB_OK, "tier %d: %s %s", tier, wb_status_name(st),
                   st == WB_OK ? "" : err.message);
            CHECK_EQ(r.of.i32, 7);
        }
        world_delete(&w);
    }
}

TEST(tiers_interrupt_and_fuel_stop_a_loop)
{
    for (int tier = 0; tier < 2; tier++) {
        World w;
        if (world_new(&w, tier ? WB_TIER_INTERPRETER : WB_TIER_AUTO, 0)) {
            wb_store_interrupt(w.store);
            wb_error err;
            CHECK_EQ(call(&w, "spin", NULL, &err), WB_ERR_LIMIT);
            CHECK_STR(err.message, "interrupted");
        }
        world_delete(&w);
        if (world_new(&w, tier ? WB_TIER_INTERPRETER : WB_TIER_AUTO, 100000)) {
            wb_error err;
            CHECK_EQ(call(&w, "spin", NULL, &err), WB_ERR_LIMIT);
            CHECK_STR(err.message, "fuel exhausted");
            CHECK_EQ(wb_store_fuel(w.store), 0);
        }
        world_delete(&w);
    }
}

/* Lines of /proc/self/maps (mappings), or -1. */
static int count_mappings(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

TEST(tiers_loading_modules_reuses_executable_memory)
{
    int before = -1;
    for (int i = 0; i < 2000; i++) {
        wb_module *m = NULL;
        wb_error err;
        if (!CHECK(wb_module_new(tiers_wasm, sizeof tiers_wasm, &m, &err) == WB_OK))
            return;
        wb_module_delete(m);
        if (i == 9)
            before = count_mappings();
    }
    int after = count_mappings();
    if (before >= 0)
        CHECKF(after <= before + 2, "mappings %d -> %d after 2,000 modules", before, after);
}

/* ---------------------------------------------- calls between instances */

/* a.wasm: (func (export "div") (param i32) (result i32)
 *           (i32.div_u (i32.const 100) (local.get 0)))
 * b.wasm: (import "a" "div" (func $div (param i32) (result i32)))
 *         (func (export "f") (param i32) (result i32)
 *           (i32.add (call $div (local.get 0)) (i32.const 1))) */
static const uint8_t a_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x64, 0x69, 0x76, 0x00,
    0x00, 0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0xe4, 0x00, 0x20, 0x00, 0x6e, 0x0b,
};
static const uint8_t b_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x02, 0x09, 0x01, 0x01, 0x61, 0x03, 0x64, 0x69, 0x76, 0x00, 0x00, 0x03,
    0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01, 0x0a, 0x0b, 0x01, 0x09,
    0x00, 0x20, 0x00, 0x10, 0x00, 0x41, 0x01, 0x6a, 0x0b,
};
/* a2.wasm: a table "tab" and (func (export "pa") (param i32) (result i32))
 *   returning 0 for 0, else 1 + call_indirect table[3](n - 1);
 * b2.wasm: imports both; (func $pb (export "pb") (call $pa (local.get 0)))
 *   and puts $pb in table[3]: pa and pb recurse into each other. */
static const uint8_t a2_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x04, 0x07, 0x0c,
    0x02, 0x03, 0x74, 0x61, 0x62, 0x01, 0x00, 0x02, 0x70, 0x61, 0x00, 0x00, 0x0a, 0x1a,
    0x01, 0x18, 0x00, 0x20, 0x00, 0x45, 0x04, 0x7f, 0x41, 0x00, 0x05, 0x41, 0x01, 0x20,
    0x00, 0x41, 0x01, 0x6b, 0x41, 0x03, 0x11, 0x00, 0x00, 0x6a, 0x0b, 0x0b,
};
static const uint8_t b2_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x02, 0x12, 0x02, 0x01, 0x61, 0x02, 0x70, 0x61, 0x00, 0x00, 0x01, 0x61,
    0x03, 0x74, 0x61, 0x62, 0x01, 0x70, 0x00, 0x04, 0x03, 0x02, 0x01, 0x00, 0x07, 0x06,
    0x01, 0x02, 0x70, 0x62, 0x00, 0x01, 0x09, 0x07, 0x01, 0x00, 0x41, 0x03, 0x0b, 0x01,
    0x01, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b,
};

typedef struct Pair {
    wb_module *ma, *mb;
    wb_store *store;
    wb_linker *linker;
    wb_instance *ia, *ib;
} Pair;

/* Instantiates a as "a", then b linked to it, both in the tier given. */
static bool pair_new_limits(Pair *p, wb_tier tier, const uint8_t *a, size_t na,
                            const uint8_t *b, size_t nb, const wb_limits *limits)
{
    memset(p, 0, sizeof *p);
    wb_error err;
    wb_set_tier(tier);
    bool ok = CHECK(wb_module_new(a, na, &p->ma, &err) == WB_OK) &&
              CHECK(wb_module_new(b, nb, &p->mb, &err) == WB_OK);
    wb_set_tier(WB_TIER_AUTO);
    if (!ok)
        return false;
    p->store = wb_store_new(limits);
    p->linker = p->store ? wb_linker_new(p->store) : NULL;
    return CHECK(p->linker) &&
           CHECK(wb_instance_new(p->store, p->ma, p->linker, &p->ia, &err) == WB_OK) &&
           CHECK(wb_linker_define_instance(p->linker, "a", p->ia) == WB_OK) &&
           CHECK(wb_instance_new(p->store, p->mb, p->linker, &p->ib, &err) == WB_OK);
}

static bool pair_new(Pair *p, wb_tier tier, const uint8_t *a, size_t na, const uint8_t *b,
                     size_t nb)
{
    return pair_new_limits(p, tier, a, na, b, nb, NULL);
}

static void pair_delete(Pair *p)
{
    wb_linker_delete(p->linker);
    wb_store_delete(p->store);
    wb_module_delete(p->ma);
    wb_module_delete(p->mb);
}

static wb_status call_i32(wb_instance *inst, const char *name, uint32_t arg, wb_value *result,
                          wb_error *err)
{
    wb_extern ext;
    if (!CHECK(wb_instance_export(inst, name, &ext)))
        return WB_ERR_ARG;
    wb_value v = {.type = WB_TYPE_I32, .of.i32 = arg};
    memset(err, 0, sizeof *err);
    return wb_func_call(ext.of.func, &v, 1, result, 1, err);
}

TEST(tiers_trap_in_another_instance_has_the_whole_backtrace)
{
    char detail[2][sizeof ((wb_error *)0)->detail];
    size_t offset[2];
    for (int tier = 0; tier < 2; tier++) {
        Pair p;
        if (pair_new(&p, tier ? WB_TIER_INTERPRETER : WB_TIER_AUTO, a_wasm, sizeof a_wasm,
                     b_wasm, sizeof b_wasm)) {
            wb_value r;
            wb_error err;
            CHECK_EQ(call_i32(p.ib, "f", 0, &r, &err), WB_ERR_TRAP);
            CHECK_STR(err.message, "integer divide by zero");
            snprintf(detail[tier], sizeof detail[tier], "%s", err.detail);
            offset[tier] = err.offset;
        }
        pair_delete(&p);
    }
    CHECK_STR(detail[0], detail[1]);
    CHECK_EQ(offset[0], offset[1]);
    CHECKF(strstr(detail[0], "div@") == detail[0], "innermost frame first: '%s'", detail[0]);
}

TEST(tiers_recursion_between_instances_stops_cleanly)
{
    for (int tier = 0; tier < 2; tier++) {
        Pair p;
        if (pair_new(&p, tier ? WB_TIER_INTERPRETER : WB_TIER_AUTO, a2_wasm, sizeof a2_wasm,
                     b2_wasm, sizeof b2_wasm)) {
            wb_value r = {0};
            wb_error err;
            CHECK_EQ(call_i32(p.ib, "pb", 100, &r, &err), WB_OK);
            CHECK_EQ(r.of.i32, 100);
            /* far deeper than the machine stack allows nested invocations:
             * "call stack exhausted", never a crash */
            CHECK_EQ(call_i32(p.ib, "pb", 200000, &r, &err), WB_ERR_LIMIT);
            CHECK_STR(err.message, "call stack exhausted");
        }
        pair_delete(&p);
    }
}

TEST(tiers_agree_on_fuel_running_out_between_instances)
{
    /* every fuel amount stops the mutual recursion at another point: at a
     * callee's entry, in its body, before or after a nested call */
    for (uint64_t fuel = 1; fuel <= 60; fuel++) {
        char got[2][256];
        for (int tier = 0; tier < 2; tier++) {
            Pair p;
            wb_limits limits = {.fuel = fuel};
            got[tier][0] = '\0';
            if (pair_new_limits(&p, tier ? WB_TIER_INTERPRETER : WB_TIER_AUTO, a2_wasm,
                                sizeof a2_wasm, b2_wasm, sizeof b2_wasm, &limits)) {
                wb_value r = {0};
                wb_error err;
                wb_status st = call_i32(p.ib, "pb", 5, &r, &err);
                snprintf(got[tier], sizeof got[tier], "%d %zx %s (%s) fuel %llu", (int)st,
                         st == WB_OK ? (size_t)0 : err.offset, st == WB_OK ? "" : err.message,
                         st == WB_OK ? "" : err.detail,
                         (unsigned long long)wb_store_fuel(p.store));
            }
            pair_delete(&p);
        }
        if (!CHECKF(strcmp(got[0], got[1]) == 0, "fuel %llu: native '%s', interpreter '%s'",
                    (unsigned long long)fuel, got[0], got[1]))
            return;
    }
}
