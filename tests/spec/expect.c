/*
 * expect.c — decides whether our error message matches the text a spec
 * assertion expects.
 *
 * The suite's texts are often shortened ("unexpected end" for "unexpected
 * end of section or function"), so a message that starts with the expected
 * text matches. The reverse is accepted too when the expected text only adds
 * words after ours (the reference interpreter appends indices, e.g.
 * "unknown global 0" for our "unknown global"). An empty message never
 * matches. Also: how an engine error is shown in a failure, and which traps
 * mean "SIMD is not run yet".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "spec.h"

bool spec_message_matches(const char *expected, const char *got)
{
    if (!expected || !got || !*got)
        return false;
    size_t e = strlen(expected), g = strlen(got);
    if (g >= e)
        return strncmp(got, expected, e) == 0;
    return strncmp(expected, got, g) == 0 && expected[g] == ' ';
}

void spec_textf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
}

/* The interpreter's trap for a function body that uses SIMD. */
#define SIMD_TRAP "SIMD instructions are not supported yet"

bool spec_is_simd_trap(const wb_error *err)
{
    return err->status != WB_OK && err->message &&
           strncmp(err->message, SIMD_TRAP, strlen(SIMD_TRAP)) == 0;
}

void spec_error_describe(const wb_error *err, char *buf, size_t n)
{
    char where[200] = "";
    bool off = err->offset != WB_NO_OFFSET;
    bool detail = err->detail[0] != '\0';
    if (off && detail)
        snprintf(where, sizeof where, " (0x%zx: %.160s)", err->offset,
                 err->detail);
    else if (off)
        snprintf(where, sizeof where, " (0x%zx)", err->offset);
    else if (detail)
        snprintf(where, sizeof where, " (%.160s)", err->detail);
    spec_textf(buf, n, "%s \"%.200s\"%s", wb_status_name(err->status),
             err->message ? err->message : "", where);
}
