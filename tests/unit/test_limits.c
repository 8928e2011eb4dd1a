/*
 * test_limits.c — the sandbox's hard limits through the public API: fuel
 * stops loops and recursion, wb_store_interrupt stops a spinning guest from
 * another thread, the call-depth limit ends recursion cleanly, and the
 * memory cap makes memory.grow fail (-1) and is reported.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "wasmbox.h"

/* (memory 1)
 * (func (export "spin") (loop (br 0)))
 * (func $r (export "recurse") (call $r))
 * (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
 * (func (export "count") (param i32) (result i32)
 *   (loop (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_if 0 (local.get 0)))
 *   (local.get 0)) */
static const uint8_t limits_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60, 0x00, 0x00, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x03, 0x05, 0x04, 0x00, 0x00, 0x01, 0x01, 0x05, 0x03, 0x01, 0x00,
    0x01, 0x07, 0x21, 0x04, 0x04, 0x73, 0x70, 0x69, 0x6e, 0x00, 0x00, 0x07, 0x72, 0x65, 0x63,
    0x75, 0x72, 0x73, 0x65, 0x00, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x02, 0x05, 0x63,
    0x6f, 0x75, 0x6e, 0x74, 0x00, 0x03, 0x0a, 0x28, 0x04, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00,
    0x0b, 0x0b, 0x04, 0x00, 0x10, 0x01, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b, 0x12,
    0x00, 0x03, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x20, 0x00, 0x0d, 0x00, 0x0b,
    0x20, 0x00, 0x0b};

typedef struct Sandbox {
    wb_module *module;
    wb_store *store;
    wb_instance *inst;
} Sandbox;

static int sandbox_open(Sandbox *sb, const wb_limits *limits)
{
    memset(sb, 0, sizeof *sb);
    wb_error err;
    if (wb_module_new(limits_wasm, sizeof limits_wasm, &sb->module, &err) != WB_OK)
        return 0;
    sb->store = wb_store_new(limits);
    return sb->store && wb_instance_new(sb->store, sb->module, NULL, &sb->inst, &err) == WB_OK;
}

static void sandbox_close(Sandbox *sb)
{
    wb_store_delete(sb->store);
    wb_module_delete(sb->module);
}

/* Calls export `name` with at most one i32 argument; returns the status. */
static wb_status call(Sandbox *sb, const char *name, int has_arg, uint32_t arg, uint32_t *result,
                      wb_error *err)
{
    wb_extern ext;
    if (!wb_instance_export(sb->inst, name, &ext) || ext.kind != WB_EXTERN_FUNC)
        return WB_ERR_ARG;
    uint32_t np, nr;
    wb_func_type(ext.of.func, &np, NULL, &nr, NULL);
    wb_value arg_v = {.type = WB_TYPE_I32, .of.i32 = arg}, res = {.type = WB_TYPE_I32};
    wb_status st = wb_func_call(ext.of.func, has_arg ? &arg_v : NULL, has_arg ? 1 : 0,
                                nr ? &res : NULL, nr, err);
    if (result)
        *result = res.of.i32;
    return st;
}

TEST(limits_fuel_stops_a_loop)
{
    Sandbox sb;
    wb_limits lim = {.fuel = 100000};
    if (!CHECK(sandbox_open(&sb, &lim)))
        goto done;
    wb_error err;
    CHECK_EQ(call(&sb, "spin", 0, 0, NULL, &err), WB_ERR_LIMIT);
    CHECK_STR(err.message, "fuel exhausted");
    CHECK_EQ(wb_store_fuel(sb.store), 0u);
done:
    sandbox_close(&sb);
}

TEST(limits_fuel_stops_recursion)
{
    Sandbox sb;
    wb_limits lim = {.fuel = 500};
    if (!CHECK(sandbox_open(&sb, &lim)))
        goto done;
    wb_error err;
    CHECK_EQ(call(&sb, "recurse", 0, 0, NULL, &err), WB_ERR_LIMIT);
    CHECK_STR(err.message, "fuel exhausted");
done:
    sandbox_close(&sb);
}

TEST(limits_fuel_counts_roughly_instructions)
{
    /* count(n) runs about 6 instructions per iteration: 1000 iterations fit
     * in 10,000 units and leave some, 100,000 iterations do not */
    Sandbox sb;
    wb_limits lim = {.fuel = 10000};
    if (!CHECK(sandbox_open(&sb, &lim)))
        goto done;
    wb_error err;
    uint32_t r = 1;
    CHECK_EQ(call(&sb, "count", 1, 1000, &r, &err), WB_OK);
    CHECK_EQ(r, 0u);
    uint64_t left = wb_store_fuel(sb.store);
    CHECK(left > 0 && left < 10000 - 1000 * 4);
    CHECK_EQ(call(&sb, "count", 1, 100000, &r, &err), WB_ERR_LIMIT);
done:
    sandbox_close(&sb);
}

static void *interrupt_later(void *arg)
{
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    wb_store_interrupt(arg);
    return NULL;
}

TEST(limits_interrupt_from_another_thread)
{
    Sandbox sb;
    if (!CHECK(sandbox_open(&sb, NULL)))
        goto done;
    pthread_t t;
    if (!CHECK(pthread_create(&t, NULL, interrupt_later, sb.store) == 0))
        goto done;
    wb_error err;
    CHECK_EQ(call(&sb, "spin", 0, 0, NULL, &err), WB_ERR_LIMIT);
    CHECK_STR(err.message, "interrupted");
    pthread_join(t, NULL);
    /* the flag stays until cleared */
    CHECK_EQ(call(&sb, "spin", 0, 0, NULL, &err), WB_ERR_LIMIT);
    wb_store_clear_interrupt(sb.store);
    uint32_t r = 1;
    CHECK_EQ(call(&sb, "count", 1, 10, &r, &err), WB_OK);
done:
    sandbox_close(&sb);
}

TEST(limits_call_depth)
{
    Sandbox sb;
    wb_limits lim = {.max_call_depth = 500};
    if (!CHECK(sandbox_open(&sb, &lim)))
        goto done;
    wb_error err;
    CHECK_EQ(call(&sb, "recurse", 0, 0, NULL, &err), WB_ERR_LIMIT);
    CHECK_STR(err.message, "call stack exhausted");
    CHECKF(strstr(err.detail, "x500") != NULL, "detail: %s", err.detail);
    /* the store is usable afterwards */
    uint32_t r = 1;
    CHECK_EQ(call(&sb, "count", 1, 3, &r, &err), WB_OK);
done:
    sandbox_close(&sb);
}

TEST(limits_memory_cap)
{
    Sandbox sb;
    wb_limits lim = {.max_memory_pages = 16};
    if (!CHECK(sandbox_open(&sb, &lim)))
        goto done;
    wb_error err;
    uint32_t r = 0;
    CHECK_EQ(call(&sb, "grow", 1, 15, &r, &err), WB_OK);
    CHECK_EQ(r, 1u);
    CHECK(!wb_store_memory_limit_hit(sb.store));
    CHECK_EQ(call(&sb, "grow", 1, 1, &r, &err), WB_OK);
    CHECK_EQ(r, (uint32_t)-1);
    CHECK(wb_store_memory_limit_hit(sb.store));
done:
    sandbox_close(&sb);
}
