/*
 * policy.h — one workload's sandbox policy, shared by `wasmbox run` and
 * `wasmbox serve`: the directories and environment a guest is granted and
 * the limits it runs under, plus the parsers for the option values that
 * describe them — sizes ("64MiB"), durations ("500ms"), counts ("1000000"),
 * directories ("HOST::GUEST"), variables ("NAME=VALUE" or "NAME").
 *
 * Every setter takes the value as text (a flag's or a routes file's) and,
 * on a bad value, returns 0 with a one-line reason in why (no trailing
 * newline, no option name: the caller prefixes "--max-memory '3x': "), e.g.
 * "expected a size like 65536, 512KiB, 64MiB or 1GiB". When out of memory
 * the reason is exactly "out of memory" (the policy is left as it was).
 * The policy keeps its own copy of every string: the text it was built from
 * need not outlive it.
 */
#ifndef WB_SANDBOX_POLICY_H
#define WB_SANDBOX_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "wasmbox.h"
#include "wasmbox_wasi.h"

#define WB_WASM32_MAX_BYTES (65536ull * 65536ull) /* 4 GiB */
#define WB_MAX_STACK_LIMIT (1ull << 30)

typedef struct wbPolicy {
    wb_wasi_dir *dirs;   /* granted directories, in order (guest fds 3, 4, ...) */
    int ndirs;
    const char **env;    /* "NAME=VALUE", one per NAME */
    int nenv;
    uint64_t max_memory; /* bytes, rounded up to 64 KiB pages; 0: default (4 GiB) */
    uint64_t fuel;       /* 0: unlimited */
    uint64_t timeout_ns; /* 0: none */
    char timeout[32];    /* the timeout as given ("5s"), for messages */
    uint64_t max_stack;  /* bytes; 0: default */
    /* private: strings and arrays the policy owns */
    char **owned;
    int nowned, cap_owned, cap_dirs, cap_env;
} wbPolicy;

/* An empty policy: nothing granted, no limits beyond the defaults. */
void wbPolicyInit(wbPolicy *p);
/* Frees what the policy owns and leaves it empty (as wbPolicyInit). */
void wbPolicyFree(wbPolicy *p);
/* Makes dst an independent copy of src (dst need not be initialised).
 * Returns 0 when out of memory (dst is then empty). */
int wbPolicyCopy(wbPolicy *dst, const wbPolicy *src);

/* HOST or HOST::GUEST (split at the first "::"; GUEST defaults to HOST as
 * written). Neither part may be empty. The directory is not opened here. */
int wbPolicyAddDir(wbPolicy *p, const char *spec, int read_only, char *why, size_t n);
/* NAME=VALUE, or NAME to pass the host's value (nothing when the host has
 * none). A later NAME replaces an earlier one. */
int wbPolicyAddEnv(wbPolicy *p, const char *spec, char *why, size_t n);
/* A limit by name: "max-memory" (SIZE, 1 byte..4GiB, rounded up to 64 KiB
 * pages), "max-stack" (SIZE, 1KiB..1GiB), "fuel" (COUNT >= 1) or "timeout"
 * (DURATION > 0; its text is kept in p->timeout, or a short equivalent
 * such as "1.5s" when the text is longer than 31 characters). An unknown
 * name also returns 0. A later value replaces an earlier one. */
int wbPolicySetLimit(wbPolicy *p, const char *name, const char *value, char *why, size_t n);

/* The store limits the policy asks for (0, the store's default, for
 * whatever the policy leaves unset). */
wb_limits wbPolicyLimits(const wbPolicy *p);

/* Why a guest stopped, read from the status and error of the call it
 * stopped in and from its store: one reading for `run` and `serve`. */
typedef enum wbStop {
    WB_STOP_INTERRUPTED, /* wb_store_interrupt: a timeout, a shutdown */
    WB_STOP_FUEL,        /* fuel exhausted */
    WB_STOP_STACK,       /* call stack exhausted */
    WB_STOP_MEMORY,      /* trapped (or could not instantiate) after the
                            memory limit refused memory */
    WB_STOP_TRAP,        /* any other trap */
    WB_STOP_EXIT,        /* a host function asked it to stop (proc_exit) */
    WB_STOP_OTHER        /* out of memory, link errors, ... */
} wbStop;

wbStop wbPolicyStopReason(wb_status s, const wb_error *err, const wb_store *store);

/* The memory limit in force, for messages: "16MiB", or "4GiB" when none
 * was set. Returns buf. */
char *wbPolicyMemoryText(const wbPolicy *p, char *buf, size_t n);

/*
 * SIZE: a whole number of bytes, optionally followed by a binary unit:
 * B, K or KiB (1024), M or MiB (1024^2), G or GiB (1024^3); letters in any
 * case ("65536", "512KiB", "64M", "1GiB"). Decimal units (KB, MB, GB) are
 * refused rather than guessed. Returns 1 and sets *bytes, or 0 when the
 * text is not a size or the value passes 2^64.
 */
int wbParseSize(const char *text, uint64_t *bytes);

/*
 * DURATION: a number, whole or with a decimal fraction, followed by a unit:
 * ms, s, m or h; a bare number is seconds ("500ms", "5s", "1.5s", "2m").
 * Returns 1 and sets *ns (nanoseconds), or 0 when the text is not a
 * duration or it passes about 584 years.
 */
int wbParseDuration(const char *text, uint64_t *ns);

/* COUNT: a whole decimal number ("1000000"). Returns 1 and sets *n, or 0. */
int wbParseCount(const char *text, uint64_t *n);

/* Writes bytes as "4GiB", "64MiB", "512KiB" when it is a whole number of
 * that unit, else "N bytes". Returns buf. */
char *wbFormatSize(uint64_t bytes, char *buf, size_t n);

#endif /* WB_SANDBOX_POLICY_H */
