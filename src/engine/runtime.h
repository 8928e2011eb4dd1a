/*
 * runtime.h — the objects a running module works with: stores, instances,
 * functions, tables, memories and globals, and the compiled code the
 * interpreter executes.
 *
 * A store owns everything created in it (freed together, like wasmtime's
 * Store). A module is immutable and shared; its compiled code (wbCode) is
 * made once at load time. An instance is small: arrays of pointers to the
 * objects it uses, imported or its own.
 */
#ifndef WB_RUNTIME_H
#define WB_RUNTIME_H

#include <signal.h>

#include "engine/module.h"

/* One value in a frame: every wasm value but v128 fits in a slot. */
typedef union wbSlot {
    uint32_t i32;
    uint64_t i64;
    float f32;
    double f64;
    void *ref;
} wbSlot;

/* Compiled code of one defined function (see compile.c for the format). */
typedef struct wbCode {
    uint32_t *words;      /* instructions: an opcode word, then operand words */
    uint32_t nwords;
    uint32_t nparams;     /* slots 0..nparams-1 hold the arguments */
    uint32_t nlocals;     /* params + declared locals: slots below this */
    uint32_t frame_slots; /* locals + the deepest operand stack */
    uint32_t nresults;    /* results are left in slots 0..nresults-1 */
    uint32_t entry_fuel;  /* instructions outside loops, charged per call */
    /* (code position, wasm byte offset) pairs, sorted, for backtraces */
    uint32_t *pos_map;
    uint32_t npos;
    /* the native-code tier's entry for this function (jit_x64.c), or NULL
     * when the module runs in the interpreter */
    const uint8_t *native;
} wbCode;

typedef struct wb_store wb_store;

/* A function object: a wasm function of some instance, or a host function. */
struct wb_func {
    const wbFuncType *type;     /* its signature */
    wb_instance *instance;      /* the defining instance; NULL for host functions */
    const wbCode *code;         /* wasm functions: compiled body */
    uint32_t index;             /* wasm functions: index in the module */
    wb_host_fn host;            /* host functions */
    void *host_env;
    wb_valtype *api_types;      /* signature as wb_valtype, params then results */
};

struct wb_table {
    uint8_t elem;       /* WB_FUNCREF or WB_EXTERNREF */
    uint32_t size;
    uint32_t max;       /* effective maximum (declared max, capped by limits) */
    void **elems;       /* wb_func* for funcref; host pointers for externref */
    bool declared_max;  /* the type's own maximum, for import matching */
    uint32_t declared_max_elems;
    uint32_t capacity;  /* entries allocated at elems (>= size) */
};

struct wb_memory {
    wb_store *store;      /* the owner, told when its memory limit binds */
    uint8_t *data;
    uint64_t size;        /* bytes, a multiple of 64 KiB */
    uint32_t pages;
    uint32_t max_pages;   /* effective maximum (declared max, capped by limits) */
    bool declared_max;
    uint32_t declared_max_pages;
    uint64_t reserved;    /* bytes of address space reserved at data (vmem),
                             0 when data comes from malloc (then it may move) */
};

struct wb_global {
    wbGlobalType type;
    wbSlot value;
    uint8_t v128[16];     /* the value of a v128 global (value unused) */
};

struct wb_instance {
    wb_store *store;
    const wb_module *module;
    wb_func **funcs;        /* index space of the module, imports first */
    wb_table **tables;
    wb_memory **memories;
    wb_global **globals;
    uint8_t *dropped_elems; /* elem.drop / data.drop flags */
    uint8_t *dropped_datas;
};

/* The per-thread execution state of the interpreter: its own value stack
 * and frame stack, so guest recursion never touches the C stack. */
typedef struct wbFrame {
    wb_func *func;
    const uint32_t *ret_ip;  /* where the caller resumes */
    wbSlot *fp;              /* the frame's slot 0 */
    const uint32_t *code;    /* func's code words (branch targets count from here) */
    wb_instance *ret_inst;   /* the caller's instance when it differs from
                                func's (restored on return), else NULL */
} wbFrame;

/* What native code (jit_x64.c) keeps of a running invocation outside its
 * registers: the instance's arrays it reads, the frame-stack top and fuel
 * while a helper runs, and how it stopped. Saved and restored around a
 * nested invocation (a host function calling back into wasm). */
typedef struct wbJitState {
    wb_instance *inst;
    wb_func **funcs;         /* inst->funcs */
    wb_global **globals;     /* inst->globals */
    wb_memory *memory;       /* inst's memory 0, or an empty stand-in */
    wbFrame *frame_top;      /* one past the innermost frame */
    wbFrame *frames_end;     /* the frame limit native code checks */
    void *rsp;               /* native stack pointer at entry (a trap returns there) */
    uintptr_t rsp_limit;     /* the lowest the native stack may go for guest frames */
    int64_t fuel;
    const uint32_t *trap_ip; /* where it stopped, in the register code */
    const char *trap;        /* why: a trap text, NULL for fuel or interrupt */
    wb_status status;        /* WB_ERR_TRAP, or a host function's own failure */
    /* A call into another instance (a nested invocation) stopped: its
     * innermost offset and backtrace, which the caller's frames continue. */
    bool nested;
    size_t nested_offset;
    char nested_detail[sizeof ((wb_error *)0)->detail];
} wbJitState;

typedef struct wbThread {
    wbSlot *stack;
    wbSlot *stack_end;
    wbFrame *frames;
    uint32_t nframes, max_frames;
    int64_t fuel;           /* remaining; INT64_MAX when unlimited */
    bool fuel_on;
    volatile sig_atomic_t interrupt; /* set asynchronously to stop the guest */
    wbJitState jit;
} wbThread;

struct wb_store {
    wb_limits limits;       /* with defaults filled in */
    wbThread thread;        /* stacks allocated on first call (wbStoreThread) */
    void *objects;          /* everything the store owns (store.c) */
    void *stacks;           /* the block behind thread.stack and .frames
                               (store.c), or NULL before the first call */
    bool memory_limit_hit;  /* a memory could not grow (or be created) because
                               of limits.max_memory_pages */
};

/* ---- provided by exec.c (the interpreter) */

/* Runs `func` with its arguments in args[0..nparams); its results replace
 * them in args[0..nresults). args must have room for max(nparams, nresults).
 * On a trap returns WB_ERR_TRAP with err->message the spec's text and
 * err->detail a backtrace; WB_ERR_LIMIT for fuel or stack limits. */
wb_status wbInvoke(wb_store *store, wb_func *func, wbSlot *args, wb_error *err);

/* Runs `func`, whose arguments are already in its frame at fp, on thread th
 * (frames above th->nframes), in the tier its module was made for. */
wb_status wbRun(wbThread *th, wb_func *func, wbSlot *fp, wb_error *err);

/* Calls host function f with its arguments in slots[0..nparams); its
 * results replace them. Returns NULL, or a trap text with *status telling
 * the failure. */
const char *wbCallHost(wb_func *f, wb_instance *caller, wbSlot *slots, wb_status *status);

/* Ends an invocation that stopped at ip (a register-code position of the
 * innermost of th's frames above base_frames) with `trap` (NULL: out of
 * fuel or interrupted): fills err with the text, status and backtrace,
 * unwinds th to base_frames and returns the status. */
wb_status wbStopped(wbThread *th, uint32_t base_frames, const uint32_t *ip, const char *trap,
                    wb_status status, wb_error *err);

/* The trap texts both tiers use (a pointer compare tells them apart). */
extern const char wbTrapUnreachable[], wbTrapMemory[], wbTrapTable[], wbTrapUndefined[],
    wbTrapUninitialized[], wbTrapSignature[], wbTrapExhausted[], wbTrapSimd[];

/* ---- provided by bulk.c: the bulk-memory, table and segment instructions
 * for both tiers, [op, operands...] at ip over the frame fp, in instance
 * inst whose memory 0 is mem. Each returns NULL or a trap text. */
typedef const char *wbBulkOp(wb_instance *inst, wb_memory *mem, wbSlot *fp, const uint32_t *ip);
wbBulkOp wbBulkMemoryFill, wbBulkMemoryCopy, wbBulkMemoryInit, wbBulkDataDrop, wbBulkTableGet,
    wbBulkTableSet, wbBulkTableSize, wbBulkTableGrow, wbBulkTableFill, wbBulkTableCopy,
    wbBulkTableInit, wbBulkElemDrop;

/* ---- provided by jit.c (the native-code tier) */

/* Compiles every function of a validated module to native code, setting
 * each wbCode's `native` and m->jit. Returns false (the module then runs
 * in the interpreter) when the host has no native tier, the tier is turned
 * off, or on failure. */
bool wbJitCompileModule(wb_module *m);

/* Frees m->jit. */
void wbJitFree(wb_module *m);

/* wbRun for a function with native code. */
wb_status wbJitRun(wbThread *th, wb_func *func, wbSlot *fp, wb_error *err);

/* ---- provided by the runtime objects (store.c, instance.c, memory.c,
 * table.c, global.c) */

/* The store's execution state, its stacks allocated on first use (sized
 * from the limits; memory is reserved, not touched). NULL if out of memory. */
wbThread *wbStoreThread(wb_store *store);

/* Structural equality of two function types. */
bool wbFuncTypeEqual(const wbFuncType *a, const wbFuncType *b);

/* memory.grow: returns the old size in pages, or -1 when the new size would
 * pass the memory's maximum or the host cannot provide it. New pages are
 * zero. May move `data`. */
int64_t wbMemoryGrow(wb_memory *mem, uint32_t delta_pages);

/* table.grow: returns the old size, or -1 (as int64) past the maximum or
 * out of host memory. New elements are `init`. */
int64_t wbTableGrow(wb_table *table, uint32_t delta, void *init);

/* The reference a constant expression of an element segment yields in
 * instance `inst` (ref.func → the wb_func*, ref.null → NULL, global.get →
 * the global's value). */
void *wbEvalRef(wb_instance *inst, const wbConstExpr *ce);

/* table.init / memory.init of segment `seg` into table/memory at dst from
 * segment offset src, n entries: returns NULL, or the trap text
 * "out of bounds table access" / "out of bounds memory access" (a dropped
 * segment counts as empty). Used both by instantiation and the interpreter. */
const char *wbTableInit(wb_instance *inst, wb_table *table, uint32_t seg, uint32_t dst,
                        uint32_t src, uint32_t n);
const char *wbMemoryInit(wb_instance *inst, wb_memory *mem, uint32_t seg, uint32_t dst,
                         uint32_t src, uint32_t n);

/* Zeroed memory of `size` bytes owned by the store, freed with it by
 * wb_store_delete after calling fini(ptr) (fini may be NULL). NULL when out
 * of memory. */
void *wbStoreAlloc(wb_store *store, size_t size, void (*fini)(void *ptr));

/* A memory / table of the given type in the store: WB_OK, WB_ERR_ARG (bad
 * limits or element type), WB_ERR_LIMIT (the minimum passes the store's
 * limits) or WB_ERR_NOMEM. wb_memory.data is never NULL, even for 0 pages. */
wb_status wbMemoryNew(wb_store *store, const wbLimits *limits, wb_memory **out);
wb_status wbTableNew(wb_store *store, const wbTableType *type, wb_table **out);

/* A value of type `type` held in a slot, and back (v128 does not fit a slot:
 * its bytes are ignored / zero). The slot's unused bits are zero. */
wbSlot wbValueToSlot(const wb_value *value);
wb_value wbSlotToValue(uint8_t type, wbSlot slot);

/* Export number `index` of the instance's module as an extern. false when
 * the index (or the object index it names) is out of range. */
bool wbInstanceExportAt(const wb_instance *inst, uint32_t index, wb_extern *out);

/* The object defined as module.name in the linker (names with lengths, not
 * NUL-terminated), or NULL. linker may be NULL. */
const wb_extern *wbLinkerLookup(const wb_linker *linker, const uint8_t *module,
                                size_t module_len, const uint8_t *name, size_t name_len);

#endif /* WB_RUNTIME_H */
