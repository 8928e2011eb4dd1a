/*
 * load.c — reads one module file written by wast2json and hands its bytes
 * to wb_module_new, keeping "the file is unreadable" (a runner error) apart
 * from "the engine rejected the module" (a result).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

bool spec_load_module(const spec_ctx *ctx, const char *filename,
                      wb_module **out, wb_error *err, char *why)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    err->offset = WB_NO_OFFSET;
    if (!filename || !*filename) {
        snprintf(why, SPEC_WHY_MAX, "the command names no module file");
        return false;
    }
    char *path = spec_path_join(ctx->dir, filename);
    unsigned char *bytes = NULL;
    size_t size = 0;
    if (!path || !spec_read_file(path, &bytes, &size)) {
        snprintf(why, SPEC_WHY_MAX, "cannot read %s: %s",
                 path ? path : filename, strerror(path ? errno : ENOMEM));
        free(path);
        return false;
    }
    free(path);
    wb_status status = wb_module_new(bytes, size, out, err);
    free(bytes);
    err->status = status;
    if (status != WB_OK && !err->message)
        err->message = ""; /* the API promises a message; never crash */
    if (status != WB_OK && *out) {
        wb_module_delete(*out); /* the API promises NULL; never leak */
        *out = NULL;
    }
    if (status == WB_OK && spec_expect_native && !wb_module_native(*out)) {
        snprintf(why, SPEC_WHY_MAX, "%s was not compiled to native code", filename);
        wb_module_delete(*out);
        *out = NULL;
        return false;
    }
    return true;
}
