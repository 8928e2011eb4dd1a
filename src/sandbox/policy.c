/*
 * policy.c — one workload's sandbox policy (policy.h): the directories and
 * environment variables it is granted, its limits, and the parsers for the
 * values that describe them — sizes, durations and counts. Shared by
 * `wasmbox run` (one policy from the command line) and `wasmbox serve` (one
 * per route, from the routes file). The policy owns a copy of every string
 * it points at, so the text it was built from need not outlive it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/policy.h"

#define OUT_OF_MEMORY "out of memory"

/* ------------------------------------------------------------------ values */

/* Reads the leading decimal digits of text into *v; returns the first
 * character after them, or NULL when there are none or the value passes
 * 2^64. strtoull alone would also take signs and spaces. */
static const char *read_digits(const char *text, uint64_t *v)
{
    if (*text < '0' || *text > '9')
        return NULL;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(text, &end, 10);
    if (errno == ERANGE)
        return NULL;
    *v = n;
    return end;
}

int wbParseSize(const char *text, uint64_t *bytes)
{
    static const struct {
        const char *suffix;
        uint64_t unit;
    } units[] = {
        {"", 1},          {"b", 1},          {"k", 1ull << 10}, {"kib", 1ull << 10},
        {"m", 1ull << 20}, {"mib", 1ull << 20}, {"g", 1ull << 30}, {"gib", 1ull << 30},
    };
    uint64_t v;
    const char *rest = read_digits(text, &v);
    if (!rest)
        return 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(rest, units[i].suffix) == 0) {
            if (v > UINT64_MAX / units[i].unit)
                return 0;
            *bytes = v * units[i].unit;
            return 1;
        }
    }
    return 0;
}

int wbParseDuration(const char *text, uint64_t *ns)
{
    static const struct {
        const char *suffix;
        uint64_t unit;
    } units[] = {
        {"", 1000000000ull},  {"ms", 1000000ull},       {"s", 1000000000ull},
        {"m", 60000000000ull}, {"h", 3600000000000ull},
    };
    uint64_t whole;
    const char *rest = read_digits(text, &whole);
    if (!rest)
        return 0;
    /* a fraction: up to 6 digits count (microseconds of a second), more are
     * accepted and ignored */
    uint64_t frac = 0, scale = 1;
    if (*rest == '.') {
        rest++;
        if (*rest < '0' || *rest > '9')
            return 0;
        for (; *rest >= '0' && *rest <= '9'; rest++) {
            if (scale < 1000000) {
                frac = frac * 10 + (uint64_t)(*rest - '0');
                scale *= 10;
            }
        }
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(rest, units[i].suffix) == 0) {
            uint64_t unit = units[i].unit;
            if (whole > UINT64_MAX / unit)
                return 0;
            uint64_t total = whole * unit, part = frac * unit / scale; /* < 2^62 */
            if (total > UINT64_MAX - part)
                return 0;
            *ns = total + part;
            return 1;
        }
    }
    return 0;
}

int wbParseCount(const char *text, uint64_t *n)
{
    uint64_t v;
    const char *rest = read_digits(text, &v);
    if (!rest || *rest != '\0')
        return 0;
    *n = v;
    return 1;
}

char *wbFormatSize(uint64_t bytes, char *buf, size_t n)
{
    static const struct {
        const char *name;
        uint64_t unit;
    } units[] = {{"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (bytes >= units[i].unit && bytes % units[i].unit == 0) {
            snprintf(buf, n, "%llu%s", (unsigned long long)(bytes / units[i].unit),
                     units[i].name);
            return buf;
        }
    }
    snprintf(buf, n, "%llu bytes", (unsigned long long)bytes);
    return buf;
}

/* ------------------------------------------------------------------ policy */

void wbPolicyInit(wbPolicy *p)
{
    memset(p, 0, sizeof *p);
}

void wbPolicyFree(wbPolicy *p)
{
    for (int i = 0; i < p->nowned; i++)
        free(p->owned[i]);
    free(p->owned);
    free(p->dirs);
    free(p->env);
    wbPolicyInit(p);
}

/* Sets why to text (when there is room) and returns 0. */
static int fail(char *why, size_t n, const char *text)
{
    if (why && n)
        snprintf(why, n, "%s", text);
    return 0;
}

/* Makes room in `array` (*cap elements of `size` bytes) for `need`
 * elements: returns the array, moved perhaps, or NULL when out of memory
 * (the array is then unchanged). */
static void *grow(void *array, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return array;
    int ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *grown = realloc(array, (size_t)ncap * size);
    if (grown)
        *cap = ncap;
    return grown;
}

/* Takes s (malloc'd, or NULL) into the policy's keeping: returns s, or NULL
 * (s freed) when s is NULL or there is no memory to remember it. */
static char *own(wbPolicy *p, char *s)
{
    if (!s)
        return NULL;
    char **owned = grow(p->owned, &p->cap_owned, p->nowned + 1, sizeof *owned);
    if (!owned) {
        free(s);
        return NULL;
    }
    p->owned = owned;
    p->owned[p->nowned++] = s;
    return s;
}

/* Appends a directory, copying both paths. */
static int push_dir(wbPolicy *p, const char *host, size_t hostlen, const char *guest,
                    int read_only)
{
    wb_wasi_dir *dirs = grow(p->dirs, &p->cap_dirs, p->ndirs + 1, sizeof *dirs);
    if (!dirs)
        return 0;
    p->dirs = dirs;
    char *h = own(p, strndup(host, hostlen));
    char *g = h ? own(p, strdup(guest)) : NULL;
    if (!g)
        return 0;
    wb_wasi_dir *d = &p->dirs[p->ndirs++];
    d->host_path = h;
    d->guest_path = g;
    d->read_only = read_only;
    return 1;
}

int wbPolicyAddDir(wbPolicy *p, const char *spec, int read_only, char *why, size_t n)
{
    const char *sep = strstr(spec, "::");
    const char *guest = sep ? sep + 2 : spec;
    size_t hostlen = sep ? (size_t)(sep - spec) : strlen(spec);
    if (hostlen == 0 || *guest == '\0')
        return fail(why, n, "expected HOST or HOST::GUEST");
    if (!push_dir(p, spec, hostlen, guest, read_only))
        return fail(why, n, OUT_OF_MEMORY);
    return 1;
}

/* Adds "NAME=VALUE" (copied), replacing an entry of the same NAME. */
static int put_env(wbPolicy *p, const char *entry)
{
    size_t namelen = (size_t)(strchr(entry, '=') - entry);
    for (int i = 0; i < p->nenv; i++) {
        if (strncmp(p->env[i], entry, namelen + 1) == 0) {
            char *e = own(p, strdup(entry));
            if (!e)
                return 0;
            p->env[i] = e; /* the old text stays owned until wbPolicyFree */
            return 1;
        }
    }
    const char **env = grow(p->env, &p->cap_env, p->nenv + 1, sizeof *env);
    if (!env)
        return 0;
    p->env = env;
    char *e = own(p, strdup(entry));
    if (!e)
        return 0;
    p->env[p->nenv++] = e;
    return 1;
}

int wbPolicyAddEnv(wbPolicy *p, const char *spec, char *why, size_t n)
{
    const char *eq = strchr(spec, '=');
    size_t namelen = eq ? (size_t)(eq - spec) : strlen(spec);
    if (namelen == 0)
        return fail(why, n, "expected NAME=VALUE or NAME");
    if (eq)
        return put_env(p, spec) ? 1 : fail(why, n, OUT_OF_MEMORY);
    const char *host = getenv(spec);
    if (!host)
        return 1; /* not set on the host: not set in the guest */
    size_t len = namelen + 1 + strlen(host) + 1;
    char *entry = malloc(len);
    if (!entry)
        return fail(why, n, OUT_OF_MEMORY);
    snprintf(entry, len, "%s=%s", spec, host);
    int ok = put_env(p, entry);
    free(entry);
    return ok ? 1 : fail(why, n, OUT_OF_MEMORY);
}

/* A duration in nanoseconds as short text ("1.5s"), for a timeout given in
 * a form too long to keep as written. */
static void format_duration(uint64_t ns, char *buf, size_t n)
{
    uint64_t s = ns / 1000000000ull, frac = ns % 1000000000ull;
    if (frac == 0) {
        snprintf(buf, n, "%llus", (unsigned long long)s);
        return;
    }
    int digits = 9;
    for (; frac % 10 == 0; frac /= 10)
        digits--;
    snprintf(buf, n, "%llu.%0*llus", (unsigned long long)s, digits, (unsigned long long)frac);
}

int wbPolicySetLimit(wbPolicy *p, const char *name, const char *value, char *why, size_t n)
{
    uint64_t v;
    if (strcmp(name, "max-memory") == 0) {
        if (!wbParseSize(value, &v))
            return fail(why, n, "expected a size like 65536, 512KiB, 64MiB or 1GiB");
        if (v == 0 || v > WB_WASM32_MAX_BYTES)
            return fail(why, n, "must be more than 0 and at most 4GiB");
        p->max_memory = (v + 65535) / 65536 * 65536;
    } else if (strcmp(name, "max-stack") == 0) {
        if (!wbParseSize(value, &v))
            return fail(why, n, "expected a size like 1MiB or 64MiB");
        if (v < 1024 || v > WB_MAX_STACK_LIMIT)
            return fail(why, n, "must be at least 1KiB and at most 1GiB");
        p->max_stack = v;
    } else if (strcmp(name, "fuel") == 0) {
        if (!wbParseCount(value, &v) || v == 0)
            return fail(why, n, "expected a whole number of at least 1");
        p->fuel = v;
    } else if (strcmp(name, "timeout") == 0) {
        if (!wbParseDuration(value, &v))
            return fail(why, n, "expected a duration like 500ms, 5s, 1.5s or 2m");
        if (v == 0)
            return fail(why, n, "must be more than 0");
        p->timeout_ns = v;
        if (strlen(value) < sizeof p->timeout)
            memcpy(p->timeout, value, strlen(value) + 1);
        else
            format_duration(v, p->timeout, sizeof p->timeout);
    } else {
        return fail(why, n, "unknown limit (expected max-memory, max-stack, fuel or timeout)");
    }
    return 1;
}

static int is_message(const wb_error *err, const char *text)
{
    return err->message && strcmp(err->message, text) == 0;
}

wbStop wbPolicyStopReason(wb_status s, const wb_error *err, const wb_store *store)
{
    if (s == WB_ERR_LIMIT && is_message(err, "interrupted"))
        return WB_STOP_INTERRUPTED;
    if (s == WB_ERR_LIMIT && is_message(err, "fuel exhausted"))
        return WB_STOP_FUEL;
    if (s == WB_ERR_LIMIT && is_message(err, "call stack exhausted"))
        return WB_STOP_STACK;
    if ((s == WB_ERR_LIMIT || s == WB_ERR_TRAP) && wb_store_memory_limit_hit(store))
        return WB_STOP_MEMORY;
    if (s == WB_ERR_TRAP)
        return WB_STOP_TRAP;
    if (s == WB_ERR_EXIT)
        return WB_STOP_EXIT;
    return WB_STOP_OTHER;
}

char *wbPolicyMemoryText(const wbPolicy *p, char *buf, size_t n)
{
    return wbFormatSize(p->max_memory ? p->max_memory : WB_WASM32_MAX_BYTES, buf, n);
}

wb_limits wbPolicyLimits(const wbPolicy *p)
{
    wb_limits limits;
    memset(&limits, 0, sizeof limits);
    limits.max_memory_pages = (uint32_t)(p->max_memory / 65536);
    limits.max_stack_bytes = (size_t)p->max_stack;
    limits.fuel = p->fuel;
    return limits;
}

int wbPolicyCopy(wbPolicy *dst, const wbPolicy *src)
{
    wbPolicyInit(dst);
    dst->max_memory = src->max_memory;
    dst->fuel = src->fuel;
    dst->timeout_ns = src->timeout_ns;
    memcpy(dst->timeout, src->timeout, sizeof dst->timeout);
    dst->max_stack = src->max_stack;
    for (int i = 0; i < src->ndirs; i++) {
        const wb_wasi_dir *d = &src->dirs[i];
        if (!push_dir(dst, d->host_path, strlen(d->host_path), d->guest_path, d->read_only))
            goto oom;
    }
    for (int i = 0; i < src->nenv; i++)
        if (!put_env(dst, src->env[i]))
            goto oom;
    return 1;
oom:
    wbPolicyFree(dst);
    return 0;
}
