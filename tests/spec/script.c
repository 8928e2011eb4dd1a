/*
 * script.c — runs one script converted by wast2json: parses its JSON, sets
 * up its store and linker (env.c), sends each entry of "commands" to its
 * handler in order (unless the skip list names it), prints failures (and,
 * with --verbose, skips) as FILE.wast:LINE: TYPE: WHY, and tallies
 * outcomes. A script that cannot be read counts as one failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

void spec_script_error(const char *wast, spec_tally *tally, const char *why)
{
    printf("%s: error: %s; none of its commands were run\n", wast, why);
    tally->n[KIND_SCRIPT][SPEC_FAIL]++;
}

/*
 * A JSON string may hold "\u0000", which cJSON (and every C-string API,
 * wb_instance_export included) cuts short: names.wast invokes an export
 * named "\00\01...". wast2json writes one command per line, so the lines
 * of the JSON text that hold such an escape give the commands that cannot
 * be run faithfully. Returns their .wast line numbers (malloc'ed; *n of
 * them), or NULL when there are none.
 */
static int *find_nul_lines(const char *text, size_t size, size_t *n)
{
    int *lines = NULL;
    *n = 0;
    const char *end = text + size;
    for (const char *p = text; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        bool has_nul = false;
        for (const char *q = p; q + 6 <= stop && !has_nul; q++) {
            if (memcmp(q, "\\u0000", 6) != 0)
                continue;
            size_t slashes = 0; /* an even run of '\' is no escape */
            for (const char *b = q; b >= p && *b == '\\'; b--)
                slashes++;
            has_nul = slashes % 2 == 1;
        }
        const char *at = NULL;
        if (has_nul) {
            for (const char *q = p; q + 8 <= stop && !at; q++)
                if (memcmp(q, "\"line\": ", 8) == 0)
                    at = q + 8;
        }
        if (at) {
            int *bigger = realloc(lines, (*n + 1) * sizeof *bigger);
            if (bigger) {
                lines = bigger;
                lines[(*n)++] = atoi(at);
            }
        }
        p = stop + 1;
    }
    return lines;
}

static bool has_nul_string(const spec_ctx *ctx, int line)
{
    for (size_t i = 0; i < ctx->n_nul_lines; i++)
        if (ctx->nul_lines[i] == line)
            return true;
    return false;
}

static void run_command(spec_ctx *ctx, const cJSON *cmd, spec_tally *tally)
{
    const char *type =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "type"));
    const cJSON *line_item = cJSON_GetObjectItemCaseSensitive(cmd, "line");
    int line = cJSON_IsNumber(line_item) ? line_item->valueint : 0;
    char why[SPEC_WHY_MAX] = "";
    spec_kind kind;
    spec_handler run = spec_command_lookup(type, &kind);
    spec_outcome outcome;
    const spec_skip *skip = spec_skiplist_match(ctx->skips, ctx->wast, line);
    if (skip) {
        snprintf(why, sizeof why, "%s", skip->reason);
        outcome = SPEC_SKIP;
    } else if (has_nul_string(ctx, line)) {
        /* it would silently run the wrong export: fail until it is listed */
        snprintf(why, sizeof why,
                 "a name in the command holds a NUL byte, which cJSON and "
                 "the C strings of the API (wb_instance_export) cut short; "
                 "not in the skip list");
        outcome = SPEC_FAIL;
    } else if (run) {
        outcome = run(ctx, cmd, why);
    } else {
        snprintf(why, sizeof why, "unknown command type");
        outcome = SPEC_FAIL;
    }
    if (outcome == SPEC_SKIP && kind == KIND_MODULE) {
        /* What follows must not run against the module before it. */
        const char *name = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(cmd, "name"));
        ctx->current = NULL;
        ctx->current_line = line;
        if (name)
            spec_env_name_instance(ctx, name, NULL);
    }
    if ((unsigned)outcome >= SPEC_OUTCOMES) {
        snprintf(why, sizeof why, "handler returned outcome %d",
                 (int)outcome);
        outcome = SPEC_FAIL;
    }
    tally->n[kind][outcome]++;
    if (outcome == SPEC_FAIL)
        printf("%s:%d: %s: %s\n", ctx->wast, line, type ? type : "(no type)",
               why);
    else if (outcome == SPEC_SKIP && ctx->verbose)
        printf("%s:%d: %s: skipped (%s)\n", ctx->wast, line, type, why);
}

void spec_script_run(const char *wast, const char *json_path, bool verbose,
                     spec_skiplist *skips, spec_tally *tally)
{
    unsigned char *text = NULL;
    size_t size = 0;
    char why[SPEC_WHY_MAX];
    if (!spec_read_file(json_path, &text, &size)) {
        snprintf(why, sizeof why, "cannot read %s: %s", json_path,
                 strerror(errno));
        spec_script_error(wast, tally, why);
        return;
    }
    cJSON *root = cJSON_ParseWithLength((const char *)text, size);
    const cJSON *commands = cJSON_GetObjectItemCaseSensitive(root, "commands");
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        long pos = at ? (long)(at - (const char *)text) : -1;
        snprintf(why, sizeof why, "%s is not valid JSON (near byte %ld)",
                 json_path, pos);
        spec_script_error(wast, tally, why);
    } else if (!cJSON_IsArray(commands)) {
        snprintf(why, sizeof why, "%s has no \"commands\" array", json_path);
        spec_script_error(wast, tally, why);
    } else {
        /* Module files sit next to the JSON. */
        const char *slash = strrchr(json_path, '/');
        size_t dir_len = slash ? (size_t)(slash - json_path) : 0;
        char *dir = slash ? strndup(json_path, dir_len ? dir_len : 1)
                          : strdup(".");
        spec_ctx ctx = {
            .wast = wast, .dir = dir, .verbose = verbose, .skips = skips};
        ctx.nul_lines = find_nul_lines((const char *)text, size,
                                       &ctx.n_nul_lines);
        const cJSON *cmd;
        if (!dir) {
            spec_script_error(wast, tally, "out of memory");
        } else if (!spec_env_open(&ctx, why)) {
            spec_script_error(wast, tally, why);
        } else {
            cJSON_ArrayForEach(cmd, commands) {
                run_command(&ctx, cmd, tally);
            }
        }
        spec_env_close(&ctx);
        free(ctx.nul_lines);
        free(dir);
    }
    cJSON_Delete(root);
    free(text);
}
