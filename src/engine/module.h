/*
 * module.h — the decoded, validated, immutable form of a WebAssembly module.
 *
 * A wb_module owns one copy of the binary (`bytes`); names, function bodies
 * and data segments point into it, so nothing the caller passed in needs to
 * outlive wb_module_new. Index spaces (functions, tables, memories, globals)
 * list imports first, as the spec numbers them.
 */
#ifndef WB_MODULE_H
#define WB_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/arena.h"
#include "wasmbox.h"

/* Value types, by their binary encoding. */
typedef enum wbValType {
    WB_I32 = WB_TYPE_I32,
    WB_I64 = WB_TYPE_I64,
    WB_F32 = WB_TYPE_F32,
    WB_F64 = WB_TYPE_F64,
    WB_V128 = WB_TYPE_V128,
    WB_FUNCREF = WB_TYPE_FUNCREF,
    WB_EXTERNREF = WB_TYPE_EXTERNREF
} wbValType;
/* External kinds are wb_extern_kind (WB_EXTERN_FUNC ...), as encoded. */

#define WB_MAX_PAGES 65536u       /* 4 GiB of 64 KiB pages */
#define WB_MAX_LOCALS 50000u      /* per function, params included */
#define WB_MAX_FUNC_PARAMS 1000u  /* also results; as in the JS API limits */

typedef struct wbFuncType {
    uint32_t nparams, nresults;
    const uint8_t *types; /* nparams + nresults value types, params first */
} wbFuncType;

typedef struct wbLimits {
    uint32_t min, max;
    bool has_max;
} wbLimits;

typedef struct wbTableType {
    uint8_t elem; /* WB_FUNCREF or WB_EXTERNREF */
    wbLimits limits;
} wbTableType;

typedef struct wbGlobalType {
    uint8_t type;
    bool mutable_;
} wbGlobalType;

/* A constant expression of 2.0: one instruction, then `end`. */
typedef enum wbConstKind {
    WB_CONST_VALUE,      /* i32/i64/f32/f64/v128 constant in `bits`/`v128` */
    WB_CONST_REF_NULL,   /* ref.null of `type` */
    WB_CONST_REF_FUNC,   /* ref.func `index` */
    WB_CONST_GLOBAL_GET  /* global.get `index` */
} wbConstKind;

typedef struct wbConstExpr {
    uint8_t kind; /* wbConstKind */
    const char *invalid; /* non-NULL: why validation must reject it */
    size_t offset;       /* of the expression, for error messages */
    uint8_t type; /* the value type it produces */
    uint32_t index;
    uint64_t bits;
    uint8_t v128[16];
} wbConstExpr;

typedef struct wbImport {
    size_t offset; /* of the entry */
    const uint8_t *module_name, *field_name;
    uint32_t module_len, field_len;
    uint8_t kind;
    union {
        uint32_t type_index; /* WB_EXTERN_FUNC */
        wbTableType table;
        wbLimits memory;
        wbGlobalType global;
    } as;
} wbImport;

typedef struct wbExport {
    size_t offset; /* of the entry */
    const uint8_t *name;
    uint32_t name_len;
    uint8_t kind;
    uint32_t index;
} wbExport;

typedef struct wbName {
    uint32_t index;
    uint32_t len;
    const uint8_t *name;
} wbName;

typedef struct wbLocalGroup {
    uint32_t count;
    uint8_t type;
} wbLocalGroup;

typedef struct wbFunc {
    uint32_t type_index;
    /* Defined functions only: */
    uint32_t nlocal_groups;
    wbLocalGroup *local_groups;
    uint32_t nlocals;      /* declared locals, params excluded */
    size_t code_offset;    /* first instruction, from the module start */
    size_t code_end;       /* one past the final `end` */
} wbFunc;

typedef struct wbGlobal {
    wbGlobalType type;
    wbConstExpr init; /* defined globals only */
} wbGlobal;

typedef enum wbSegMode { WB_SEG_ACTIVE, WB_SEG_PASSIVE, WB_SEG_DECLARATIVE } wbSegMode;

typedef struct wbElem {
    uint8_t mode;  /* wbSegMode */
    uint8_t type;  /* WB_FUNCREF or WB_EXTERNREF */
    uint32_t table;
    wbConstExpr offset;
    uint32_t count;
    wbConstExpr *items;
} wbElem;

typedef struct wbData {
    uint8_t mode; /* WB_SEG_ACTIVE or WB_SEG_PASSIVE */
    uint32_t memory;
    wbConstExpr offset;
    const uint8_t *bytes;
    uint32_t size;
} wbData;

struct wb_module {
    uint8_t *bytes; /* the module's own copy of the binary */
    size_t size;
    wbArena arena;  /* every array below */

    uint32_t ntypes;
    wbFuncType *types;
    uint32_t nimports;
    wbImport *imports;

    /* Index spaces, imports first. */
    uint32_t nfuncs, nfunc_imports;
    wbFunc *funcs;
    uint32_t ntables, ntable_imports;
    wbTableType *tables;
    uint32_t nmemories, nmemory_imports;
    wbLimits *memories;
    uint32_t nglobals, nglobal_imports;
    wbGlobal *globals;

    uint32_t nexports;
    wbExport *exports;
    bool has_start;
    uint32_t start;
    uint32_t nelems;
    wbElem *elems;
    bool has_data_count;
    uint32_t data_count;
    uint32_t ndatas;
    wbData *datas;

    struct wbCode *codes;      /* compiled bodies, one per defined function */
    struct wbJitCode *jit;     /* their native code (jit_x64.c), or NULL */
    size_t section_offset[13];
    wbName *func_names;        /* from the "name" section, by index; may be absent */
    uint32_t nfunc_names; /* where each section's contents start, or 0 */

    /* Functions that may be referenced by ref.func in code (C_refs). */
    uint8_t *declared_refs; /* bitmap over nfuncs */
};

/* Decodes every section into m (which must be zeroed, with bytes/size set).
 * Function bodies are not decoded here; wbValidateModule does that. */
bool wbDecodeModule(wb_module *m, wb_error *err);

/* Validates a decoded module, function bodies included. */
bool wbValidateModule(wb_module *m, wb_error *err);

/* The name-section name of function `index`, or NULL (length in *len). */
const uint8_t *wbFuncName(const wb_module *m, uint32_t index, uint32_t *len);

/* Frees what wbDecodeModule allocated (not the struct itself). */
void wbModuleFreeParts(wb_module *m);

/* Resets err to "no error". */
void wbErrorInit(wb_error *err);

/* Sets err (if still WB_OK) and returns false. detail may be NULL. */
bool wbErrorSet(wb_error *err, wb_status status, size_t offset, const char *message,
                const char *detail_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static inline bool wbIsRefType(uint8_t t) { return t == WB_FUNCREF || t == WB_EXTERNREF; }
static inline bool wbIsValType(uint8_t t)
{
    return (t >= WB_V128 && t <= WB_I32) || wbIsRefType(t);
}

/* Type of function `index` (imports included). */
static inline const wbFuncType *wbFuncTypeOf(const wb_module *m, uint32_t index)
{
    return &m->types[m->funcs[index].type_index];
}

#endif /* WB_MODULE_H */
