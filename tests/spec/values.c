/*
 * values.c — values as wast2json writes them: parsing into wb_value,
 * printing for messages, and comparing a result with what a script expects.
 *
 *   {"type": "i32", "value": "4294967295"}   integers and floats: the bits,
 *   {"type": "f32", "value": "2143289344"}   as an unsigned decimal
 *   {"type": "f64", "value": "nan:canonical"} (expected only; also
 *                                              "nan:arithmetic")
 *   {"type": "externref", "value": "3"}      ref.extern 3; "null"
 *   {"type": "funcref", "value": "null"}     (expected: no value = non-null)
 *   {"type": "v128", "lane_type": "i8", "value": [...]}
 *
 * `ref.extern N` crosses the API as the host pointer N + 1, so that it is
 * never NULL (ref.null).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define F32_SIGNLESS 0x7fffffffu
#define F32_CANONICAL 0x7fc00000u
#define F64_SIGNLESS 0x7fffffffffffffffull
#define F64_CANONICAL 0x7ff8000000000000ull

static const struct {
    const char *name;
    wb_valtype type;
} types[] = {
    {"i32", WB_TYPE_I32},         {"i64", WB_TYPE_I64},
    {"f32", WB_TYPE_F32},         {"f64", WB_TYPE_F64},
    {"v128", WB_TYPE_V128},       {"funcref", WB_TYPE_FUNCREF},
    {"externref", WB_TYPE_EXTERNREF},
};

#define N_TYPES (sizeof types / sizeof types[0])

const char *spec_type_name(wb_valtype t)
{
    for (size_t i = 0; i < N_TYPES; i++)
        if (types[i].type == t)
            return types[i].name;
    return "(unknown type)";
}

void *spec_extern_ref(uint64_t n)
{
    return (void *)(uintptr_t)(n + 1);
}

/* An unsigned decimal no larger than max. */
static bool parse_bits(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

spec_parse spec_value_parse(const cJSON *json, bool expected, spec_value *out,
                            char *why)
{
    memset(out, 0, sizeof *out);
    out->match = MATCH_EXACT;
    const char *type =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "type"));
    const cJSON *value_item = cJSON_GetObjectItemCaseSensitive(json, "value");
    const char *value = cJSON_GetStringValue(value_item);
    size_t t = 0;
    while (t < N_TYPES && !(type && strcmp(type, types[t].name) == 0))
        t++;
    if (t == N_TYPES) {
        snprintf(why, SPEC_WHY_MAX, "unknown value type \"%.40s\"",
                 type ? type : "(none)");
        return PARSE_BAD;
    }
    out->v.type = types[t].type;
    uint64_t bits = 0;
    switch (out->v.type) {
    case WB_TYPE_V128:
        return PARSE_V128;
    case WB_TYPE_I32:
    case WB_TYPE_F32:
    case WB_TYPE_I64:
    case WB_TYPE_F64: {
        bool wide = out->v.type == WB_TYPE_I64 || out->v.type == WB_TYPE_F64;
        bool is_float =
            out->v.type == WB_TYPE_F32 || out->v.type == WB_TYPE_F64;
        if (expected && is_float && value &&
            strcmp(value, "nan:canonical") == 0) {
            out->match = MATCH_NAN_CANONICAL;
            return PARSE_OK;
        }
        if (expected && is_float && value &&
            strcmp(value, "nan:arithmetic") == 0) {
            out->match = MATCH_NAN_ARITHMETIC;
            return PARSE_OK;
        }
        if (!parse_bits(value, wide ? UINT64_MAX : UINT32_MAX, &bits))
            break;
        if (wide)
            out->v.of.i64 = bits;
        else
            out->v.of.i32 = (uint32_t)bits;
        return PARSE_OK;
    }
    case WB_TYPE_FUNCREF:
    case WB_TYPE_EXTERNREF:
        if (value && strcmp(value, "null") == 0) {
            out->v.of.ref = NULL;
            return PARSE_OK;
        }
        if (out->v.type == WB_TYPE_FUNCREF) {
            /* A funcref cannot be named in a script: expected non-null. */
            if (!expected)
                break;
            out->match = MATCH_NONNULL;
            return PARSE_OK;
        }
        if (!parse_bits(value, UINT64_MAX - 1, &bits))
            break;
        out->v.of.ref = spec_extern_ref(bits);
        return PARSE_OK;
    }
    char *text = cJSON_PrintUnformatted(json);
    snprintf(why, SPEC_WHY_MAX, "cannot read the %s value %.200s",
             expected ? "expected" : "argument", text ? text : "");
    cJSON_free(text);
    return PARSE_BAD;
}

bool spec_value_matches(const spec_value *expected, const wb_value *got)
{
    const wb_value *e = &expected->v;
    if (e->type != got->type)
        return false;
    switch (expected->match) {
    case MATCH_NAN_CANONICAL:
        if (e->type == WB_TYPE_F32)
            return (got->of.f32 & F32_SIGNLESS) == F32_CANONICAL;
        return (got->of.f64 & F64_SIGNLESS) == F64_CANONICAL;
    case MATCH_NAN_ARITHMETIC:
        if (e->type == WB_TYPE_F32)
            return (got->of.f32 & F32_CANONICAL) == F32_CANONICAL;
        return (got->of.f64 & F64_CANONICAL) == F64_CANONICAL;
    case MATCH_NONNULL:
        return got->of.ref != NULL;
    case MATCH_EXACT:
        break;
    }
    switch (e->type) {
    case WB_TYPE_I32:
    case WB_TYPE_F32:
        return e->of.i32 == got->of.i32;
    case WB_TYPE_I64:
    case WB_TYPE_F64:
        return e->of.i64 == got->of.i64;
    case WB_TYPE_FUNCREF:
    case WB_TYPE_EXTERNREF:
        return e->of.ref == got->of.ref;
    case WB_TYPE_V128:
        return memcmp(e->of.v128, got->of.v128, 16) == 0;
    }
    return false;
}

void spec_value_format(const wb_value *v, char *buf, size_t n)
{
    const char *name = spec_type_name(v->type);
    switch (v->type) {
    case WB_TYPE_I32:
        snprintf(buf, n, "i32:%" PRIu32, v->of.i32);
        return;
    case WB_TYPE_I64:
        snprintf(buf, n, "i64:%" PRIu64, v->of.i64);
        return;
    case WB_TYPE_F32: {
        float f;
        memcpy(&f, &v->of.f32, sizeof f);
        snprintf(buf, n, "f32:0x%08" PRIx32 " (%.9g)", v->of.f32, (double)f);
        return;
    }
    case WB_TYPE_F64: {
        double d;
        memcpy(&d, &v->of.f64, sizeof d);
        snprintf(buf, n, "f64:0x%016" PRIx64 " (%.17g)", v->of.f64, d);
        return;
    }
    case WB_TYPE_EXTERNREF:
        if (!v->of.ref)
            snprintf(buf, n, "externref:null");
        else if ((uintptr_t)v->of.ref - 1 < UINTPTR_MAX / 2)
            snprintf(buf, n, "externref:%" PRIuPTR,
                     (uintptr_t)v->of.ref - 1);
        else
            snprintf(buf, n, "externref:%p", v->of.ref);
        return;
    case WB_TYPE_FUNCREF:
        snprintf(buf, n, "funcref:%s", v->of.ref ? "non-null" : "null");
        return;
    case WB_TYPE_V128: {
        size_t at = (size_t)snprintf(buf, n, "v128:0x");
        for (int i = 15; i >= 0 && at + 2 < n; i--)
            at += (size_t)snprintf(buf + at, n - at, "%02x", v->of.v128[i]);
        return;
    }
    }
    snprintf(buf, n, "%s(type 0x%x)", name, (unsigned)v->type);
}

void spec_expected_format(const spec_value *v, char *buf, size_t n)
{
    const char *name = spec_type_name(v->v.type);
    switch (v->match) {
    case MATCH_NAN_CANONICAL:
        snprintf(buf, n, "%s:nan:canonical", name);
        return;
    case MATCH_NAN_ARITHMETIC:
        snprintf(buf, n, "%s:nan:arithmetic", name);
        return;
    case MATCH_NONNULL:
        snprintf(buf, n, "%s:non-null", name);
        return;
    case MATCH_EXACT:
        break;
    }
    spec_value_format(&v->v, buf, n);
}
