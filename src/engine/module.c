/*
 * module.c — the public module API: wb_module_new copies the binary, decodes
 * and validates it; wb_module_delete frees it.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/compile.h"

wb_status wb_module_new(const uint8_t *bytes, size_t size, wb_module **out, wb_error *err)
{
    wb_error local;
    if (!err)
        err = &local;
    wbErrorInit(err);
    if (!out || (!bytes && size)) {
        wbErrorSet(err, WB_ERR_ARG, WB_NO_OFFSET, "bad argument", NULL);
        return WB_ERR_ARG;
    }
    *out = NULL;
    wb_module *m = calloc(1, sizeof *m);
    if (!m || !(m->bytes = malloc(size ? size : 1))) {
        free(m);
        wbErrorSet(err, WB_ERR_NOMEM, WB_NO_OFFSET, "out of memory", NULL);
        return WB_ERR_NOMEM;
    }
    if (size)
        memcpy(m->bytes, bytes, size);
    m->size = size;
    if (!wbDecodeModule(m, err) || !wbValidateModule(m, err)) {
        wb_module_delete(m);
        return err->status;
    }
    wbJitCompileModule(m); /* else it runs in the interpreter */
    *out = m;
    return WB_OK;
}

const uint8_t *wbFuncName(const wb_module *m, uint32_t index, uint32_t *len)
{
    /* names are stored in increasing index order; search for the index */
    uint32_t lo = 0, hi = m->nfunc_names;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->func_names[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->nfunc_names && m->func_names[lo].index == index) {
        *len = m->func_names[lo].len;
        return m->func_names[lo].name;
    }
    /* an exported function is known by its export name */
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == WB_EXTERN_FUNC && m->exports[i].index == index) {
            *len = m->exports[i].name_len;
            return m->exports[i].name;
        }
    return NULL;
}

void wbModuleFreeParts(wb_module *m)
{
    wbJitFree(m);
    if (m->codes)
        for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++)
            wbCodeFree(&m->codes[i]);
    wbArenaFree(&m->arena);
}

void wb_module_delete(wb_module *m)
{
    if (!m)
        return;
    wbModuleFreeParts(m);
    free(m->bytes);
    free(m);
}
