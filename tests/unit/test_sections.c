/*
 * test_sections.c — section order through the public API, wb_module_new.
 *
 * Modules are built by hand from sections (a small byte-buffer builder):
 * the spec's order (type 1, import 2, function 3, table 4, memory 5,
 * global 6, export 7, start 8, element 9, datacount 12, code 10, data 11)
 * is accepted; a duplicate or out-of-order section is malformed, with the
 * spec's wording ("unexpected content after last section", or "malformed
 * section id"); custom sections (id 0) may stand anywhere; ids 13 and above
 * are "malformed section id". Modules of ~20 bytes whose counts claim
 * billions of entries must be rejected at once, without a huge allocation
 * (under ASan the allocator's hooks measure what the call allocates).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "wasm_bytes.h"
#include "wasmbox.h"

/* ---------------------------------------------------------------- builder */

typedef struct Sec {
    uint8_t id;
    const char *name;
    const uint8_t *payload;
    size_t len;
} Sec;

static void put_section(Buf *m, const Sec *s)
{
    put_section_bytes(m, s->id, s->payload, s->len);
}

/* A section of id `id` with payload `p`, as a Sec literal. */
#define SEC(id, name, p) {id, name, p, sizeof p}

/* A complete valid module, one section of each kind, in the spec's order:
 *   (type (func)) (import "m" "f" (func (type 0))) (func (type 0))
 *   (table 1 funcref) (memory 1) (global i32 (i32.const 0))
 *   (export "g" (func 1)) (start 1) (elem (i32.const 0) func 1)
 *   datacount 1, the body of func 1, (data (i32.const 0) "x") */
static const uint8_t p_type[] = {0x01, 0x60, 0x00, 0x00};
static const uint8_t p_import[] = {0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x00};
static const uint8_t p_func[] = {0x01, 0x00};
static const uint8_t p_table[] = {0x01, 0x70, 0x00, 0x01};
static const uint8_t p_memory[] = {0x01, 0x00, 0x01};
static const uint8_t p_global[] = {0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b};
static const uint8_t p_export[] = {0x01, 0x01, 'g', 0x00, 0x01};
static const uint8_t p_start[] = {0x01};
static const uint8_t p_elem[] = {0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x01};
static const uint8_t p_datacount[] = {0x01};
static const uint8_t p_code[] = {0x01, 0x02, 0x00, 0x0b};
static const uint8_t p_data[] = {0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 'x'};

static const Sec aFull[] = {
    SEC(1, "type", p_type),          SEC(2, "import", p_import),
    SEC(3, "function", p_func),      SEC(4, "table", p_table),
    SEC(5, "memory", p_memory),      SEC(6, "global", p_global),
    SEC(7, "export", p_export),      SEC(8, "start", p_start),
    SEC(9, "element", p_elem),       SEC(12, "datacount", p_datacount),
    SEC(10, "code", p_code),         SEC(11, "data", p_data),
};
#define N_FULL (sizeof aFull / sizeof aFull[0])

/* Every section but start, each an empty vector: whatever order they come
 * in, their contents never disagree, so only the order can be wrong. */
static const uint8_t p_empty[] = {0x00};
static const Sec aEmpty[] = {
    SEC(1, "type", p_empty),     SEC(2, "import", p_empty),  SEC(3, "function", p_empty),
    SEC(4, "table", p_empty),    SEC(5, "memory", p_empty),  SEC(6, "global", p_empty),
    SEC(7, "export", p_empty),   SEC(9, "element", p_empty), SEC(12, "datacount", p_empty),
    SEC(10, "code", p_empty),    SEC(11, "data", p_empty),
};
#define N_EMPTY (sizeof aEmpty / sizeof aEmpty[0])

static const uint8_t p_custom[] = {0x04, 'n', 'o', 't', 'e', 0xde, 0xad, 0x01};
static const Sec custom = SEC(0, "custom", p_custom);

/* Builds header + the sections a[order[0]], a[order[1]], ... */
static void build(Buf *m, const Sec *a, const size_t *order, size_t n)
{
    put_header(m);
    for (size_t i = 0; i < n; i++)
        put_section(m, &a[order[i]]);
}

static void identity(size_t *order, size_t n)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
}

/* ---------------------------------------------------------------- loading */

/* wb_module_new on an exact-size copy of the module (so ASan catches a read
 * past its end; the copy is freed before the module, as the contract
 * allows), checking the contract's promises about *out and err. */
static wb_status load(const char *file, int line, const char *what, const Buf *m,
                      wb_error *err)
{
    uint8_t *copy = unitDup(m->b, m->n);
    wb_module *mod = (wb_module *)copy; /* any non-NULL value: must be reset */
    memset(err, 0, sizeof *err);
    wb_status st = wb_module_new(copy, m->n, &mod, err);
    free(copy);
    if (st == WB_OK) {
        unitCheckf(mod != NULL, file, line, "module != NULL", "%s", what);
        wb_module_delete(mod);
    } else {
        unitCheckf(mod == NULL, file, line, "module == NULL", "%s: *out not reset", what);
        unitCheckf(err->message != NULL, file, line, "err.message != NULL", "%s", what);
        unitCheckf(err->status == st, file, line, "err.status == status",
                   "%s: returned %s, err says %s", what, wb_status_name(st),
                   wb_status_name(err->status));
    }
    return st;
}

static const char *msg(const wb_error *err)
{
    return err->message ? err->message : "(null)";
}

static void expect_ok(const char *file, int line, const char *what, const Buf *m)
{
    wb_error err;
    wb_status st = load(file, line, what, m, &err);
    unitCheckf(st == WB_OK, file, line, "accepted", "%s: %s at 0x%zx: %s", what,
               wb_status_name(st), err.offset, msg(&err));
}

static void expect_malformed(const char *file, int line, const char *what,
                             const Buf *m, const char *m1, const char *m2)
{
    wb_error err;
    wb_status st = load(file, line, what, m, &err);
    unitCheckf(st == WB_ERR_MALFORMED, file, line, "malformed", "%s: got %s (%s)",
               what, wb_status_name(st), st == WB_OK ? "accepted" : msg(&err));
    if (st == WB_OK)
        return;
    bool known = err.message && (strcmp(err.message, m1) == 0 ||
                                 (m2 && strcmp(err.message, m2) == 0));
    unitCheckf(known, file, line, "message", "%s: \"%s\", want \"%s\"%s%s%s", what,
               msg(&err), m1, m2 ? " or \"" : "", m2 ? m2 : "", m2 ? "\"" : "");
    unitCheckf(err.offset != WB_NO_OFFSET && err.offset <= m->n, file, line,
               "offset in module", "%s: offset 0x%zx, size 0x%zx", what, err.offset, m->n);
}

#define AFTER_LAST "unexpected content after last section"
#define BAD_ID "malformed section id"
#define EXPECT_OK(what, m) expect_ok(__FILE__, __LINE__, what, m)
#define EXPECT_ORDER_ERROR(what, m) \
    expect_malformed(__FILE__, __LINE__, what, m, AFTER_LAST, BAD_ID)
#define EXPECT_BAD_ID(what, m) expect_malformed(__FILE__, __LINE__, what, m, BAD_ID, NULL)

/* ---------------------------------------------------------------- order */

TEST(sections_header_only)
{
    Buf m;
    put_header(&m);
    EXPECT_OK("header only", &m);
}

TEST(sections_in_order)
{
    Buf m;
    size_t order[N_FULL];
    identity(order, N_FULL);
    build(&m, aFull, order, N_FULL);
    EXPECT_OK("every section in order", &m);
    identity(order, N_EMPTY);
    build(&m, aEmpty, order, N_EMPTY);
    EXPECT_OK("every section empty, in order", &m);
}

/* Any subset of the (empty) sections, kept in order, is accepted. */
TEST(sections_subsets_in_order)
{
    for (unsigned mask = 0; mask < (1u << N_EMPTY); mask++) {
        Buf m;
        size_t order[N_EMPTY], n = 0;
        for (size_t i = 0; i < N_EMPTY; i++)
            if (mask & (1u << i))
                order[n++] = i;
        build(&m, aEmpty, order, n);
        wb_error err;
        wb_status st = load(__FILE__, __LINE__, "subset", &m, &err);
        if (!CHECKF(st == WB_OK, "subset mask 0x%x: %s", mask, msg(&err)))
            return; /* one failure tells enough; 2048 would drown the log */
    }
}

TEST(sections_duplicate)
{
    char what[64];
    for (size_t d = 0; d < N_FULL; d++) {
        Buf m;
        put_header(&m);
        for (size_t i = 0; i < N_FULL; i++) {
            put_section(&m, &aFull[i]);
            if (i == d)
                put_section(&m, &aFull[i]);
        }
        snprintf(what, sizeof what, "%s section twice", aFull[d].name);
        EXPECT_ORDER_ERROR(what, &m);
    }
    for (size_t d = 0; d < N_EMPTY; d++) {
        Buf m;
        put_header(&m);
        for (size_t i = 0; i < N_EMPTY; i++) {
            put_section(&m, &aEmpty[i]);
            if (i == d)
                put_section(&m, &aEmpty[i]);
        }
        snprintf(what, sizeof what, "empty %s section twice", aEmpty[d].name);
        EXPECT_ORDER_ERROR(what, &m);
    }
}

/* A duplicate further away: type again after data. */
TEST(sections_duplicate_at_end)
{
    Buf m;
    size_t order[N_FULL + 1];
    identity(order, N_FULL);
    order[N_FULL] = 0;
    build(&m, aFull, order, N_FULL + 1);
    EXPECT_ORDER_ERROR("type section after data", &m);
}

/* Every pair of the empty sections swapped. */
TEST(sections_swapped_pairs)
{
    char what[64];
    for (size_t i = 0; i < N_EMPTY; i++) {
        for (size_t j = i + 1; j < N_EMPTY; j++) {
            Buf m;
            size_t order[N_EMPTY];
            identity(order, N_EMPTY);
            order[i] = j;
            order[j] = i;
            build(&m, aEmpty, order, N_EMPTY);
            snprintf(what, sizeof what, "%s before %s", aEmpty[j].name, aEmpty[i].name);
            EXPECT_ORDER_ERROR(what, &m);
        }
    }
}

/* Neighbours swapped in the full module, and a pair alone. */
TEST(sections_swapped_neighbours)
{
    char what[64];
    for (size_t i = 0; i + 1 < N_FULL; i++) {
        Buf m;
        size_t order[N_FULL];
        identity(order, N_FULL);
        order[i] = i + 1;
        order[i + 1] = i;
        build(&m, aFull, order, N_FULL);
        snprintf(what, sizeof what, "%s before %s", aFull[i + 1].name, aFull[i].name);
        EXPECT_ORDER_ERROR(what, &m);
    }
    Buf m;
    size_t two[] = {1, 0}; /* import, then type */
    build(&m, aEmpty, two, 2);
    EXPECT_ORDER_ERROR("import before type, alone", &m);
}

/* datacount (12) goes after element (9) and before code (10). */
TEST(sections_datacount_position)
{
    enum { TYPE, IMPORT, FUNC, TABLE, MEMORY, GLOBAL, EXPORT, ELEM, DATACOUNT, CODE, DATA };
    static const struct {
        const char *what;
        bool ok;
        size_t n;
        size_t order[N_EMPTY];
    } cases[] = {
        {"datacount between element and code", true, 4, {TYPE, ELEM, DATACOUNT, CODE}},
        {"datacount alone", true, 1, {DATACOUNT}},
        {"datacount after global", true, 2, {GLOBAL, DATACOUNT}},
        {"datacount before data", true, 2, {DATACOUNT, DATA}},
        {"datacount then code then data", true, 3, {DATACOUNT, CODE, DATA}},
        {"datacount before element", false, 3, {TYPE, DATACOUNT, ELEM}},
        {"datacount before export", false, 2, {DATACOUNT, EXPORT}},
        {"datacount before type", false, 2, {DATACOUNT, TYPE}},
        {"datacount after code", false, 3, {ELEM, CODE, DATACOUNT}},
        {"datacount after data", false, 2, {DATA, DATACOUNT}},
        {"datacount after code and data", false, 3, {CODE, DATA, DATACOUNT}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Buf m;
        build(&m, aEmpty, cases[i].order, cases[i].n);
        if (cases[i].ok)
            EXPECT_OK(cases[i].what, &m);
        else
            EXPECT_ORDER_ERROR(cases[i].what, &m);
    }
}

TEST(sections_start_position)
{
    enum { START = 7 };
    Buf m;
    size_t order[N_FULL];
    /* start moved before export, and after element */
    size_t before_export[N_FULL] = {0, 1, 2, 3, 4, 5, START, 6, 8, 9, 10, 11};
    size_t after_elem[N_FULL] = {0, 1, 2, 3, 4, 5, 6, 8, START, 9, 10, 11};
    size_t at_end[N_FULL] = {0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, START};
    build(&m, aFull, before_export, N_FULL);
    EXPECT_ORDER_ERROR("start before export", &m);
    build(&m, aFull, after_elem, N_FULL);
    EXPECT_ORDER_ERROR("start after element", &m);
    build(&m, aFull, at_end, N_FULL);
    EXPECT_ORDER_ERROR("start after data", &m);
    identity(order, N_FULL);
    build(&m, aFull, order, N_FULL);
    EXPECT_OK("start between export and element", &m);
}

/* ---------------------------------------------------------------- custom */

TEST(sections_custom_anywhere)
{
    char what[64];
    for (size_t at = 0; at <= N_FULL; at++) {
        Buf m;
        put_header(&m);
        for (size_t i = 0; i <= N_FULL; i++) {
            if (i == at)
                put_section(&m, &custom);
            if (i < N_FULL)
                put_section(&m, &aFull[i]);
        }
        snprintf(what, sizeof what, "custom section before %s",
                 at < N_FULL ? aFull[at].name : "the end");
        EXPECT_OK(what, &m);
    }
    /* between every two sections, several in a row, and with an empty name */
    static const uint8_t p_noname[] = {0x00};
    static const Sec noname = SEC(0, "custom", p_noname);
    Buf m;
    put_header(&m);
    put_section(&m, &custom);
    put_section(&m, &custom);
    for (size_t i = 0; i < N_FULL; i++) {
        put_section(&m, &aFull[i]);
        put_section(&m, &custom);
        put_section(&m, &noname);
    }
    EXPECT_OK("custom sections everywhere", &m);
    put_header(&m);
    put_section(&m, &custom);
    EXPECT_OK("custom section alone", &m);
}

/* ---------------------------------------------------------------- ids */

TEST(sections_unknown_id)
{
    static const uint8_t ids[] = {13, 14, 15, 0x20, 0x7f, 0x80, 0xfe, 0xff};
    char what[64];
    for (size_t i = 0; i < sizeof ids; i++) {
        Sec s = {ids[i], "unknown", p_empty, 0};
        Buf m;
        put_header(&m);
        put_section(&m, &s);
        snprintf(what, sizeof what, "section id %u, empty", ids[i]);
        EXPECT_BAD_ID(what, &m);

        s.payload = p_custom, s.len = sizeof p_custom;
        put_header(&m);
        put_section(&m, &aFull[0]);
        put_section(&m, &s);
        snprintf(what, sizeof what, "section id %u after type", ids[i]);
        EXPECT_BAD_ID(what, &m);

        size_t order[N_FULL];
        identity(order, N_FULL);
        build(&m, aFull, order, N_FULL);
        put_section(&m, &s);
        snprintf(what, sizeof what, "section id %u after data", ids[i]);
        EXPECT_BAD_ID(what, &m);
    }
}

/* ---------------------------------------------------------------- huge counts */

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_ASAN
/* From <sanitizer/allocator_interface.h>, which gcc does not install. */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));
static bool bTracking;
static size_t nAllocated, nLargest;

static void on_malloc(const volatile void *p, size_t size)
{
    (void)p;
    if (bTracking) {
        nAllocated += size;
        if (size > nLargest)
            nLargest = size;
    }
}

static void on_free(const volatile void *p)
{
    (void)p;
}
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define MAX_SECONDS 1.0
#define MAX_ALLOCATED (16u << 20) /* for a module of a few dozen bytes */

/* Each module's counts claim ~4 billion entries (0xffffffff, ff ff ff ff 0f). */
#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
#define BIG 0xff, 0xff, 0xff, 0xff, 0x0f
#define ONE_TYPE 0x01, 0x04, 0x01, 0x60, 0x00, 0x00 /* type section: () -> () */
#define ONE_FUNC 0x03, 0x02, 0x01, 0x00             /* function section: type 0 */

static const uint8_t h_types[] = {HDR, 0x01, 0x0a, BIG, 0x60, 0x00, 0x00, 0x60, 0x00};
static const uint8_t h_params[] = {HDR, 0x01, 0x0a, 0x01, 0x60, BIG, 0x7f, 0x7f, 0x7f};
static const uint8_t h_imports[] = {HDR, 0x02, 0x0b, BIG, 0x01, 'm', 0x01, 'f', 0x00, 0x00};
static const uint8_t h_funcs[] = {HDR, 0x03, 0x0a, BIG, 0x00, 0x00, 0x00, 0x00, 0x00};
static const uint8_t h_tables[] = {HDR, 0x04, 0x0a, BIG, 0x70, 0x00, 0x01, 0x70, 0x00};
static const uint8_t h_memories[] = {HDR, 0x05, 0x0a, BIG, 0x00, 0x01, 0x00, 0x01, 0x00};
static const uint8_t h_globals[] = {HDR, 0x06, 0x0a, BIG, 0x7f, 0x00, 0x41, 0x00, 0x0b};
static const uint8_t h_exports[] = {HDR, 0x07, 0x0a, BIG, 0x01, 'g', 0x00, 0x00, 0x00};
static const uint8_t h_elems[] = {HDR, 0x09, 0x0a, BIG, 0x00, 0x41, 0x00, 0x0b, 0x00};
static const uint8_t h_elem_funcs[] = {HDR, 0x09, 0x0a, 0x01, 0x00, 0x41, 0x00, 0x0b, BIG};
static const uint8_t h_datacount[] = {HDR, 0x0c, 0x05, BIG, 0x00, 0x03, 0x01, 'a', 0x00};
static const uint8_t h_codes[] = {HDR, 0x0a, 0x0a, BIG, 0x02, 0x00, 0x0b, 0x02, 0x00};
static const uint8_t h_datas[] = {HDR, 0x0b, 0x0a, BIG, 0x01, 0x00, 0x00, 0x00, 0x00};
static const uint8_t h_data_bytes[] = {HDR, 0x0b, 0x0a, 0x01, 0x00, 0x41, 0x00, 0x0b, BIG};
static const uint8_t h_locals[] = {HDR, ONE_TYPE, ONE_FUNC,
                                   0x0a, 0x0a, 0x01, 0x08, 0x01, BIG, 0x7f, 0x0b};
static const uint8_t h_br_table[] = {HDR, ONE_TYPE, ONE_FUNC,
                                     0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0x0e, BIG};
static const uint8_t h_select[] = {HDR, ONE_TYPE, ONE_FUNC, 0x0a, 0x0f, 0x01, 0x0d, 0x00,
                                   0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1c, BIG};
/* a "name" custom section whose function-name map claims billions */
static const uint8_t h_names[] = {HDR, 0x00, 0x0c, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x05, BIG};

TEST(sections_huge_counts_fail_fast)
{
    static const struct {
        const char *what;
        const uint8_t *bytes;
        size_t n;
        bool may_pass; /* custom section contents need not be checked */
    } cases[] = {
#define HUGE(name, may_pass) {#name, name, sizeof name, may_pass}
        HUGE(h_types, false),    HUGE(h_params, false),     HUGE(h_imports, false),
        HUGE(h_funcs, false),    HUGE(h_tables, false),     HUGE(h_memories, false),
        HUGE(h_globals, false),  HUGE(h_exports, false),    HUGE(h_elems, false),
        HUGE(h_elem_funcs, false), HUGE(h_datacount, false), HUGE(h_codes, false),
        HUGE(h_datas, false),    HUGE(h_data_bytes, false), HUGE(h_locals, false),
        HUGE(h_br_table, false), HUGE(h_select, false),     HUGE(h_names, true),
#undef HUGE
    };
#ifdef HAVE_ASAN
    static bool bHooked;
    if (!bHooked)
        bHooked = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) != 0;
    CHECK(bHooked);
#endif
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Buf m;
        m.n = 0;
        put(&m, cases[i].bytes, cases[i].n);
        wb_error err;
#ifdef HAVE_ASAN
        nAllocated = nLargest = 0;
        bTracking = true;
#endif
        double t0 = now();
        wb_status st = load(__FILE__, __LINE__, cases[i].what, &m, &err);
        double seconds = now() - t0;
#ifdef HAVE_ASAN
        bTracking = false;
        CHECKF(nAllocated <= MAX_ALLOCATED,
               "%s (%zu bytes): allocated %zu bytes, the largest block %zu",
               cases[i].what, m.n, nAllocated, nLargest);
#endif
        if (!cases[i].may_pass)
            CHECKF(st == WB_ERR_MALFORMED || st == WB_ERR_INVALID,
                   "%s (%zu bytes): %s", cases[i].what, m.n,
                   st == WB_OK ? "accepted" : wb_status_name(st));
        CHECKF(seconds < MAX_SECONDS, "%s: took %.2f s", cases[i].what, seconds);
    }
}
