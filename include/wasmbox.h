/*
 * wasmbox.h — the public embedding API of wasmbox.
 *
 * Everything the CLI, the test suites and embedders use lives here; nothing
 * else in src/ is public. Names follow wb_<noun>_<verb>; types are opaque.
 * Ownership: a function that returns a new object through an out-parameter
 * transfers it to the caller, who frees it with the matching _delete.
 * Errors: functions return a wb_status and, when given one, fill a
 * caller-provided wb_error with the byte offset and the spec's wording.
 */
#ifndef WASMBOX_H
#define WASMBOX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WB_API __attribute__((visibility("default")))
#else
#define WB_API
#endif

#define WB_VERSION "0.1.0"

/* Outcome of an API call. */
typedef enum wb_status {
    WB_OK = 0,
    WB_ERR_MALFORMED, /* the bytes are not a well-formed WebAssembly binary */
    WB_ERR_INVALID,   /* well-formed, but fails validation */
    WB_ERR_LINK,      /* imports cannot be satisfied */
    WB_ERR_TRAP,      /* the guest trapped */
    WB_ERR_LIMIT,     /* a configured limit (memory, fuel, time, stack) was hit */
    WB_ERR_NOMEM,     /* the host could not allocate */
    WB_ERR_IO,        /* a host I/O error (files) */
    WB_ERR_ARG,       /* the caller passed a bad argument */
    WB_ERR_EXIT       /* a host function asked the guest to stop (WASI
                         proc_exit): not a failure; the host knows the code */
} wb_status;

#define WB_NO_OFFSET ((size_t)-1)
#define WB_NO_INDEX UINT32_MAX

/*
 * What went wrong, and where. `message` is a constant string in the
 * WebAssembly spec's own wording ("type mismatch", "unexpected end", ...), so
 * callers may compare it; `detail` adds context in free text (may be empty).
 */
typedef struct wb_error {
    wb_status status;
    size_t offset;        /* byte offset in the module binary, or WB_NO_OFFSET */
    int section;          /* section id (0..12), or -1 when not in a section */
    uint32_t func_index;  /* function index (imports included), or WB_NO_INDEX */
    const char *message;  /* spec wording; never NULL when status != WB_OK */
    char detail[160];     /* extra context, NUL-terminated, possibly "" */
} wb_error;

/* Short name of a status ("malformed", "invalid", ...). Never NULL. */
WB_API const char *wb_status_name(wb_status status);

/*
 * Formats `err` as one line "0xOFFSET: message (detail)" into buf (size n,
 * always NUL-terminated when n > 0). Returns buf.
 */
WB_API char *wb_error_format(const wb_error *err, char *buf, size_t n);

/* The library version, e.g. "0.1.0". */
WB_API const char *wb_version(void);

/* ---------------------------------------------------------------- modules */

/* A decoded and validated module: immutable, shareable across threads. */
typedef struct wb_module wb_module;

/*
 * Decodes and validates `size` bytes at `bytes` into a new module.
 * The module copies what it keeps: `bytes` may be freed on return.
 * On success stores the module in *out and returns WB_OK. On failure *out is
 * set to NULL, `err` (if not NULL) is filled, and the status is
 * WB_ERR_MALFORMED, WB_ERR_INVALID or WB_ERR_NOMEM.
 */
WB_API wb_status wb_module_new(const uint8_t *bytes, size_t size,
                               wb_module **out, wb_error *err);

/* Frees a module. Accepts NULL. */
WB_API void wb_module_delete(wb_module *module);

/* Prints the interpreter code compiled for each defined function, one
 * instruction a line (a developer's aid: the format may change). `out` is a
 * FILE*, passed as void* so that this header needs no <stdio.h>. */
WB_API void wb_module_dump_code(const wb_module *module, void *out);

/*
 * Execution tiers. By default (WB_TIER_AUTO) wb_module_new also compiles a
 * module to native code where wasmbox has a code generator (x86-64) and the
 * host allows executable memory; everywhere else, or with
 * WB_TIER_INTERPRETER, its functions run in the interpreter. Both tiers
 * behave the same (results, traps, limits, fuel); the native one is faster.
 * The setting is process-wide and applies to modules created after it.
 */
typedef enum wb_tier {
    WB_TIER_AUTO = 0,
    WB_TIER_INTERPRETER = 1,
} wb_tier;

WB_API void wb_set_tier(wb_tier tier);

/* 1 when the module's functions run as native code, else 0. */
WB_API int wb_module_native(const wb_module *module);


/* ------------------------------------------------------------------ values */

/* Value types, numbered as in the binary format. */
typedef enum wb_valtype {
    WB_TYPE_I32 = 0x7F,
    WB_TYPE_I64 = 0x7E,
    WB_TYPE_F32 = 0x7D,
    WB_TYPE_F64 = 0x7C,
    WB_TYPE_V128 = 0x7B,
    WB_TYPE_FUNCREF = 0x70,
    WB_TYPE_EXTERNREF = 0x6F
} wb_valtype;

/*
 * A value crossing the API. Floats travel as their IEEE bits so that NaN
 * payloads survive. A funcref is a wb_func* (NULL: ref.null); an externref is
 * any host pointer (NULL: ref.null).
 */
typedef struct wb_value {
    wb_valtype type;
    union {
        uint32_t i32;
        uint64_t i64;
        uint32_t f32;  /* bits */
        uint64_t f64;  /* bits */
        uint8_t v128[16];
        void *ref;
    } of;
} wb_value;

/* The text-format name of a value type ("i32", "funcref", ...); "unknown"
 * for anything else. Never NULL. */
WB_API const char *wb_valtype_name(wb_valtype type);

/* ---------------------------------------------------------- runtime objects */

typedef struct wb_store wb_store;       /* owns instances and every object below */
typedef struct wb_instance wb_instance; /* an instantiated module */
typedef struct wb_func wb_func;         /* a function: wasm or host */
typedef struct wb_table wb_table;
typedef struct wb_memory wb_memory;
typedef struct wb_global wb_global;
typedef struct wb_linker wb_linker;     /* names → objects, for imports */

/* Kinds of importable and exportable objects. */
typedef enum wb_extern_kind {
    WB_EXTERN_FUNC = 0,
    WB_EXTERN_TABLE = 1,
    WB_EXTERN_MEMORY = 2,
    WB_EXTERN_GLOBAL = 3
} wb_extern_kind;

/* One of the four object kinds, tagged. */
typedef struct wb_extern {
    wb_extern_kind kind;
    union {
        wb_func *func;
        wb_table *table;
        wb_memory *memory;
        wb_global *global;
    } of;
} wb_extern;

/* Limits a store enforces on everything running in it. 0 means the default
 * (documented per field). */
/* The deepest wasm call stack any store allows (max_call_depth is capped at
 * it): native code keeps 16 bytes of machine stack per frame. */
#define WB_MAX_CALL_DEPTH 262144u

typedef struct wb_limits {
    uint32_t max_memory_pages; /* per memory; default 65536 (4 GiB) */
    uint32_t max_table_elems;  /* per table; default 10,000,000 */
    uint32_t max_call_depth;   /* wasm frames; default 100,000, at most
                                  WB_MAX_CALL_DEPTH (262,144) */
    size_t max_stack_bytes;    /* value stack; default 8 MiB */
    uint64_t fuel;             /* instructions-ish budget; 0 = unlimited */
} wb_limits;

/* Creates a store. limits may be NULL (defaults). Returns NULL when out of
 * memory. */
WB_API wb_store *wb_store_new(const wb_limits *limits);

/* Frees a store and every instance and object created in it. Accepts NULL. */
WB_API void wb_store_delete(wb_store *store);

/*
 * Asks the guest running in `store` to stop. Safe to call from any thread or
 * a signal handler (it sets one flag). The guest stops at its next loop
 * back-edge or call with WB_ERR_LIMIT and the message "interrupted"; the
 * flag stays set (every later call stops too) until wb_store_clear_interrupt.
 */
WB_API void wb_store_interrupt(wb_store *store);
WB_API void wb_store_clear_interrupt(wb_store *store);

/* Fuel left in the store (when limits.fuel was set). Running out stops the
 * guest with WB_ERR_LIMIT and the message "fuel exhausted". */
WB_API uint64_t wb_store_fuel(const wb_store *store);

/* Non-zero once a memory.grow in this store failed because of
 * limits.max_memory_pages (not because of the module's own maximum). */
WB_API int wb_store_memory_limit_hit(const wb_store *store);

/* ---------------------------------------------------------- host functions */

/*
 * A host function. `args` holds the parameters, `results` room for the
 * results, both typed as declared. To trap, set *trap to a constant message
 * (e.g. "unreachable") and return WB_ERR_TRAP; returning any other non-OK
 * status also stops the guest with that status. `caller` is the instance
 * whose code made the call (NULL when called from the API).
 */
typedef wb_status (*wb_host_fn)(void *env, wb_instance *caller, const wb_value *args,
                                wb_value *results, const char **trap);

/* Creates a host function in `store` with the given signature (arrays are
 * copied). env is passed back to fn untouched. NULL when out of memory. */
WB_API wb_func *wb_func_new_host(wb_store *store, const wb_valtype *params, uint32_t nparams,
                                 const wb_valtype *results, uint32_t nresults, wb_host_fn fn,
                                 void *env);

/* The signature of a function: counts, and pointers to its type arrays
 * (valid while the store lives). Any out-parameter may be NULL. */
WB_API void wb_func_type(const wb_func *func, uint32_t *nparams, const wb_valtype **params,
                         uint32_t *nresults, const wb_valtype **results);

/*
 * Calls a function. args must match the parameter types and count; results
 * must have room for nresults (the function's result count). Returns WB_OK,
 * WB_ERR_TRAP (err->message is the spec's trap text, e.g. "integer divide by
 * zero", err->detail a backtrace), WB_ERR_LIMIT (fuel, stack), or
 * WB_ERR_ARG when the arguments do not match.
 */
WB_API wb_status wb_func_call(wb_func *func, const wb_value *args, uint32_t nargs,
                              wb_value *results, uint32_t nresults, wb_error *err);

/* ------------------------------------------- tables, memories and globals */

/* New objects owned by `store`, e.g. to satisfy imports. NULL on bad limits
 * or out of memory. */
WB_API wb_table *wb_table_new(wb_store *store, wb_valtype elem, uint32_t min, uint32_t max,
                              int has_max);
WB_API wb_memory *wb_memory_new(wb_store *store, uint32_t min_pages, uint32_t max_pages,
                                int has_max);
WB_API wb_global *wb_global_new(wb_store *store, wb_valtype type, int is_mutable,
                                wb_value value);

WB_API wb_value wb_global_get(const wb_global *global);
/* WB_ERR_ARG when the global is immutable or the type differs. */
WB_API wb_status wb_global_set(wb_global *global, wb_value value);

/* Current size in bytes and a pointer to the memory's bytes. The pointer is
 * valid until the memory grows. */
WB_API uint8_t *wb_memory_data(wb_memory *memory);
WB_API uint64_t wb_memory_size(const wb_memory *memory);

WB_API uint32_t wb_table_size(const wb_table *table);

/* ------------------------------------------------------------------ linker */

/* A set of named objects used to resolve imports. */
WB_API wb_linker *wb_linker_new(wb_store *store);
WB_API void wb_linker_delete(wb_linker *linker);

/* Defines module.name as `item` (a later definition of the same name
 * replaces the earlier one). WB_ERR_NOMEM on failure. */
WB_API wb_status wb_linker_define(wb_linker *linker, const char *module, const char *name,
                                  wb_extern item);

/* Defines every export of `instance` under the module name `module` (the spec
 * suite's `register`). */
WB_API wb_status wb_linker_define_instance(wb_linker *linker, const char *module,
                                           wb_instance *instance);

/* ---------------------------------------------------------------- instances */

/*
 * Instantiates `module` in `store`, resolving imports through `linker` (may
 * be NULL when there are none): checks import types ("unknown import",
 * "incompatible import type": WB_ERR_LINK), allocates memories, tables and
 * globals, applies element and data segments, and runs the start function
 * (a trap there: WB_ERR_TRAP; segments out of bounds: WB_ERR_TRAP with
 * "out of bounds table access" / "out of bounds memory access"). The module
 * must outlive the instance. On success *out belongs to the store.
 */
WB_API wb_status wb_instance_new(wb_store *store, const wb_module *module,
                                 const wb_linker *linker, wb_instance **out, wb_error *err);

/* Looks up an export by name. Returns 1 and fills *out when found, else 0. */
WB_API int wb_instance_export(const wb_instance *instance, const char *name, wb_extern *out);

/* The same for a name given as `len` bytes, which may hold NUL bytes (wasm
 * names are any UTF-8 string). */
WB_API int wb_instance_export_bytes(const wb_instance *instance, const uint8_t *name, size_t len,
                                    wb_extern *out);

#ifdef __cplusplus
}
#endif
#endif /* WASMBOX_H */
