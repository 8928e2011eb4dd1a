/*
 * error.c — filling and formatting wb_error, and the status names.
 */
#include <stdarg.h>
#include <stdio.h>

#include "engine/module.h"

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

char *wb_error_format(const wb_error *err, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    const char *msg = err->message ? err->message : wb_status_name(err->status);
    int len = err->offset == WB_NO_OFFSET ? snprintf(buf, n, "%s", msg)
                                          : snprintf(buf, n, "0x%zx: %s", err->offset, msg);
    if (err->detail[0] && len >= 0 && (size_t)len < n)
        snprintf(buf + len, n - (size_t)len, " (%s)", err->detail);
    return buf;
}

const char *wb_version(void)
{
    return WB_VERSION;
}
