/*
 * spec.h — shared types of the spec-suite runner (tests/spec/).
 *
 * The runner converts each .wast of the official suite to JSON with
 * wast2json, then runs the JSON's commands one by one against the public
 * API. Each command ends in one outcome; outcomes are tallied per command
 * kind, per file and in total. The pieces: options.c (command line),
 * suite.c (which .wast files), convert.c (wast2json), script.c (one JSON
 * script), commands.c (command type -> handler table), cmd_module.c and
 * cmd_exec.c (the handlers, declared in handlers.h), load.c (.wasm files
 * into wb_module_new), env.c (the per-script store, linker, spectest module
 * and instances), values.c (JSON values: parsing, printing, comparing),
 * skiplist.c (tests/spec/skip.list), expect.c (error-message matching),
 * fsutil.c (files and folders), report.c (tallies and the summary), main.c
 * (the driver).
 */
#ifndef SPEC_H
#define SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "wasmbox.h"

/* What became of one command. */
typedef enum spec_outcome {
    SPEC_PASS,
    SPEC_FAIL,
    SPEC_SKIP,   /* deliberately not run: outside this engine's scope */
    SPEC_NOTRUN, /* needs something the engine cannot do yet (SIMD) */
    SPEC_OUTCOMES
} spec_outcome;

/* Command kinds, in the order the summary lists them. */
typedef enum spec_kind {
    KIND_MODULE,
    KIND_ASSERT_MALFORMED,
    KIND_ASSERT_INVALID,
    KIND_ASSERT_UNLINKABLE,
    KIND_ASSERT_UNINSTANTIABLE,
    KIND_ASSERT_RETURN,
    KIND_ASSERT_TRAP,
    KIND_ASSERT_EXHAUSTION,
    KIND_REGISTER,
    KIND_ACTION,
    KIND_UNKNOWN, /* a command type this runner does not know */
    KIND_SCRIPT,  /* a whole script that could not be converted or read */
    KIND_SKIPLIST, /* a stale skip-list entry (matched no command) */
    SPEC_KINDS
} spec_kind;

/* Counts of outcomes per command kind. */
typedef struct spec_tally {
    unsigned n[SPEC_KINDS][SPEC_OUTCOMES];
} spec_tally;

/* Command-line settings. */
typedef struct spec_options {
    const char *suite;   /* folder of .wast files */
    const char *out;     /* folder for wast2json's output */
    const char *skip_list; /* the skip list file */
    bool skip_list_given;  /* --skip-list was passed (then it must exist) */
    bool verbose;        /* also list skipped commands, echo spectest.print */
    char **names;        /* positional .wast names to run; NULL = all */
    int n_names;
} spec_options;

/* One entry of the skip list: `FILE.wast:LINE  reason`. */
typedef struct spec_skip {
    char *wast;          /* "select.wast" */
    int line;            /* the command's line in the .wast */
    char *reason;
    int list_line;       /* where the entry is in the skip list */
    unsigned hits;       /* commands it matched */
} spec_skip;

typedef struct spec_skiplist {
    const char *path;
    spec_skip *entries;
    size_t n;
} spec_skiplist;

/* An instance remembered under a script name ("$M1"). */
typedef struct spec_named {
    char *name;
    wb_instance *instance;
} spec_named;

/*
 * State while running one script: one store and one linker (which starts
 * with the `spectest` module), every module loaded so far (instances refer
 * to them, so they live until the script ends), the named instances and the
 * current one.
 */
/* options.c: every module must be compiled to native code (the default on
 * x86-64; --interpreter turns it off). */
extern bool spec_expect_native;

typedef struct spec_ctx {
    const char *wast;    /* "i32.wast", for messages */
    const char *dir;     /* folder holding the JSON and its module files */
    bool verbose;
    spec_skiplist *skips; /* may be NULL */
    int *nul_lines;      /* commands with a NUL in a string (script.c) */
    size_t n_nul_lines;
    const char *text;    /* the JSON text, for what cJSON cannot carry */
    size_t text_size;
    uint8_t raw_field[256]; /* the current command's "field", decoded from */
    size_t raw_field_len;   /* the text when it holds NUL bytes, and */
    bool has_raw_field;     /* then used instead of cJSON's string */
    wb_store *store;
    wb_linker *linker;
    wb_module **modules; /* owned; deleted after the store */
    size_t n_modules, cap_modules;
    spec_named *named;
    size_t n_named, cap_named;
    wb_instance *current; /* the instance of the latest `module`, or NULL */
    int current_line;     /* line of the latest `module` command, 0: none */
} spec_ctx;

/* Longest explanation a handler may give for its outcome. */
#define SPEC_WHY_MAX 512

/*
 * A command handler: runs `cmd` (one entry of "commands") and returns its
 * outcome. For SPEC_FAIL and SPEC_SKIP it writes why into `why` (size
 * SPEC_WHY_MAX), e.g. `expected "type mismatch", module accepted`.
 */
typedef spec_outcome (*spec_handler)(spec_ctx *ctx, const cJSON *cmd,
                                     char *why);

/* options.c: parse argv. Returns 0 to run, 1 after --help, 2 on misuse. */
int spec_options_parse(int argc, char **argv, spec_options *opt);

/* suite.c: the sorted .wast file names to run, or NULL after printing why
 * (*status then holds the exit status). Free with spec_suite_free. */
char **spec_suite_list(const spec_options *opt, size_t *count, int *status);
void spec_suite_free(char **names, size_t count);

/* convert.c: true if wast2json can be found in $PATH. */
bool spec_have_wast2json(void);
/* convert.c: ensures OUT/NAME/NAME.json is fresh; returns its malloc'ed
 * path, or NULL after writing why into `why` (size SPEC_WHY_MAX). */
char *spec_convert(const char *suite, const char *out, const char *wast,
                   char *why);

/* script.c: runs one converted script, adding its outcomes to `tally`.
 * Commands the skip list names are counted as skipped, not run. */
void spec_script_run(const char *wast, const char *json_path, bool verbose,
                     spec_skiplist *skips, spec_tally *tally);
/* script.c: reports a script none of whose commands could be run, counting
 * it as one failure. */
void spec_script_error(const char *wast, spec_tally *tally, const char *why);

/* commands.c: the handler of a command type, or NULL if unknown. */
spec_handler spec_command_lookup(const char *type, spec_kind *kind);
/* commands.c: the summary name of a kind ("assert_invalid"). */
const char *spec_kind_name(spec_kind kind);

/* load.c: reads ctx->dir/FILENAME and passes it to wb_module_new, whose
 * status ends up in err->status (and the module, if any, in *out). Returns
 * false, with why filled in, if the file itself cannot be read. */
bool spec_load_module(const spec_ctx *ctx, const char *filename,
                      wb_module **out, wb_error *err, char *why);

/* env.c: creates the store and the linker (with `spectest`) of a script;
 * false, with why filled in, on failure. spec_env_close frees everything
 * (also after a failed open). */
bool spec_env_open(spec_ctx *ctx, char *why);
void spec_env_close(spec_ctx *ctx);
/* env.c: hands a module to the context, which deletes it at the end of the
 * script (after the store). False (module deleted) when out of memory. */
bool spec_env_keep_module(spec_ctx *ctx, wb_module *module);
/* env.c: remembers `instance` under `name` (a later one replaces it). */
bool spec_env_name_instance(spec_ctx *ctx, const char *name,
                            wb_instance *instance);
/* env.c: the instance called `name`, or the current one when name is NULL;
 * NULL, with why filled in, when there is none. */
wb_instance *spec_env_instance(const spec_ctx *ctx, const char *name,
                               char *why);

/* values.c: a value the script passes or expects. */
typedef enum spec_match {
    MATCH_EXACT,          /* same type and bits (refs: same pointer) */
    MATCH_NAN_CANONICAL,  /* "nan:canonical" */
    MATCH_NAN_ARITHMETIC, /* "nan:arithmetic" */
    MATCH_NONNULL         /* a funcref that is not null */
} spec_match;

typedef struct spec_value {
    wb_value v;
    spec_match match;
} spec_value;

typedef enum spec_parse {
    PARSE_OK,
    PARSE_V128, /* a v128 value: SIMD is not run yet */
    PARSE_BAD   /* why is filled in */
} spec_parse;

/* values.c: parses one JSON value. `expected` allows the NaN patterns and
 * a non-null funcref. */
spec_parse spec_value_parse(const cJSON *json, bool expected, spec_value *out,
                            char *why);
/* values.c: does `got` match the expected value? */
bool spec_value_matches(const spec_value *expected, const wb_value *got);
/* values.c: "i32:5", "f32:0x3f800000 (1)", "externref:3", "funcref:null";
 * for an expected value also "f32:nan:canonical", "funcref:non-null". */
void spec_value_format(const wb_value *v, char *buf, size_t n);
void spec_expected_format(const spec_value *v, char *buf, size_t n);
/* values.c: the name of a value type ("i32"). */
const char *spec_type_name(wb_valtype t);
/* values.c: the externref value that stands for the script's `ref.extern N`
 * (never NULL). */
void *spec_extern_ref(uint64_t n);

/* skiplist.c: reads the skip list; a missing default file is an empty list.
 * Returns false after printing why. */
bool spec_skiplist_load(const spec_options *opt, spec_skiplist *list);
/* skiplist.c: the entry for wast:line, or NULL (counts the hit). */
const spec_skip *spec_skiplist_match(spec_skiplist *list, const char *wast,
                                     int line);
/* skiplist.c: counts in `tally` (and prints) each entry that never
 * matched: for one of the `n` scripts run (tallies[i] is how wasts[i] went;
 * one unreadable as a whole is not checked) or, when `all` of the suite
 * ran, for a script not in it. */
void spec_skiplist_check(const spec_skiplist *list, char **wasts,
                         const spec_tally *tallies, size_t n, bool all,
                         spec_tally *tally);
void spec_skiplist_free(spec_skiplist *list);

#if defined(__GNUC__)
#define SPEC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SPEC_PRINTF(f, a)
#endif

/* expect.c: snprintf into buf (size n) for messages that may be cut short
 * on purpose (no truncation warnings). */
void spec_textf(char *buf, size_t n, const char *fmt, ...) SPEC_PRINTF(3, 4);

/* expect.c: does our error message match the expected text? */
bool spec_message_matches(const char *expected, const char *got);
/* expect.c: `trap "unreachable" (0x1f: detail)`: status, message, where. */
void spec_error_describe(const wb_error *err, char *buf, size_t n);
/* expect.c: is this the trap of a function that uses SIMD? Such commands
 * count as not run, with this reason: */
#define SPEC_SIMD_NOTRUN "SIMD execution not implemented"
bool spec_is_simd_trap(const wb_error *err);

/* fsutil.c: small file-system helpers. */
char *spec_path_join(const char *dir, const char *name);
bool spec_read_file(const char *path, unsigned char **data, size_t *size);
bool spec_mkdir_p(const char *path);

/* report.c: tallies and the closing summary. */
unsigned spec_tally_outcome(const spec_tally *t, spec_outcome o);
void spec_tally_add(spec_tally *into, const spec_tally *from);
void spec_report_header(void);
void spec_report_row(const char *label, const spec_tally *t);
/* Prints totals, the breakdown by kind and the two closing lines. */
void spec_report_summary(const spec_tally *total, size_t files);

#endif /* SPEC_H */
