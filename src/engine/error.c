/*
 * error.c — filling and formatting wb_error, and the status names.
 */
#include <stdarg.h>
#include <stdio.h>

#include "engine/module.h"

void wbErrorInit(wb_error *err)
{
    err->status = WB_OK;
    err->offset = WB_NO_OFFSET;
    err->section = -1;
    err->func_index = WB_NO_INDEX;
    err->message = NULL;
    err->detail[0] = '\0';
}

const char *wb_valtype_name(wb_valtype type)
{
    switch (type) {
    case WB_TYPE_I32: return "i32";
    case WB_TYPE_I64: return "i64";
    case WB_TYPE_F32: return "f32";
    case WB_TYPE_F64: return "f64";
    case WB_TYPE_V128: return "v128";
    case WB_TYPE_FUNCREF: return "funcref";
    case WB_TYPE_EXTERNREF: return "externref";
    }
    return "unknown";
}

bool wbErrorSet(wb_error *err, wb_status status, size_t offset, const char *message,
                const char *detail_fmt, ...)
{
    if (err->status != WB_OK)
        return false; /* the first error wins */
    err->status = status;
    err->offset = offset;
    err->message = message;
    err->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(err->detail, sizeof err->detail, detail_fmt, ap);
        va_end(ap);
    }
    return false;
}

const char *wb_status_name(wb_status status)
{
    switch (status) {
    case WB_OK: return "ok";
    case WB_ERR_MALFORMED: return "malformed";
    case WB_ERR_INVALID: return "invalid";
    case WB_ERR_LINK: return "link error";
    case WB_ERR_TRAP: return "trap";
    case WB_ERR_LIMIT: return "limit";
    case WB_ERR_NOMEM: return "out of memory";
    case WB_ERR_IO: return "i/o error";
    case WB_ERR_ARG: return "bad argument";
    case WB_ERR_EXIT: return "exit";
    }
    return "unknown status";
}

static const char *section_name(int id)
{
    static const char *const names[] = {"custom", "type", "import", "function", "table",
                                        "memory", "global", "export", "start", "element",
                                        "code", "data", "data count"};
    return id >= 0 && id <= 12 ? names[id] : NULL;
}

/* "0x1f: type mismatch (expected i32, found i64; function 3, code section)" */
char *wb_error_format(const wb_error *err, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    const char *msg = err->message ? err->message : wb_status_name(err->status);
    size_t len = 0;
    int k = err->offset == WB_NO_OFFSET ? snprintf(buf, n, "%s", msg)
                                        : snprintf(buf, n, "0x%zx: %s", err->offset, msg);
    len = k > 0 ? (size_t)k : 0;
    /* where, beyond the offset: the function and the section */
    char where[64] = "";
    const char *sec = err->status == WB_ERR_MALFORMED || err->status == WB_ERR_INVALID
                          ? section_name(err->section) : NULL;
    if (err->func_index != WB_NO_INDEX && sec)
        snprintf(where, sizeof where, "function %u, %s section", err->func_index, sec);
    else if (sec)
        snprintf(where, sizeof where, "%s section", sec);
    if ((err->detail[0] || where[0]) && len < n)
        snprintf(buf + len, n - len, " (%s%s%s)", err->detail,
                 err->detail[0] && where[0] ? "; " : "", where);
    return buf;
}

const char *wb_version(void)
{
    return WB_VERSION;
}
