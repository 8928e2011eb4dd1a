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
    WB_ERR_ARG        /* the caller passed a bad argument */
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

#ifdef __cplusplus
}
#endif
#endif /* WASMBOX_H */
