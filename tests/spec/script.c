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

/* Appends code point cp to out as UTF-8; false when it does not fit. */
static bool put_utf8(uint8_t *out, size_t cap, size_t *n, uint32_t cp)
{
    uint8_t b[4];
    size_t k;
    if (cp < 0x80) {
        b[0] = (uint8_t)cp, k = 1;
    } else if (cp < 0x800) {
        b[0] = (uint8_t)(0xc0 | cp >> 6), b[1] = (uint8_t)(0x80 | (cp & 0x3f)), k = 2;
    } else if (cp < 0x10000) {
        b[0] = (uint8_t)(0xe0 | cp >> 12), b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (uint8_t)(0x80 | (cp & 0x3f)), k = 3;
    } else {
        b[0] = (uint8_t)(0xf0 | cp >> 18), b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (uint8_t)(0x80 | (cp & 0x3f)), k = 4;
    }
    if (*n + k > cap)
        return false;
    memcpy(out + *n, b, k);
    *n += k;
    return true;
}

/* The first occurrence of needle in [p, end), or NULL. */
static const char *find_in(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++)
        if (memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static bool hex4(const char *p, const char *end, uint32_t *v)
{
    if (end - p < 4)
        return false;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        uint32_t d = ch >= '0' && ch <= '9'   ? (uint32_t)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (uint32_t)(ch - 'a' + 10)
                     : ch >= 'A' && ch <= 'F' ? (uint32_t)(ch - 'A' + 10)
                                              : 16;
        if (d == 16)
            return false;
        *v = *v << 4 | d;
    }
    return true;
}

/* Decodes the JSON string value of `"key": "..."` on the text line of the
 * command of .wast line `line` into out (bytes, NULs kept). */
static bool decode_raw_field(const char *text, size_t size, int line, const char *key,
                             uint8_t *out, size_t cap, size_t *len)
{
    char line_key[32], field_key[64];
    snprintf(line_key, sizeof line_key, "\"line\": %d,", line);
    snprintf(field_key, sizeof field_key, "\"%s\": \"", key);
    const char *end = text + size;
    for (const char *p = text; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *f = find_in(p, stop, line_key) ? find_in(p, stop, field_key) : NULL;
        if (f) {
            size_t n = 0;
            for (const char *q = f + strlen(field_key); q < stop; q++) {
                if (*q == '"') {
                    *len = n;
                    return true;
                }
                uint32_t cp = (uint8_t)*q;
                if (*q == '\\') {
                    if (++q >= stop)
                        return false;
                    switch (*q) {
                    case 'b': cp = '\b'; break;
                    case 'f': cp = '\f'; break;
                    case 'n': cp = '\n'; break;
                    case 'r': cp = '\r'; break;
                    case 't': cp = '\t'; break;
                    case 'u':
                        if (!hex4(q + 1, stop, &cp))
                            return false;
                        q += 4;
                        if (cp >= 0xd800 && cp < 0xdc00) { /* a surrogate pair */
                            uint32_t lo;
                            if (q + 2 >= stop || q[1] != '\\' || q[2] != 'u' ||
                                !hex4(q + 3, stop, &lo) || lo < 0xdc00 || lo > 0xdfff)
                                return false;
                            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                            q += 6;
                        }
                        break;
                    default: cp = (uint8_t)*q; break; /* \" \\ \/ */
                    }
                    if (!put_utf8(out, cap, &n, cp))
                        return false;
                    continue;
                }
                if (n >= cap)
                    return false;
                out[n++] = (uint8_t)*q; /* raw UTF-8 bytes pass through */
            }
            return false;
        }
        p = stop + 1;
    }
    return false;
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
    } else if (has_nul_string(ctx, line) &&
               !(ctx->has_raw_field = decode_raw_field(ctx->text, ctx->text_size, line, "field",
                                                       ctx->raw_field, sizeof ctx->raw_field,
                                                       &ctx->raw_field_len))) {
        /* cJSON cuts the name at the NUL: running it would call the wrong
         * export, so this must be decoded from the text or fail */
        snprintf(why, sizeof why,
                 "a name in the command holds a NUL byte, and the runner could "
                 "not decode it from the JSON text");
        outcome = SPEC_FAIL;
    } else if (run) {
        outcome = run(ctx, cmd, why);
        ctx->has_raw_field = false;
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
        ctx.text = (const char *)text;
        ctx.text_size = size;
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
