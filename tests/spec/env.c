/*
 * env.c — the world one script runs in: a store, a linker that starts with
 * the suite's `spectest` module, every module the script loaded (kept until
 * the end, since instances refer to them) and the instances it named.
 *
 * spectest (as the reference interpreter defines it): functions print,
 * print_i32, print_i64, print_f32, print_f64, print_i32_f32, print_f64_f64
 * that do nothing (with --verbose they print their arguments); immutable
 * globals global_i32 = 666, global_i64 = 666, global_f32 = 666.6,
 * global_f64 = 666.6; table: funcref, 10..20; memory: 1..2 pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

/* A spectest print function: prints its arguments when verbose. */
static wb_status spectest_print(void *env, wb_instance *caller,
                                const wb_value *args, wb_value *results,
                                const char **trap)
{
    (void)caller, (void)results, (void)trap;
    const char *name = env;
    if (!name)
        return WB_OK; /* not verbose */
    /* The argument count follows from the name: print_i32_f32 has two. */
    int n = 0;
    if (strcmp(name, "print") != 0)
        n = strchr(name + 6, '_') ? 2 : 1;
    printf("spectest.%s(", name);
    for (int i = 0; i < n; i++) {
        char buf[96];
        spec_value_format(&args[i], buf, sizeof buf);
        printf("%s%s", i ? ", " : "", buf);
    }
    printf(")\n");
    return WB_OK;
}

static const struct {
    const char *name;
    uint32_t nparams;
    wb_valtype params[2];
} print_funcs[] = {
    {"print", 0, {0}},
    {"print_i32", 1, {WB_TYPE_I32}},
    {"print_i64", 1, {WB_TYPE_I64}},
    {"print_f32", 1, {WB_TYPE_F32}},
    {"print_f64", 1, {WB_TYPE_F64}},
    {"print_i32_f32", 2, {WB_TYPE_I32, WB_TYPE_F32}},
    {"print_f64_f64", 2, {WB_TYPE_F64, WB_TYPE_F64}},
};

static bool define(spec_ctx *ctx, const char *name, wb_extern item, bool ok,
                   char *why)
{
    if (ok && wb_linker_define(ctx->linker, "spectest", name, item) == WB_OK)
        return true;
    snprintf(why, SPEC_WHY_MAX, "cannot define spectest.%s", name);
    return false;
}

static bool define_spectest(spec_ctx *ctx, char *why)
{
    wb_extern item;
    for (size_t i = 0; i < sizeof print_funcs / sizeof print_funcs[0]; i++) {
        item.kind = WB_EXTERN_FUNC;
        item.of.func = wb_func_new_host(
            ctx->store, print_funcs[i].params, print_funcs[i].nparams, NULL, 0,
            spectest_print,
            ctx->verbose ? (void *)print_funcs[i].name : NULL);
        if (!define(ctx, print_funcs[i].name, item, item.of.func != NULL, why))
            return false;
    }

    static const struct {
        const char *name;
        wb_valtype type;
        uint64_t bits;
    } globals[] = {
        {"global_i32", WB_TYPE_I32, 666},
        {"global_i64", WB_TYPE_I64, 666},
        {"global_f32", WB_TYPE_F32, 0x4426a666},          /* 666.6f */
        {"global_f64", WB_TYPE_F64, 0x4084d4cccccccccdULL}, /* 666.6 */
    };
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        wb_value v;
        memset(&v, 0, sizeof v);
        v.type = globals[i].type;
        if (v.type == WB_TYPE_I32 || v.type == WB_TYPE_F32)
            v.of.i32 = (uint32_t)globals[i].bits;
        else
            v.of.i64 = globals[i].bits;
        item.kind = WB_EXTERN_GLOBAL;
        item.of.global = wb_global_new(ctx->store, v.type, 0, v);
        if (!define(ctx, globals[i].name, item, item.of.global != NULL, why))
            return false;
    }

    item.kind = WB_EXTERN_TABLE;
    item.of.table = wb_table_new(ctx->store, WB_TYPE_FUNCREF, 10, 20, 1);
    if (!define(ctx, "table", item, item.of.table != NULL, why))
        return false;
    item.kind = WB_EXTERN_MEMORY;
    item.of.memory = wb_memory_new(ctx->store, 1, 2, 1);
    return define(ctx, "memory", item, item.of.memory != NULL, why);
}

bool spec_env_open(spec_ctx *ctx, char *why)
{
    ctx->store = wb_store_new(NULL);
    if (!ctx->store) {
        snprintf(why, SPEC_WHY_MAX, "cannot create a store");
        return false;
    }
    ctx->linker = wb_linker_new(ctx->store);
    if (!ctx->linker) {
        snprintf(why, SPEC_WHY_MAX, "cannot create a linker");
        return false;
    }
    return define_spectest(ctx, why);
}

void spec_env_close(spec_ctx *ctx)
{
    wb_linker_delete(ctx->linker);
    wb_store_delete(ctx->store);
    ctx->linker = NULL;
    ctx->store = NULL;
    /* Modules last: instances (freed with the store) refer to them. */
    for (size_t i = 0; i < ctx->n_modules; i++)
        wb_module_delete(ctx->modules[i]);
    free(ctx->modules);
    ctx->modules = NULL;
    ctx->n_modules = ctx->cap_modules = 0;
    for (size_t i = 0; i < ctx->n_named; i++)
        free(ctx->named[i].name);
    free(ctx->named);
    ctx->named = NULL;
    ctx->n_named = ctx->cap_named = 0;
    ctx->current = NULL;
    ctx->current_line = 0;
}

bool spec_env_keep_module(spec_ctx *ctx, wb_module *module)
{
    if (ctx->n_modules == ctx->cap_modules) {
        size_t cap = ctx->cap_modules ? ctx->cap_modules * 2 : 16;
        wb_module **bigger = realloc(ctx->modules, cap * sizeof *bigger);
        if (!bigger) {
            wb_module_delete(module);
            return false;
        }
        ctx->modules = bigger;
        ctx->cap_modules = cap;
    }
    ctx->modules[ctx->n_modules++] = module;
    return true;
}

bool spec_env_name_instance(spec_ctx *ctx, const char *name,
                            wb_instance *instance)
{
    for (size_t i = 0; i < ctx->n_named; i++) {
        if (strcmp(ctx->named[i].name, name) == 0) {
            ctx->named[i].instance = instance;
            return true;
        }
    }
    if (ctx->n_named == ctx->cap_named) {
        size_t cap = ctx->cap_named ? ctx->cap_named * 2 : 8;
        spec_named *bigger = realloc(ctx->named, cap * sizeof *bigger);
        if (!bigger)
            return false;
        ctx->named = bigger;
        ctx->cap_named = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return false;
    ctx->named[ctx->n_named].name = copy;
    ctx->named[ctx->n_named].instance = instance;
    ctx->n_named++;
    return true;
}

wb_instance *spec_env_instance(const spec_ctx *ctx, const char *name,
                               char *why)
{
    if (!name) {
        if (ctx->current)
            return ctx->current;
        if (ctx->current_line)
            snprintf(why, SPEC_WHY_MAX,
                     "no instance: the module of line %d was not "
                     "instantiated",
                     ctx->current_line);
        else
            snprintf(why, SPEC_WHY_MAX, "no module defined yet");
        return NULL;
    }
    for (size_t i = 0; i < ctx->n_named; i++) {
        if (strcmp(ctx->named[i].name, name) != 0)
            continue;
        if (ctx->named[i].instance)
            return ctx->named[i].instance;
        snprintf(why, SPEC_WHY_MAX,
                 "no instance: module %.100s was not instantiated", name);
        return NULL;
    }
    snprintf(why, SPEC_WHY_MAX, "no module named %.100s", name);
    return NULL;
}
