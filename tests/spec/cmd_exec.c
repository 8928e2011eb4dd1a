/*
 * cmd_exec.c — handlers for the commands that run code: invoking exports
 * or reading exported globals (assert_return, assert_trap,
 * assert_exhaustion, action) and naming instances (register).
 *
 * An action is {"type": "invoke", "module"?: "$M", "field": "f", "args":
 * [values]} or {"type": "get", "module"?, "field"}; without "module" it
 * targets the current instance (the latest `module`). Commands with v128
 * values, or whose call reaches a SIMD instruction, count as not run
 * (SIMD execution is not implemented); nothing else is excused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

/* How an action went. */
typedef enum run_result {
    RUN_DONE,   /* it ran: see status, err, results */
    RUN_NOTRUN, /* SIMD: why holds the reason */
    RUN_FAIL    /* the runner could not run it: why says why */
} run_result;

/* A performed action. */
typedef struct call {
    char label[256];     /* "f(i32:1, i32:0)", for messages */
    wb_status status;
    wb_error err;
    wb_value *results;   /* malloc'ed (nresults entries) */
    uint32_t nresults;
} call;

static const char *field(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* Appends printf-style text to buf (size n), truncating quietly. */
static void append(char *buf, size_t n, const char *text)
{
    size_t at = strlen(buf);
    if (at + 1 < n)
        snprintf(buf + at, n - at, "%s", text);
}

/* The export name, with bytes outside printable ASCII escaped. */
static void append_name(char *buf, size_t n, const char *name)
{
    char tmp[8];
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
            tmp[0] = (char)*p;
            tmp[1] = '\0';
        } else {
            snprintf(tmp, sizeof tmp, "\\x%02x", *p);
        }
        append(buf, n, tmp);
    }
}

static void set_notrun(char *why)
{
    snprintf(why, SPEC_WHY_MAX, SPEC_SIMD_NOTRUN);
}

static bool has_v128(const wb_valtype *types, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (types[i] == WB_TYPE_V128)
            return true;
    return false;
}

/* Runs an invoke: the arguments must match the function's parameters. */
static run_result invoke(const cJSON *action, const wb_extern *ext,
                         call *c, char *why)
{
    const cJSON *args_json = cJSON_GetObjectItemCaseSensitive(action, "args");
    if (args_json && !cJSON_IsArray(args_json)) {
        snprintf(why, SPEC_WHY_MAX, "%s: \"args\" is not an array", c->label);
        return RUN_FAIL;
    }
    uint32_t nargs = (uint32_t)cJSON_GetArraySize(args_json);
    wb_value *args = calloc(nargs ? nargs : 1, sizeof *args);
    if (!args) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        return RUN_FAIL;
    }
    /* Parse every argument first: one v128 makes the command not run. */
    run_result r = RUN_DONE;
    const cJSON *a;
    uint32_t i = 0;
    append(c->label, sizeof c->label, "(");
    cJSON_ArrayForEach(a, args_json) {
        spec_value v;
        char text[96];
        spec_parse p = spec_value_parse(a, false, &v, why);
        if (p == PARSE_BAD) {
            r = RUN_FAIL;
            break;
        }
        if (p == PARSE_V128) {
            set_notrun(why);
            r = RUN_NOTRUN;
            break;
        }
        args[i++] = v.v;
        spec_value_format(&v.v, text, sizeof text);
        append(c->label, sizeof c->label, i > 1 ? ", " : "");
        append(c->label, sizeof c->label, text);
    }
    append(c->label, sizeof c->label, ")");
    if (r != RUN_DONE) {
        free(args);
        return r;
    }
    if (ext->kind != WB_EXTERN_FUNC) {
        snprintf(why, SPEC_WHY_MAX, "%s: the export is not a function",
                 c->label);
        free(args);
        return RUN_FAIL;
    }

    uint32_t nparams = 0, nresults = 0;
    const wb_valtype *params = NULL, *results = NULL;
    wb_func_type(ext->of.func, &nparams, &params, &nresults, &results);
    if (has_v128(params, nparams) || has_v128(results, nresults)) {
        set_notrun(why);
        free(args);
        return RUN_NOTRUN;
    }
    if (nparams != nargs) {
        snprintf(why, SPEC_WHY_MAX,
                 "%s: the function takes %u parameter%s, the script passes "
                 "%u",
                 c->label, nparams, nparams == 1 ? "" : "s", nargs);
        free(args);
        return RUN_FAIL;
    }
    for (i = 0; i < nargs; i++) {
        if (args[i].type != params[i]) {
            snprintf(why, SPEC_WHY_MAX,
                     "%s: parameter %u is %s, the script passes %s", c->label,
                     i, spec_type_name(params[i]),
                     spec_type_name(args[i].type));
            free(args);
            return RUN_FAIL;
        }
    }
    c->results = calloc(nresults ? nresults : 1, sizeof *c->results);
    if (!c->results) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        free(args);
        return RUN_FAIL;
    }
    for (i = 0; i < nresults; i++)
        c->results[i].type = results[i];
    c->nresults = nresults;
    c->status = wb_func_call(ext->of.func, args, nargs, c->results, nresults,
                             &c->err);
    c->err.status = c->status;
    free(args);
    if (c->status != WB_OK && !c->err.message)
        c->err.message = ""; /* the API promises a message; never crash */
    if (spec_is_simd_trap(&c->err)) {
        set_notrun(why);
        return RUN_NOTRUN;
    }
    return RUN_DONE;
}

/* Reads an exported global. */
static run_result get(const wb_extern *ext, call *c, char *why)
{
    if (ext->kind != WB_EXTERN_GLOBAL) {
        snprintf(why, SPEC_WHY_MAX, "%s: the export is not a global",
                 c->label);
        return RUN_FAIL;
    }
    c->results = calloc(1, sizeof *c->results);
    if (!c->results) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        return RUN_FAIL;
    }
    c->results[0] = wb_global_get(ext->of.global);
    c->nresults = 1;
    c->status = WB_OK;
    if (c->results[0].type == WB_TYPE_V128) {
        set_notrun(why);
        return RUN_NOTRUN;
    }
    return RUN_DONE;
}

/* Performs the command's "action". The caller frees c->results. */
static run_result perform(spec_ctx *ctx, const cJSON *cmd, call *c,
                          char *why)
{
    memset(c, 0, sizeof *c);
    c->err.offset = WB_NO_OFFSET;
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(cmd, "action");
    const char *type = field(action, "type");
    const char *name = field(action, "field");
    if (!type || !name) {
        snprintf(why, SPEC_WHY_MAX, "the command has no action");
        return RUN_FAIL;
    }
    bool is_get = strcmp(type, "get") == 0;
    if (!is_get && strcmp(type, "invoke") != 0) {
        snprintf(why, SPEC_WHY_MAX, "unknown action type \"%.40s\"", type);
        return RUN_FAIL;
    }
    const char *module = field(action, "module");
    if (module) {
        append(c->label, sizeof c->label, module);
        append(c->label, sizeof c->label, ".");
    }
    append_name(c->label, sizeof c->label, name);

    /* A v128 argument: not run, whatever else is wrong. */
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(action, "args")) {
        const char *t = field(a, "type");
        if (t && strcmp(t, "v128") == 0) {
            set_notrun(why);
            return RUN_NOTRUN;
        }
    }
    wb_instance *instance = spec_env_instance(ctx, module, why);
    if (!instance) {
        char tmp[SPEC_WHY_MAX];
        snprintf(tmp, sizeof tmp, "%s: %s", c->label, why);
        snprintf(why, SPEC_WHY_MAX, "%s", tmp);
        return RUN_FAIL;
    }
    wb_extern ext;
    int found = ctx->has_raw_field ? wb_instance_export_bytes(instance, ctx->raw_field,
                                                              ctx->raw_field_len, &ext)
                                   : wb_instance_export(instance, name, &ext);
    if (!found) {
        snprintf(why, SPEC_WHY_MAX, "%s: no such export", c->label);
        return RUN_FAIL;
    }
    return is_get ? get(&ext, c, why) : invoke(action, &ext, c, why);
}

/* "i32:5" or, for several, "(i32:1, i32:2)"; "()" for none. */
static void format_results(const wb_value *v, uint32_t n, char *buf,
                           size_t size)
{
    buf[0] = '\0';
    if (n != 1)
        append(buf, size, "(");
    for (uint32_t i = 0; i < n; i++) {
        char text[96];
        spec_value_format(&v[i], text, sizeof text);
        if (i)
            append(buf, size, ", ");
        append(buf, size, text);
    }
    if (n != 1)
        append(buf, size, ")");
}

/* What the action did instead of what was expected: results or error. */
static void format_outcome(const call *c, char *buf, size_t size)
{
    if (c->status == WB_OK)
        format_results(c->results, c->nresults, buf, size);
    else
        spec_error_describe(&c->err, buf, size);
}

/* Parses "expected": NULL when not an array (why filled in). */
static spec_value *parse_expected(const cJSON *cmd, uint32_t *n,
                                  spec_parse *p, char *why)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cmd, "expected");
    *p = PARSE_OK;
    if (!cJSON_IsArray(list)) {
        snprintf(why, SPEC_WHY_MAX, "the command has no \"expected\" list");
        *p = PARSE_BAD;
        return NULL;
    }
    *n = (uint32_t)cJSON_GetArraySize(list);
    spec_value *values = calloc(*n ? *n : 1, sizeof *values);
    if (!values) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        *p = PARSE_BAD;
        return NULL;
    }
    uint32_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        *p = spec_value_parse(e, true, &values[i++], why);
        if (*p != PARSE_OK)
            break;
    }
    return values;
}

/* Performs the command's action, which must return normally: SPEC_PASS
 * then (c holds the results; the caller frees c->results), else the outcome
 * with why saying what happened instead. */
static spec_outcome perform_returning(spec_ctx *ctx, const cJSON *cmd, call *c, char *why)
{
    run_result r = perform(ctx, cmd, c, why);
    if (r != RUN_DONE)
        return r == RUN_NOTRUN ? SPEC_NOTRUN : SPEC_FAIL;
    if (c->status != WB_OK) {
        char got[400];
        spec_error_describe(&c->err, got, sizeof got);
        spec_textf(why, SPEC_WHY_MAX, "%s: expected a return, got %s", c->label, got);
        return SPEC_FAIL;
    }
    return SPEC_PASS;
}

spec_outcome spec_run_assert_return(spec_ctx *ctx, const cJSON *cmd,
                                    char *why)
{
    uint32_t n = 0;
    spec_parse p;
    spec_value *expected = parse_expected(cmd, &n, &p, why);
    if (p != PARSE_OK) {
        free(expected);
        if (p == PARSE_V128) {
            set_notrun(why);
            return SPEC_NOTRUN;
        }
        return SPEC_FAIL;
    }
    call c;
    spec_outcome outcome = perform_returning(ctx, cmd, &c, why);
    if (outcome != SPEC_PASS) {
        /* why says it */
    } else if (c.nresults != n) {
        char got[200];
        format_results(c.results, c.nresults, got, sizeof got);
        spec_textf(why, SPEC_WHY_MAX,
                 "%s: the function returns %u value%s, the script expects "
                 "%u; got %s",
                 c.label, c.nresults, c.nresults == 1 ? "" : "s", n, got);
        outcome = SPEC_FAIL;
    } else {
        bool all = true;
        for (uint32_t i = 0; i < n && all; i++)
            all = spec_value_matches(&expected[i], &c.results[i]);
        if (!all) {
            char want[200] = "", got[200];
            if (n != 1)
                append(want, sizeof want, "(");
            for (uint32_t i = 0; i < n; i++) {
                char text[96];
                spec_expected_format(&expected[i], text, sizeof text);
                if (i)
                    append(want, sizeof want, ", ");
                append(want, sizeof want, text);
            }
            if (n != 1)
                append(want, sizeof want, ")");
            format_results(c.results, c.nresults, got, sizeof got);
            spec_textf(why, SPEC_WHY_MAX, "%s: expected %s, got %s", c.label,
                     want, got);
            outcome = SPEC_FAIL;
        }
    }
    free(c.results);
    free(expected);
    return outcome;
}

/*
 * The action must stop with a trap or a limit whose message starts with the
 * command's "text". `what` names the expectation in messages.
 */
static spec_outcome expect_stop(spec_ctx *ctx, const cJSON *cmd,
                                const char *what, char *why)
{
    const char *text = field(cmd, "text");
    if (!text) {
        snprintf(why, SPEC_WHY_MAX, "the command has no expected \"text\"");
        return SPEC_FAIL;
    }
    call c;
    run_result r = perform(ctx, cmd, &c, why);
    spec_outcome outcome = SPEC_PASS;
    if (r != RUN_DONE) {
        outcome = r == RUN_NOTRUN ? SPEC_NOTRUN : SPEC_FAIL;
    } else if ((c.status != WB_ERR_TRAP && c.status != WB_ERR_LIMIT) ||
               !spec_message_matches(text, c.err.message)) {
        char got[400];
        format_outcome(&c, got, sizeof got);
        spec_textf(why, SPEC_WHY_MAX, "%s: expected %s \"%.80s\", got %s",
                 c.label, what, text, got);
        outcome = SPEC_FAIL;
    }
    free(c.results);
    return outcome;
}

spec_outcome spec_run_assert_trap(spec_ctx *ctx, const cJSON *cmd, char *why)
{
    /* (assert_trap (module ...)): the module's instantiation must trap. */
    if (!cJSON_GetObjectItemCaseSensitive(cmd, "action") &&
        field(cmd, "filename"))
        return spec_expect_instantiation_failure(ctx, cmd, WB_ERR_TRAP, why);
    return expect_stop(ctx, cmd, "trap", why);
}

spec_outcome spec_run_assert_exhaustion(spec_ctx *ctx, const cJSON *cmd,
                                        char *why)
{
    return expect_stop(ctx, cmd, "exhaustion", why);
}

spec_outcome spec_run_action(spec_ctx *ctx, const cJSON *cmd, char *why)
{
    call c;
    spec_outcome outcome = perform_returning(ctx, cmd, &c, why);
    free(c.results);
    return outcome;
}

spec_outcome spec_run_register(spec_ctx *ctx, const cJSON *cmd, char *why)
{
    const char *as = field(cmd, "as");
    if (!as) {
        snprintf(why, SPEC_WHY_MAX, "the command has no \"as\"");
        return SPEC_FAIL;
    }
    wb_instance *instance = spec_env_instance(ctx, field(cmd, "name"), why);
    if (!instance)
        return SPEC_FAIL;
    wb_status status = wb_linker_define_instance(ctx->linker, as, instance);
    if (status != WB_OK) {
        snprintf(why, SPEC_WHY_MAX, "wb_linker_define_instance(\"%.100s\"): %s",
                 as, wb_status_name(status));
        return SPEC_FAIL;
    }
    return SPEC_PASS;
}
