/*
 * test_runtime.c — the runtime objects without the interpreter: memories
 * (growth to the maximum and past it, zeroed pages, the store's limit, the
 * malloc fallback when no address space can be reserved), tables (growth,
 * limits), globals (get/set, immutability, types), the linker (define,
 * lookup, replace, define_instance), host functions through wb_func_call
 * (argument checks), and instantiation: import matching ("unknown import",
 * "incompatible import type" for each kind and for limits), segments that
 * trap part-way (earlier writes stay visible through imported memories and
 * tables), global initialisers, and a host start function.
 *
 * Modules are hand-assembled from sections by a small byte builder; no test
 * runs guest code, so none depends on the interpreter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"
#include "platform/vmem.h"
#include "unit.h"
#include "wasm_bytes.h"
#include "wasmbox.h"

/* ---------------------------------------------------------------- builder */

/* SECTION(&buf, id, bytes...): appends a section with that payload. */
#define SECTION(m, id, ...)                                      \
    do {                                                         \
        static const uint8_t p_[] = {__VA_ARGS__};               \
        put_section_bytes(m, id, p_, sizeof p_);                       \
    } while (0)

enum { S_TYPE = 1, S_IMPORT, S_FUNC, S_TABLE, S_MEMORY, S_GLOBAL, S_EXPORT, S_START,
       S_ELEM, S_CODE, S_DATA };

#define I32 0x7f
#define I64 0x7e
#define F32 0x7d
#define FUNCREF 0x70

/* Decodes and validates m, or fails the test case (returns NULL). */
static wb_module *load(const char *file, int line, const Buf *m)
{
    wb_module *mod = NULL;
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_status st = wb_module_new(m->b, m->n, &mod, &err);
    unitCheckf(st == WB_OK, file, line, "module loads", "%s: %s", wb_status_name(st),
               err.message ? err.message : "");
    return st == WB_OK ? mod : NULL;
}
#define LOAD(m) load(__FILE__, __LINE__, m)

/* Instantiates, expecting failure with `status` and `message`. */
static void expect_fail(const char *file, int line, wb_store *s, const wb_module *mod,
                        const wb_linker *l, wb_status status, const char *message,
                        const char *detail)
{
    wb_error err;
    wb_instance *inst = (wb_instance *)&err; /* must be reset to NULL */
    wb_status st = wb_instance_new(s, mod, l, &inst, &err);
    unitCheckf(st == status, file, line, "status", "got %s (%s), want %s",
               wb_status_name(st), err.message ? err.message : "", wb_status_name(status));
    unitCheckf(inst == NULL, file, line, "inst == NULL", "*out not reset");
    unitCheckf(err.status == st, file, line, "err.status", "%s", wb_status_name(err.status));
    unitCheckStr(file, line, "err.message", "message", err.message, message);
    if (detail)
        unitCheckStr(file, line, "err.detail", "detail", err.detail, detail);
}
#define EXPECT_FAIL(s, mod, l, status, message, detail) \
    expect_fail(__FILE__, __LINE__, s, mod, l, status, message, detail)

static wb_instance *instantiate(const char *file, int line, wb_store *s, const wb_module *mod,
                                const wb_linker *l)
{
    wb_error err;
    wb_instance *inst = NULL;
    wb_status st = wb_instance_new(s, mod, l, &inst, &err);
    unitCheckf(st == WB_OK && inst, file, line, "instantiates", "%s: %s (%s)",
               wb_status_name(st), err.message ? err.message : "", err.detail);
    return st == WB_OK ? inst : NULL;
}
#define INSTANTIATE(s, mod, l) instantiate(__FILE__, __LINE__, s, mod, l)

static wb_value v_i32(uint32_t x)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = WB_TYPE_I32;
    v.of.i32 = x;
    return v;
}

static wb_value v_i64(uint64_t x)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = WB_TYPE_I64;
    v.of.i64 = x;
    return v;
}

static wb_value v_f32(uint32_t bits)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = WB_TYPE_F32;
    v.of.f32 = bits;
    return v;
}

static wb_extern x_func(wb_func *f)
{
    wb_extern e = {.kind = WB_EXTERN_FUNC, .of.func = f};
    return e;
}

static wb_extern x_table(wb_table *t)
{
    wb_extern e = {.kind = WB_EXTERN_TABLE, .of.table = t};
    return e;
}

static wb_extern x_memory(wb_memory *m)
{
    wb_extern e = {.kind = WB_EXTERN_MEMORY, .of.memory = m};
    return e;
}

static wb_extern x_global(wb_global *g)
{
    wb_extern e = {.kind = WB_EXTERN_GLOBAL, .of.global = g};
    return e;
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* ---------------------------------------------------------------- memories */

/* Grows a 1..3-page memory to its maximum and past it, in whichever mode
 * (reserved address space or malloc) the store gives it. */
static void memory_grow_cycle(bool reserved)
{
    wb_store *s = wb_store_new(NULL);
    wb_memory *mem = wb_memory_new(s, 1, 3, 1);
    if (!CHECK(mem))
        goto out;
    CHECK_EQ(mem->reserved != 0, reserved);
    CHECK_EQ(wb_memory_size(mem), 65536u);
    uint8_t *data = wb_memory_data(mem);
    CHECK(data && all_zero(data, 65536));
    data[0] = 7;
    data[65535] = 9;
    CHECK_EQ(wbMemoryGrow(mem, 0), 1);
    CHECK_EQ(wbMemoryGrow(mem, 2), 1);
    CHECK_EQ(wb_memory_size(mem), 3u * 65536u);
    data = wb_memory_data(mem);
    CHECK_EQ(data[0], 7);
    CHECK_EQ(data[65535], 9);
    CHECK(all_zero(data + 65536, 2 * 65536));
    data[3 * 65536 - 1] = 1; /* the last byte is writable */
    CHECK_EQ(wbMemoryGrow(mem, 1), -1);
    CHECK_EQ(wbMemoryGrow(mem, UINT32_MAX), -1);
    CHECK_EQ(wbMemoryGrow(mem, 0), 3);
    CHECK_EQ(wb_memory_size(mem), 3u * 65536u);
    CHECK(wb_memory_data(mem) == data);
out:
    wb_store_delete(s);
}

TEST(runtime_memory_grow_to_max)
{
    memory_grow_cycle(true);
}

/* As under a small ulimit -v: no reservation, the bytes are malloc'd. */
TEST(runtime_memory_grow_without_vmem)
{
    wbVmemSetDisabled(true);
    memory_grow_cycle(false);
    wbVmemSetDisabled(false);
}

TEST(runtime_memory_address_stable)
{
    wb_store *s = wb_store_new(NULL);
    wb_memory *mem = wb_memory_new(s, 0, 0, 0); /* no max: up to 4 GiB */
    if (CHECK(mem)) {
        uint8_t *data = wb_memory_data(mem);
        CHECK(data != NULL);
        CHECK_EQ(wb_memory_size(mem), 0u);
        CHECK_EQ(wbMemoryGrow(mem, 16), 0);
        CHECK(wb_memory_data(mem) == data);
        CHECK(all_zero(data, 16 * 65536));
        CHECK_EQ(wbMemoryGrow(mem, 65536 - 16 + 1), -1);
    }
    wb_memory *empty = wb_memory_new(s, 0, 0, 1);
    if (CHECK(empty)) {
        CHECK(wb_memory_data(empty) != NULL);
        CHECK_EQ(wbMemoryGrow(empty, 1), -1);
        CHECK_EQ(wbMemoryGrow(empty, 0), 0);
    }
    wb_store_delete(s);
}

TEST(runtime_memory_limits)
{
    wb_limits lim = {.max_memory_pages = 2};
    wb_store *s = wb_store_new(&lim);
    CHECK(wb_memory_new(s, 3, 0, 0) == NULL);     /* min past the store's limit */
    CHECK(wb_memory_new(s, 2, 1, 1) == NULL);     /* min > max */
    CHECK(wb_memory_new(s, 0, 65537, 1) == NULL); /* max past 4 GiB */
    CHECK(wb_memory_new(s, 65537, 0, 0) == NULL);
    wb_memory *mem = wb_memory_new(s, 1, 100, 1);
    if (CHECK(mem)) {
        CHECK_EQ(mem->max_pages, 2u);
        CHECK_EQ(mem->declared_max_pages, 100u);
        CHECK_EQ(wbMemoryGrow(mem, 1), 1);
        CHECK_EQ(wbMemoryGrow(mem, 1), -1); /* the store's limit */
    }
    wb_store_delete(s);
}

/* ------------------------------------------------------------------ tables */

TEST(runtime_table_grow)
{
    wb_store *s = wb_store_new(NULL);
    wb_table *t = wb_table_new(s, WB_TYPE_FUNCREF, 1, 4, 1);
    int marker;
    if (CHECK(t)) {
        CHECK_EQ(wb_table_size(t), 1u);
        CHECK(t->elems[0] == NULL);
        CHECK_EQ(wbTableGrow(t, 0, NULL), 1);
        CHECK_EQ(wbTableGrow(t, 2, &marker), 1);
        CHECK_EQ(wb_table_size(t), 3u);
        CHECK(t->elems[0] == NULL && t->elems[1] == &marker && t->elems[2] == &marker);
        CHECK_EQ(wbTableGrow(t, 2, NULL), -1);
        CHECK_EQ(wbTableGrow(t, UINT32_MAX, NULL), -1);
        CHECK_EQ(wb_table_size(t), 3u);
        CHECK_EQ(wbTableGrow(t, 1, NULL), 3);
        CHECK_EQ(wbTableGrow(t, 1, NULL), -1);
    }
    /* no declared max: grows one by one up to the store's limit */
    wb_table *u = wb_table_new(s, WB_TYPE_EXTERNREF, 0, 0, 0);
    if (CHECK(u)) {
        for (uint32_t i = 0; i < 1000; i++)
            if (!CHECK_EQ(wbTableGrow(u, 1, &marker), (int64_t)i))
                break;
        CHECK(u->elems[999] == &marker);
    }
    CHECK(wb_table_new(s, WB_TYPE_I32, 0, 0, 0) == NULL); /* not a reference type */
    CHECK(wb_table_new(s, WB_TYPE_FUNCREF, 2, 1, 1) == NULL);
    wb_store_delete(s);
}

TEST(runtime_table_store_limit)
{
    wb_limits lim = {.max_table_elems = 5};
    wb_store *s = wb_store_new(&lim);
    CHECK(wb_table_new(s, WB_TYPE_FUNCREF, 6, 0, 0) == NULL);
    wb_table *t = wb_table_new(s, WB_TYPE_FUNCREF, 4, 10, 1);
    if (CHECK(t)) {
        CHECK_EQ(t->max, 5u);
        CHECK_EQ(wbTableGrow(t, 2, NULL), -1);
        CHECK_EQ(wbTableGrow(t, 1, NULL), 4);
    }
    wb_store_delete(s);
}

/* ----------------------------------------------------------------- globals */

TEST(runtime_global_get_set)
{
    wb_store *s = wb_store_new(NULL);
    wb_global *g = wb_global_new(s, WB_TYPE_I32, 1, v_i32(5));
    wb_global *c = wb_global_new(s, WB_TYPE_I64, 0, v_i64(0x123456789abcdef0u));
    wb_global *f = wb_global_new(s, WB_TYPE_F32, 1, v_f32(0x7fc00001u)); /* a NaN */
    if (!CHECK(g && c && f))
        goto out;
    wb_value v = wb_global_get(g);
    CHECK_EQ(v.type, WB_TYPE_I32);
    CHECK_EQ(v.of.i32, 5u);
    CHECK_EQ(wb_global_set(g, v_i32(0xffffffffu)), WB_OK);
    CHECK_EQ(wb_global_get(g).of.i32, 0xffffffffu);
    CHECK_EQ(wb_global_set(g, v_i64(1)), WB_ERR_ARG); /* type differs */
    CHECK_EQ(wb_global_get(g).of.i32, 0xffffffffu);

    CHECK_EQ(wb_global_get(c).of.i64, 0x123456789abcdef0u);
    CHECK_EQ(wb_global_set(c, v_i64(1)), WB_ERR_ARG); /* immutable */
    CHECK_EQ(wb_global_get(c).of.i64, 0x123456789abcdef0u);

    CHECK_EQ(wb_global_get(f).of.f32, 0x7fc00001u); /* payload kept */
    CHECK_EQ(wb_global_set(f, v_f32(0xff800000u)), WB_OK);
    CHECK_EQ(wb_global_get(f).of.f32, 0xff800000u);

    CHECK(wb_global_new(s, WB_TYPE_I32, 0, v_i64(1)) == NULL); /* value of another type */
out:
    wb_store_delete(s);
}

/* (import "m" "g" (global i32)) (global i32 (global.get 0))
 * (global (mut i64) (i64.const -2)) (global f32 (f32.const bits 0x40490fdb))
 * (export "g" (global 0)) (export "h" (global 1)) (export "k" (global 2))
 * (export "p" (global 3)) */
static void module_globals(Buf *m)
{
    put_header(m);
    SECTION(m, S_IMPORT, 1, 1, 'm', 1, 'g', 3, I32, 0);
    SECTION(m, S_GLOBAL, 3, I32, 0, 0x23, 0, 0x0b, I64, 1, 0x42, 0x7e, 0x0b, F32, 0, 0x43,
            0xdb, 0x0f, 0x49, 0x40, 0x0b);
    SECTION(m, S_EXPORT, 4, 1, 'g', 3, 0, 1, 'h', 3, 1, 1, 'k', 3, 2, 1, 'p', 3, 3);
}

TEST(runtime_global_initialisers)
{
    Buf m;
    module_globals(&m);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    wb_global *g = wb_global_new(s, WB_TYPE_I32, 0, v_i32(42));
    CHECK_EQ(wb_linker_define(l, "m", "g", x_global(g)), WB_OK);
    wb_instance *inst = mod ? INSTANTIATE(s, mod, l) : NULL;
    if (inst) {
        wb_extern e;
        CHECK(wb_instance_export(inst, "g", &e) && e.kind == WB_EXTERN_GLOBAL &&
              e.of.global == g);
        if (CHECK(wb_instance_export(inst, "h", &e) && e.kind == WB_EXTERN_GLOBAL)) {
            CHECK_EQ(wb_global_get(e.of.global).of.i32, 42u);
            CHECK_EQ(wb_global_set(e.of.global, v_i32(1)), WB_ERR_ARG);
        }
        if (CHECK(wb_instance_export(inst, "k", &e))) {
            CHECK_EQ(wb_global_get(e.of.global).type, WB_TYPE_I64);
            CHECK_EQ(wb_global_get(e.of.global).of.i64, (uint64_t)-2);
            CHECK_EQ(wb_global_set(e.of.global, v_i64(3)), WB_OK);
        }
        if (CHECK(wb_instance_export(inst, "p", &e)))
            CHECK_EQ(wb_global_get(e.of.global).of.f32, 0x40490fdbu);
        CHECK(!wb_instance_export(inst, "missing", &e));
        CHECK(!wb_instance_export(inst, "", &e));
        CHECK(!wb_instance_export(inst, "gg", &e));
    }
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* ------------------------------------------------------------------ linker */

/* (import "m" "g" (global i32)) (export "g" (global 0)) */
static void module_reexport(Buf *m)
{
    put_header(m);
    SECTION(m, S_IMPORT, 1, 1, 'm', 1, 'g', 3, I32, 0);
    SECTION(m, S_EXPORT, 1, 1, 'g', 3, 0);
}

/* The global that instantiating module_reexport through l imports. */
static wb_global *imported_global(wb_store *s, const wb_module *mod, const wb_linker *l)
{
    wb_instance *inst = INSTANTIATE(s, mod, l);
    wb_extern e;
    if (!inst || !CHECK(wb_instance_export(inst, "g", &e)) || !CHECK(e.kind == WB_EXTERN_GLOBAL))
        return NULL;
    return e.of.global;
}

TEST(runtime_linker_define_replace)
{
    Buf m;
    module_reexport(&m);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    wb_global *a = wb_global_new(s, WB_TYPE_I32, 0, v_i32(1));
    wb_global *b = wb_global_new(s, WB_TYPE_I32, 0, v_i32(2));
    if (!CHECK(mod && l && a && b))
        goto out;
    CHECK_EQ(wb_linker_define(l, "m", "g", x_global(a)), WB_OK);
    CHECK(imported_global(s, mod, l) == a);
    CHECK_EQ(wb_linker_define(l, "m", "g", x_global(b)), WB_OK); /* replaces */
    CHECK(imported_global(s, mod, l) == b);

    /* lookups compare whole names */
    const wb_extern *e = wbLinkerLookup(l, (const uint8_t *)"m", 1, (const uint8_t *)"g", 1);
    CHECK(e && e->of.global == b);
    CHECK(wbLinkerLookup(l, (const uint8_t *)"m", 1, (const uint8_t *)"gx", 1) != NULL);
    CHECK(wbLinkerLookup(l, (const uint8_t *)"m", 1, (const uint8_t *)"gx", 2) == NULL);
    CHECK(wbLinkerLookup(l, (const uint8_t *)"mg", 2, (const uint8_t *)"", 0) == NULL);
    CHECK(wbLinkerLookup(l, (const uint8_t *)"", 0, (const uint8_t *)"mg", 2) == NULL);
    CHECK(wbLinkerLookup(NULL, (const uint8_t *)"m", 1, (const uint8_t *)"g", 1) == NULL);

    /* many names: the hash map rehashes and still finds each */
    char name[16];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "n%d", i);
        if (!CHECK_EQ(wb_linker_define(l, i % 2 ? "x" : "y", name, x_global(i % 3 ? a : b)),
                      WB_OK))
            break;
    }
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "n%d", i);
        e = wbLinkerLookup(l, (const uint8_t *)(i % 2 ? "x" : "y"), 1, (const uint8_t *)name,
                           strlen(name));
        if (!CHECKF(e && e->of.global == (i % 3 ? a : b), "name %s", name))
            break;
    }

    /* bad arguments */
    wb_extern none = {.kind = WB_EXTERN_GLOBAL, .of.global = NULL};
    CHECK_EQ(wb_linker_define(l, "m", "g", none), WB_ERR_ARG);
    CHECK_EQ(wb_linker_define(l, NULL, "g", x_global(a)), WB_ERR_ARG);
out:
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

TEST(runtime_linker_define_instance)
{
    Buf m;
    module_globals(&m);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    wb_global *g = wb_global_new(s, WB_TYPE_I32, 0, v_i32(7));
    wb_linker_define(l, "m", "g", x_global(g));
    wb_instance *inst = mod ? INSTANTIATE(s, mod, l) : NULL;
    if (inst) {
        CHECK_EQ(wb_linker_define_instance(l, "reg", inst), WB_OK);
        wb_extern e;
        const wb_extern *found;
        static const char *const names[] = {"g", "h", "k", "p"};
        for (int i = 0; i < 4; i++) {
            found = wbLinkerLookup(l, (const uint8_t *)"reg", 3, (const uint8_t *)names[i], 1);
            CHECKF(found && wb_instance_export(inst, names[i], &e) &&
                       found->of.global == e.of.global,
                   "export %s", names[i]);
        }
        /* a second module imports what the first exported: "reg" "h" is 7 */
        Buf m2;
        put_header(&m2);
        SECTION(&m2, S_IMPORT, 1, 3, 'r', 'e', 'g', 1, 'h', 3, I32, 0);
        SECTION(&m2, S_EXPORT, 1, 1, 'x', 3, 0);
        wb_module *mod2 = LOAD(&m2);
        wb_instance *inst2 = mod2 ? INSTANTIATE(s, mod2, l) : NULL;
        if (inst2 && CHECK(wb_instance_export(inst2, "x", &e)))
            CHECK_EQ(wb_global_get(e.of.global).of.i32, 7u);
        wb_store_delete(s); /* before the modules its instances use */
        s = NULL;
        wb_module_delete(mod2);
    }
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* ----------------------------------------------------------- import errors */

#define UNKNOWN "unknown import"
#define INCOMPATIBLE "incompatible import type"

TEST(runtime_unknown_import)
{
    Buf m;
    module_reexport(&m);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    if (mod) {
        EXPECT_FAIL(s, mod, NULL, WB_ERR_LINK, UNKNOWN, "m.g");
        EXPECT_FAIL(s, mod, l, WB_ERR_LINK, UNKNOWN, "m.g");
        wb_global *g = wb_global_new(s, WB_TYPE_I32, 0, v_i32(1));
        wb_linker_define(l, "m", "gg", x_global(g));
        wb_linker_define(l, "mm", "g", x_global(g));
        wb_linker_define(l, "g", "m", x_global(g));
        EXPECT_FAIL(s, mod, l, WB_ERR_LINK, UNKNOWN, "m.g");
    }
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

static wb_status host_nop(void *env, wb_instance *caller, const wb_value *args,
                          wb_value *results, const char **trap)
{
    (void)caller, (void)args, (void)results, (void)trap;
    if (env)
        ++*(int *)env;
    return WB_OK;
}

/* Instantiates mod with "m" "x" defined as `item`: ok or incompatible. */
static void link_with(const char *file, int line, wb_store *s, const wb_module *mod,
                      wb_extern item, bool ok)
{
    wb_linker *l = wb_linker_new(s);
    wb_linker_define(l, "m", "x", item);
    if (ok)
        instantiate(file, line, s, mod, l);
    else
        expect_fail(file, line, s, mod, l, WB_ERR_LINK, INCOMPATIBLE, "m.x");
    wb_linker_delete(l);
}
#define LINK_OK(s, mod, item) link_with(__FILE__, __LINE__, s, mod, item, true)
#define LINK_BAD(s, mod, item) link_with(__FILE__, __LINE__, s, mod, item, false)

TEST(runtime_import_func_mismatch)
{
    Buf m;
    put_header(&m); /* (import "m" "x" (func (param i32) (result i64))) */
    SECTION(&m, S_TYPE, 1, 0x60, 1, I32, 1, I64);
    SECTION(&m, S_IMPORT, 1, 1, 'm', 1, 'x', 0, 0);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    if (mod) {
        static const wb_valtype i32[] = {WB_TYPE_I32}, i64[] = {WB_TYPE_I64};
        LINK_OK(s, mod, x_func(wb_func_new_host(s, i32, 1, i64, 1, host_nop, NULL)));
        LINK_BAD(s, mod, x_func(wb_func_new_host(s, i64, 1, i64, 1, host_nop, NULL)));
        LINK_BAD(s, mod, x_func(wb_func_new_host(s, i32, 1, i32, 1, host_nop, NULL)));
        LINK_BAD(s, mod, x_func(wb_func_new_host(s, i32, 1, NULL, 0, host_nop, NULL)));
        LINK_BAD(s, mod, x_func(wb_func_new_host(s, NULL, 0, i64, 1, host_nop, NULL)));
        LINK_BAD(s, mod, x_global(wb_global_new(s, WB_TYPE_I32, 0, v_i32(0))));
        LINK_BAD(s, mod, x_memory(wb_memory_new(s, 0, 0, 0)));
        LINK_BAD(s, mod, x_table(wb_table_new(s, WB_TYPE_FUNCREF, 0, 0, 0)));
    }
    wb_store_delete(s);
    wb_module_delete(mod);
}

TEST(runtime_import_global_mismatch)
{
    Buf m;
    put_header(&m); /* (import "m" "x" (global (mut i32))) */
    SECTION(&m, S_IMPORT, 1, 1, 'm', 1, 'x', 3, I32, 1);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    if (mod) {
        LINK_OK(s, mod, x_global(wb_global_new(s, WB_TYPE_I32, 1, v_i32(0))));
        LINK_BAD(s, mod, x_global(wb_global_new(s, WB_TYPE_I32, 0, v_i32(0))));
        LINK_BAD(s, mod, x_global(wb_global_new(s, WB_TYPE_I64, 1, v_i64(0))));
        LINK_BAD(s, mod, x_func(wb_func_new_host(s, NULL, 0, NULL, 0, host_nop, NULL)));
    }
    wb_store_delete(s);
    wb_module_delete(mod);
}

TEST(runtime_import_table_limits)
{
    Buf m;
    put_header(&m); /* (import "m" "x" (table 2 3 funcref)) */
    SECTION(&m, S_IMPORT, 1, 1, 'm', 1, 'x', 1, FUNCREF, 1, 2, 3);
    wb_module *mod = LOAD(&m);
    wb_limits lim = {.max_table_elems = 2};
    wb_store *s = wb_store_new(&lim);
    if (mod) {
        LINK_OK(s, mod, x_table(wb_table_new(s, WB_TYPE_FUNCREF, 2, 3, 1)));
        LINK_OK(s, mod, x_table(wb_table_new(s, WB_TYPE_FUNCREF, 2, 2, 1)));
        /* the declared max counts, not the store-capped one (2 here) */
        LINK_BAD(s, mod, x_table(wb_table_new(s, WB_TYPE_FUNCREF, 2, 4, 1)));
        LINK_BAD(s, mod, x_table(wb_table_new(s, WB_TYPE_FUNCREF, 2, 0, 0)));
        LINK_BAD(s, mod, x_table(wb_table_new(s, WB_TYPE_FUNCREF, 1, 3, 1)));
        LINK_BAD(s, mod, x_table(wb_table_new(s, WB_TYPE_EXTERNREF, 2, 3, 1)));
        /* the current size counts, not the declared minimum */
        wb_table *t = wb_table_new(s, WB_TYPE_FUNCREF, 1, 3, 1);
        LINK_BAD(s, mod, x_table(t));
        CHECK_EQ(wbTableGrow(t, 1, NULL), 1);
        LINK_OK(s, mod, x_table(t));
        LINK_BAD(s, mod, x_memory(wb_memory_new(s, 2, 3, 1)));
    }
    wb_store_delete(s);
    wb_module_delete(mod);
}

TEST(runtime_import_memory_limits)
{
    Buf m;
    put_header(&m); /* (import "m" "x" (memory 1 2)) */
    SECTION(&m, S_IMPORT, 1, 1, 'm', 1, 'x', 2, 1, 1, 2);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    if (mod) {
        LINK_OK(s, mod, x_memory(wb_memory_new(s, 1, 2, 1)));
        LINK_OK(s, mod, x_memory(wb_memory_new(s, 2, 2, 1)));
        LINK_OK(s, mod, x_memory(wb_memory_new(s, 1, 1, 1)));
        LINK_BAD(s, mod, x_memory(wb_memory_new(s, 1, 3, 1)));
        LINK_BAD(s, mod, x_memory(wb_memory_new(s, 1, 0, 0)));
        LINK_BAD(s, mod, x_memory(wb_memory_new(s, 0, 2, 1)));
        wb_memory *mem = wb_memory_new(s, 0, 2, 1);
        CHECK_EQ(wbMemoryGrow(mem, 1), 0);
        LINK_OK(s, mod, x_memory(mem));
        LINK_BAD(s, mod, x_table(wb_table_new(s, WB_TYPE_FUNCREF, 1, 2, 1)));
    }
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* The first failing import is reported, even when a later one is unknown. */
TEST(runtime_import_first_error_wins)
{
    Buf m;
    put_header(&m); /* (import "m" "x" (memory 1)) (import "m" "y" (global i32)) */
    SECTION(&m, S_IMPORT, 2, 1, 'm', 1, 'x', 2, 0, 1, 1, 'm', 1, 'y', 3, I32, 0);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    if (mod) {
        wb_linker_define(l, "m", "x", x_memory(wb_memory_new(s, 0, 0, 0)));
        EXPECT_FAIL(s, mod, l, WB_ERR_LINK, INCOMPATIBLE, "m.x");
        wb_linker_define(l, "m", "x", x_memory(wb_memory_new(s, 1, 0, 0)));
        EXPECT_FAIL(s, mod, l, WB_ERR_LINK, UNKNOWN, "m.y");
    }
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* ---------------------------------------------------------------- segments */

TEST(runtime_data_segments)
{
    Buf m;
    put_header(&m); /* (memory 1) (export "mem" (memory 0))
                       (data (i32.const 10) "ab") (data "passive") */
    SECTION(&m, S_MEMORY, 1, 0, 1);
    SECTION(&m, S_EXPORT, 1, 3, 'm', 'e', 'm', 2, 0);
    SECTION(&m, S_DATA, 2, 0, 0x41, 10, 0x0b, 2, 'a', 'b', 1, 1, 'p');
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_instance *inst = mod ? INSTANTIATE(s, mod, NULL) : NULL;
    wb_extern e;
    if (inst && CHECK(wb_instance_export(inst, "mem", &e) && e.kind == WB_EXTERN_MEMORY)) {
        uint8_t *d = wb_memory_data(e.of.memory);
        CHECK(all_zero(d, 10));
        CHECK(d[10] == 'a' && d[11] == 'b');
        CHECK(all_zero(d + 12, 65536 - 12));
        CHECK_EQ(inst->dropped_datas[0], 1);
        CHECK_EQ(inst->dropped_datas[1], 0);
        /* memory.init of a dropped segment: only n == 0 at offset 0 */
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 0, 0, 0, 1), "out of bounds memory access");
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 0, 0, 0, 0), NULL);
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 1, 65535, 0, 1), NULL);
        CHECK_EQ(d[65535], 'p');
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 1, 65535, 1, 1),
                  "out of bounds memory access");
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 1, 0xffffffffu, 0, 1),
                  "out of bounds memory access");
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 1, 65536, 0, 0), NULL);
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 1, 65537, 0, 0),
                  "out of bounds memory access");
        CHECK_STR(wbMemoryInit(inst, e.of.memory, 2, 0, 0, 0), "out of bounds memory access");
    }
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* The second segment is out of bounds: instantiation traps, but what the
 * first one wrote into the imported memory stays. */
TEST(runtime_data_segment_out_of_bounds)
{
    Buf m;
    put_header(&m); /* (import "m" "mem" (memory 1)) (data (i32.const 0) "hi")
                       (data (i32.const 65535) "xyz") */
    SECTION(&m, S_IMPORT, 1, 1, 'm', 3, 'm', 'e', 'm', 2, 0, 1);
    SECTION(&m, S_DATA, 2, 0, 0x41, 0, 0x0b, 2, 'h', 'i', 0, 0x41, 0xff, 0xff, 0x03, 0x0b, 3,
            'x', 'y', 'z');
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    wb_memory *mem = wb_memory_new(s, 1, 0, 0);
    wb_linker_define(l, "m", "mem", x_memory(mem));
    if (mod && mem) {
        EXPECT_FAIL(s, mod, l, WB_ERR_TRAP, "out of bounds memory access", "data segment 1");
        uint8_t *d = wb_memory_data(mem);
        CHECK(d[0] == 'h' && d[1] == 'i');
        CHECK_EQ(d[65535], 0); /* nothing of the failing segment */
        /* with room for it, the same module instantiates */
        CHECK_EQ(wbMemoryGrow(mem, 1), 1);
        if (INSTANTIATE(s, mod, l))
            CHECK(d[65535] == 'x' && d[65536] == 'y' && d[65537] == 'z');
    }
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* The offset is unsigned: i32.const -1 is 4 GiB - 1, out of bounds even for
 * an empty segment. */
TEST(runtime_data_offset_unsigned)
{
    Buf m;
    put_header(&m); /* (memory 1) (data (i32.const -1) "") */
    SECTION(&m, S_MEMORY, 1, 0, 1);
    SECTION(&m, S_DATA, 1, 0, 0x41, 0x7f, 0x0b, 0);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    if (mod)
        EXPECT_FAIL(s, mod, NULL, WB_ERR_TRAP, "out of bounds memory access", NULL);
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* (type (func)) (import "m" "t" (table 2 funcref)) (func) (export "f" (func 0))
 * (elem (i32.const 0) func 0) (elem (i32.const <second>) func 0 0) */
static void module_elems(Buf *m, uint8_t second)
{
    put_header(m);
    SECTION(m, S_TYPE, 1, 0x60, 0, 0);
    SECTION(m, S_IMPORT, 1, 1, 'm', 1, 't', 1, FUNCREF, 0, 2);
    SECTION(m, S_FUNC, 1, 0);
    SECTION(m, S_EXPORT, 1, 1, 'f', 0, 0);
    uint8_t elem[] = {2, 0, 0x41, 0, 0x0b, 1, 0, 0, 0x41, second, 0x0b, 2, 0, 0};
    put_section_bytes(m, S_ELEM, elem, sizeof elem);
    SECTION(m, S_CODE, 1, 2, 0, 0x0b);
}

TEST(runtime_elem_segment_out_of_bounds)
{
    Buf m;
    module_elems(&m, 1); /* 1 + 2 > 2 */
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    wb_table *t = wb_table_new(s, WB_TYPE_FUNCREF, 2, 0, 0);
    wb_linker_define(l, "m", "t", x_table(t));
    if (mod && t) {
        EXPECT_FAIL(s, mod, l, WB_ERR_TRAP, "out of bounds table access", "element segment 1");
        /* the first segment's function stays, alive in the store */
        wb_func *f = t->elems[0];
        CHECK(f != NULL);
        CHECK(t->elems[1] == NULL);
        uint32_t np = 9, nr = 9;
        wb_func_type(f, &np, NULL, &nr, NULL);
        CHECK_EQ(np, 0u);
        CHECK_EQ(nr, 0u);
        if (f)
            CHECK_EQ(f->index, 0u);
    }
    wb_module_delete(mod);
    module_elems(&m, 0); /* fits */
    mod = LOAD(&m);
    wb_instance *inst = mod ? INSTANTIATE(s, mod, l) : NULL;
    wb_extern e;
    if (inst && CHECK(wb_instance_export(inst, "f", &e))) {
        CHECK(t->elems[0] == e.of.func && t->elems[1] == e.of.func);
        CHECK_EQ(inst->dropped_elems[0], 1);
        CHECK_EQ(inst->dropped_elems[1], 1);
        CHECK_STR(wbTableInit(inst, t, 0, 0, 0, 1), "out of bounds table access");
        CHECK_STR(wbTableInit(inst, t, 0, 2, 0, 0), NULL);
        CHECK_STR(wbTableInit(inst, t, 0, 3, 0, 0), "out of bounds table access");
        CHECK_STR(wbTableInit(inst, t, 5, 0, 0, 0), "out of bounds table access");
    }
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* ---------------------------------------------------------- host functions */

static wb_status host_add(void *env, wb_instance *caller, const wb_value *args,
                          wb_value *results, const char **trap)
{
    (void)env, (void)trap;
    if (caller)
        return WB_ERR_ARG;
    results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
    return WB_OK;
}

static wb_status host_trap(void *env, wb_instance *caller, const wb_value *args,
                           wb_value *results, const char **trap)
{
    (void)caller, (void)args, (void)results;
    if (env)
        ++*(int *)env;
    *trap = "unreachable";
    return WB_ERR_TRAP;
}

TEST(runtime_host_func_call)
{
    wb_store *s = wb_store_new(NULL);
    static const wb_valtype p[] = {WB_TYPE_I32, WB_TYPE_I32}, r[] = {WB_TYPE_I32};
    wb_func *add = wb_func_new_host(s, p, 2, r, 1, host_add, NULL);
    if (!CHECK(add))
        goto out;
    uint32_t np, nr;
    const wb_valtype *tp, *tr;
    wb_func_type(add, &np, &tp, &nr, &tr);
    CHECK_EQ(np, 2u);
    CHECK_EQ(nr, 1u);
    CHECK(tp[0] == WB_TYPE_I32 && tp[1] == WB_TYPE_I32 && tr[0] == WB_TYPE_I32);

    wb_value args[2] = {v_i32(40), v_i32(2)}, res[1];
    wb_error err;
    CHECK_EQ(wb_func_call(add, args, 2, res, 1, &err), WB_OK);
    CHECK_EQ(res[0].type, WB_TYPE_I32);
    CHECK_EQ(res[0].of.i32, 42u);
    CHECK_EQ(wb_func_call(add, args, 2, res, 1, NULL), WB_OK);

    CHECK_EQ(wb_func_call(add, args, 1, res, 1, &err), WB_ERR_ARG);
    CHECK_STR(err.message, "argument count mismatch");
    CHECK_EQ(wb_func_call(add, args, 2, res, 0, &err), WB_ERR_ARG);
    CHECK_STR(err.message, "result count mismatch");
    args[1] = v_i64(2);
    CHECK_EQ(wb_func_call(add, args, 2, res, 1, &err), WB_ERR_ARG);
    CHECK_STR(err.message, "argument type mismatch");
    CHECK_STR(err.detail, "argument 1: expected i32, got i64");
    CHECK_EQ(wb_func_call(NULL, args, 2, res, 1, &err), WB_ERR_ARG);

    int count = 0;
    wb_func *t = wb_func_new_host(s, NULL, 0, NULL, 0, host_trap, &count);
    CHECK_EQ(wb_func_call(t, NULL, 0, NULL, 0, &err), WB_ERR_TRAP);
    CHECK_STR(err.message, "unreachable");
    CHECK_EQ(count, 1);

    static const wb_valtype bad[] = {(wb_valtype)0x40};
    CHECK(wb_func_new_host(s, bad, 1, NULL, 0, host_nop, NULL) == NULL);
    CHECK(wb_func_new_host(s, NULL, 0, NULL, 0, NULL, NULL) == NULL);
out:
    wb_store_delete(s);
}

/* (type (func)) (import "m" "f" (func (type 0))) (start 0) */
TEST(runtime_host_start)
{
    Buf m;
    put_header(&m);
    SECTION(&m, S_TYPE, 1, 0x60, 0, 0);
    SECTION(&m, S_IMPORT, 1, 1, 'm', 1, 'f', 0, 0);
    SECTION(&m, S_START, 0);
    wb_module *mod = LOAD(&m);
    wb_store *s = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(s);
    int calls = 0, traps = 0;
    if (mod) {
        wb_linker_define(l, "m", "f", x_func(wb_func_new_host(s, NULL, 0, NULL, 0, host_nop, &calls)));
        INSTANTIATE(s, mod, l);
        CHECK_EQ(calls, 1);
        wb_linker_define(l, "m", "f",
                         x_func(wb_func_new_host(s, NULL, 0, NULL, 0, host_trap, &traps)));
        EXPECT_FAIL(s, mod, l, WB_ERR_TRAP, "unreachable", NULL);
        CHECK_EQ(traps, 1);
    }
    wb_linker_delete(l);
    wb_store_delete(s);
    wb_module_delete(mod);
}

/* ------------------------------------------------------------------- store */

TEST(runtime_store_thread)
{
    wb_limits lim = {.max_stack_bytes = 1 << 16, .max_call_depth = 100, .fuel = 5};
    wb_store *s = wb_store_new(&lim);
    if (!CHECK(s))
        return;
    CHECK_EQ(s->limits.max_memory_pages, 65536u);
    CHECK_EQ(s->limits.max_table_elems, 10000000u);
    CHECK(s->thread.fuel_on);
    wbThread *t = wbStoreThread(s);
    if (CHECK(t)) {
        CHECK_EQ((size_t)(t->stack_end - t->stack), (size_t)(1 << 16) / sizeof(wbSlot));
        CHECK_EQ(t->max_frames, 100u);
        t->stack[0].i64 = 1;
        t->stack_end[-1].i64 = 2; /* the whole stack is writable */
        t->frames[99].func = NULL;
        CHECK(wbStoreThread(s) == t);
    }
    wb_store_delete(s);
    wb_store_delete(NULL);

    wbVmemSetDisabled(true);
    s = wb_store_new(NULL);
    t = wbStoreThread(s);
    if (CHECK(t)) {
        CHECK_EQ((size_t)(t->stack_end - t->stack), ((size_t)8 << 20) / sizeof(wbSlot));
        CHECK_EQ(t->max_frames, 100000u);
        t->stack_end[-1].i64 = 2;
    }
    wb_store_delete(s);
    wbVmemSetDisabled(false);
}
