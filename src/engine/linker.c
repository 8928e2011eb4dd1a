/*
 * linker.c — the linker: a hash map from (module, name) to an object, used
 * to resolve imports. Names are copied; a later definition of a name
 * replaces the earlier one. Lookups compare lengths and bytes, so names
 * from a module binary need no NUL terminator.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"

typedef struct Entry {
    char *module, *name; /* copies, NUL-terminated */
    size_t module_len, name_len;
    uint64_t hash;
    wb_extern item;
} Entry;

struct wb_linker {
    wb_store *store;
    Entry *entries;    /* in definition order */
    size_t n, cap;
    uint32_t *slots;   /* open addressing: entry index + 1, 0 = empty */
    size_t nslots;     /* a power of two, > 2 * n */
};

/* FNV-1a over module, a separator, then name. */
static uint64_t hash_name(const uint8_t *module, size_t module_len, const uint8_t *name,
                          size_t name_len)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < module_len; i++)
        h = (h ^ module[i]) * 0x100000001b3u;
    h = (h ^ 0xff) * 0x100000001b3u;
    for (size_t i = 0; i < name_len; i++)
        h = (h ^ name[i]) * 0x100000001b3u;
    return h;
}

wb_linker *wb_linker_new(wb_store *store)
{
    wb_linker *l = calloc(1, sizeof *l);
    if (l)
        l->store = store;
    return l;
}

void wb_linker_delete(wb_linker *linker)
{
    if (!linker)
        return;
    for (size_t i = 0; i < linker->n; i++) {
        free(linker->entries[i].module);
        free(linker->entries[i].name);
    }
    free(linker->entries);
    free(linker->slots);
    free(linker);
}

/* The slot holding module.name, or the empty slot where it would go. */
static size_t find_slot(const wb_linker *l, uint64_t hash, const uint8_t *module,
                        size_t module_len, const uint8_t *name, size_t name_len)
{
    size_t mask = l->nslots - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        uint32_t s = l->slots[i];
        if (s == 0)
            return i;
        const Entry *e = &l->entries[s - 1];
        if (e->hash == hash && e->module_len == module_len && e->name_len == name_len &&
            (module_len == 0 || memcmp(e->module, module, module_len) == 0) &&
            (name_len == 0 || memcmp(e->name, name, name_len) == 0))
            return i;
    }
}

static bool rehash(wb_linker *l, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    free(l->slots);
    l->slots = slots;
    l->nslots = nslots;
    for (size_t k = 0; k < l->n; k++) {
        const Entry *e = &l->entries[k];
        size_t i = (size_t)e->hash & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    return true;
}

static char *copy_name(const uint8_t *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static wb_status define(wb_linker *l, const uint8_t *module, size_t module_len,
                        const uint8_t *name, size_t name_len, wb_extern item)
{
    if (l->n >= UINT32_MAX - 1)
        return WB_ERR_NOMEM;
    /* keep the table at most half full */
    if (l->nslots == 0 || (l->n + 1) * 2 > l->nslots) {
        size_t want = l->nslots ? l->nslots * 2 : 16;
        if (want > SIZE_MAX / (2 * sizeof(uint32_t)) || !rehash(l, want))
            return WB_ERR_NOMEM;
    }
    uint64_t h = hash_name(module, module_len, name, name_len);
    size_t slot = find_slot(l, h, module, module_len, name, name_len);
    if (l->slots[slot]) {
        l->entries[l->slots[slot] - 1].item = item; /* replace */
        return WB_OK;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        Entry *p = cap <= SIZE_MAX / sizeof *p ? realloc(l->entries, cap * sizeof *p) : NULL;
        if (!p)
            return WB_ERR_NOMEM;
        l->entries = p;
        l->cap = cap;
    }
    Entry *e = &l->entries[l->n];
    e->module = copy_name(module, module_len);
    e->name = copy_name(name, name_len);
    if (!e->module || !e->name) {
        free(e->module);
        free(e->name);
        return WB_ERR_NOMEM;
    }
    e->module_len = module_len;
    e->name_len = name_len;
    e->hash = h;
    e->item = item;
    l->slots[slot] = (uint32_t)(++l->n);
    return WB_OK;
}

static bool extern_ok(wb_extern item)
{
    switch (item.kind) {
    case WB_EXTERN_FUNC: return item.of.func != NULL;
    case WB_EXTERN_TABLE: return item.of.table != NULL;
    case WB_EXTERN_MEMORY: return item.of.memory != NULL;
    case WB_EXTERN_GLOBAL: return item.of.global != NULL;
    }
    return false;
}

wb_status wb_linker_define(wb_linker *linker, const char *module, const char *name,
                           wb_extern item)
{
    if (!linker || !module || !name || !extern_ok(item))
        return WB_ERR_ARG;
    return define(linker, (const uint8_t *)module, strlen(module), (const uint8_t *)name,
                  strlen(name), item);
}

wb_status wb_linker_define_instance(wb_linker *linker, const char *module,
                                    wb_instance *instance)
{
    if (!linker || !module || !instance)
        return WB_ERR_ARG;
    const wb_module *m = instance->module;
    size_t module_len = strlen(module);
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wbExport *x = &m->exports[i];
        wb_extern item;
        if (!wbInstanceExportAt(instance, i, &item))
            continue;
        wb_status st = define(linker, (const uint8_t *)module, module_len, x->name,
                              x->name_len, item);
        if (st != WB_OK)
            return st;
    }
    return WB_OK;
}

const wb_extern *wbLinkerLookup(const wb_linker *linker, const uint8_t *module,
                                size_t module_len, const uint8_t *name, size_t name_len)
{
    if (!linker || linker->nslots == 0)
        return NULL;
    uint64_t h = hash_name(module, module_len, name, name_len);
    uint32_t s = linker->slots[find_slot(linker, h, module, module_len, name, name_len)];
    return s ? &linker->entries[s - 1].item : NULL;
}
