/*
 * cmd_module.c — handlers for the commands about whole modules: `module`
 * (must load and instantiate; becomes the current instance),
 * assert_malformed / assert_invalid (must be rejected with the expected
 * message), assert_unlinkable / assert_uninstantiable (must be valid, and
 * instantiating must fail with a link error / a trap).
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"

#define TEXT_SKIP "text format: outside a binary engine"

static const char *field(const cJSON *cmd, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, key));
}

/* True when the module is in the text format, which is skipped. */
static bool is_text(const cJSON *cmd, char *why)
{
    const char *type = field(cmd, "module_type");
    if (!type || strcmp(type, "text") != 0)
        return false;
    snprintf(why, SPEC_WHY_MAX, TEXT_SKIP);
    return true;
}

static int line_of(const cJSON *cmd)
{
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(cmd, "line");
    return cJSON_IsNumber(line) ? line->valueint : 0;
}

/*
 * Loads the command's module, which must be valid, and hands it to the
 * context (it must outlive any instance). NULL, with why filled in, if it
 * cannot be read or is rejected.
 */
static wb_module *load_valid(spec_ctx *ctx, const cJSON *cmd,
                             const char *purpose, char *why)
{
    wb_module *module;
    wb_error err;
    if (!spec_load_module(ctx, field(cmd, "filename"), &module, &err, why))
        return NULL;
    if (err.status != WB_OK) {
        char got[400];
        spec_error_describe(&err, got, sizeof got);
        snprintf(why, SPEC_WHY_MAX, "expected a valid module%s, got %s",
                 purpose, got);
        return NULL;
    }
    if (!spec_env_keep_module(ctx, module)) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        return NULL;
    }
    return module;
}

static wb_status instantiate(spec_ctx *ctx, const wb_module *module,
                             wb_instance **out, wb_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    err->offset = WB_NO_OFFSET;
    wb_status status = wb_instance_new(ctx->store, module, ctx->linker, out,
                                       err);
    err->status = status;
    if (status != WB_OK && !err->message)
        err->message = ""; /* the API promises a message; never crash */
    return status;
}

/*
 * `module`: load, instantiate, make it the current instance, and remember
 * it under its name if it has one. A module that fails leaves no current
 * instance, so the commands that use it say why.
 */
spec_outcome spec_run_module(spec_ctx *ctx, const cJSON *cmd, char *why)
{
    if (is_text(cmd, why))
        return SPEC_SKIP;
    const char *name = field(cmd, "name");
    ctx->current = NULL;
    ctx->current_line = line_of(cmd);
    if (name && !spec_env_name_instance(ctx, name, NULL)) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        return SPEC_FAIL;
    }
    wb_module *module = load_valid(ctx, cmd, "", why);
    if (!module)
        return SPEC_FAIL;
    wb_instance *instance;
    wb_error err;
    if (instantiate(ctx, module, &instance, &err) != WB_OK) {
        char got[400];
        spec_error_describe(&err, got, sizeof got);
        spec_textf(why, SPEC_WHY_MAX,
                   "expected the module to instantiate, got %s", got);
        return SPEC_FAIL;
    }
    if (!instance) {
        snprintf(why, SPEC_WHY_MAX,
                 "wb_instance_new returned WB_OK but no instance");
        return SPEC_FAIL;
    }
    ctx->current = instance;
    if (name && !spec_env_name_instance(ctx, name, instance)) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        return SPEC_FAIL;
    }
    return SPEC_PASS;
}

/* The module must be rejected with a message matching "text". */
static spec_outcome expect_rejection(spec_ctx *ctx, const cJSON *cmd,
                                     char *why)
{
    if (is_text(cmd, why))
        return SPEC_SKIP;
    const char *text = field(cmd, "text");
    if (!text) {
        snprintf(why, SPEC_WHY_MAX, "the command has no expected \"text\"");
        return SPEC_FAIL;
    }
    wb_module *module;
    wb_error err;
    if (!spec_load_module(ctx, field(cmd, "filename"), &module, &err, why))
        return SPEC_FAIL;
    if (err.status == WB_OK) {
        wb_module_delete(module);
        snprintf(why, SPEC_WHY_MAX, "expected \"%.200s\", module accepted",
                 text);
        return SPEC_FAIL;
    }
    if (spec_message_matches(text, err.message))
        return SPEC_PASS;
    char got[400];
    spec_error_describe(&err, got, sizeof got);
    snprintf(why, SPEC_WHY_MAX, "expected \"%.80s\", got %s", text, got);
    return SPEC_FAIL;
}

spec_outcome spec_run_assert_malformed(spec_ctx *ctx, const cJSON *cmd,
                                       char *why)
{
    return expect_rejection(ctx, cmd, why);
}

spec_outcome spec_run_assert_invalid(spec_ctx *ctx, const cJSON *cmd,
                                     char *why)
{
    return expect_rejection(ctx, cmd, why);
}

/*
 * The command's module must be valid, and instantiating it must fail with
 * `want` and the expected text. A failed instantiation still may have
 * changed imported tables and memories, as the spec says.
 */
spec_outcome spec_expect_instantiation_failure(spec_ctx *ctx,
                                               const cJSON *cmd,
                                               wb_status want, char *why)
{
    if (is_text(cmd, why))
        return SPEC_SKIP;
    const char *text = field(cmd, "text");
    if (!text) {
        snprintf(why, SPEC_WHY_MAX, "the command has no expected \"text\"");
        return SPEC_FAIL;
    }
    const char *what = want == WB_ERR_LINK ? "link error" : "trap";
    wb_module *module = load_valid(ctx, cmd, " (to instantiate)", why);
    if (!module)
        return SPEC_FAIL;
    wb_instance *instance;
    wb_error err;
    if (instantiate(ctx, module, &instance, &err) == WB_OK) {
        snprintf(why, SPEC_WHY_MAX,
                 "expected %s \"%.200s\", module instantiated", what, text);
        return SPEC_FAIL;
    }
    if (err.status == want && spec_message_matches(text, err.message))
        return SPEC_PASS;
    char got[400];
    spec_error_describe(&err, got, sizeof got);
    snprintf(why, SPEC_WHY_MAX, "expected %s \"%.80s\", got %s", what, text,
             got);
    return SPEC_FAIL;
}

spec_outcome spec_run_assert_unlinkable(spec_ctx *ctx, const cJSON *cmd,
                                        char *why)
{
    return spec_expect_instantiation_failure(ctx, cmd, WB_ERR_LINK, why);
}

spec_outcome spec_run_assert_uninstantiable(spec_ctx *ctx, const cJSON *cmd,
                                            char *why)
{
    return spec_expect_instantiation_failure(ctx, cmd, WB_ERR_TRAP, why);
}
