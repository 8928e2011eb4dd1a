/*
 * test_wasi_stdio.c — stdio in memory (WB_WASI_MEMORY) and reusing one WASI
 * context and linker (wb_wasi_reset), as `wasmbox serve` does per request.
 * One module, assembled here, drives everything: it imports WASI functions
 * and exports a wrapper of each under the same name (so a test calls them
 * with its own arguments, as the guest's code would), a memory, and a
 * `_start` that copies stdin to stdout in 4 KiB reads. Checked: byte-exact
 * echo (empty, small, several reads), stdout and stderr apart, the cap
 * (partial store, FBIG, the overflowed flag, the 16 MiB default), what
 * fdstat / filestat / poll_oneoff report, every descriptor call a memory
 * stream must refuse, renumber and close, and reset: outputs emptied,
 * every descriptor of the old world closed, a new environment, the same
 * linker in new stores, failures, and 1000 requests without growth.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "wasi/abi.h"
#include "wasi/errno.h"
#include "wasi/fd_table.h"
#include "wasmbox_wasi.h"

#if defined(__SANITIZE_ADDRESS__)
#define STDIO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STDIO_ASAN 1
#endif
#endif
#ifdef STDIO_ASAN
/* ASan's count of heap bytes in use (sanitizer/allocator_interface.h, a
 * header gcc does not ship) */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* ------------------------------------------------------------ the module */

/* The WASI functions the module imports, with their witx lowering: one
 * letter a parameter ('i' i32, 'I' i64); all return an errno but proc_exit. */
typedef struct Import {
    const char *name;
    const char *params;
    int no_result;
} Import;

static const Import kImports[] = {
    {"fd_read", "iiii", 0},           {"fd_write", "iiii", 0},
    {"poll_oneoff", "iiii", 0},       {"fd_fdstat_get", "ii", 0},
    {"fd_renumber", "ii", 0},         {"fd_close", "i", 0},
    {"fd_filestat_get", "ii", 0},     {"fd_seek", "iIii", 0},
    {"fd_tell", "ii", 0},             {"fd_pread", "iiiIi", 0},
    {"fd_pwrite", "iiiIi", 0},        {"fd_sync", "i", 0},
    {"fd_datasync", "i", 0},          {"fd_advise", "iIIi", 0},
    {"fd_allocate", "iII", 0},        {"fd_fdstat_set_flags", "ii", 0},
    {"fd_filestat_set_size", "iI", 0}, {"fd_readdir", "iiiIi", 0},
    {"fd_prestat_get", "ii", 0},      {"path_open", "iiiiiIIii", 0},
    {"path_filestat_get", "iiiii", 0}, {"environ_sizes_get", "ii", 0},
    {"environ_get", "ii", 0},         {"proc_exit", "i", 1},
};
#define NIMPORTS (sizeof kImports / sizeof kImports[0])

/* Guest memory (two pages) as _start and the tests use it. */
enum {
    ECHO_IOV = 0,      /* _start's iovec {ECHO_BUF, ECHO_CHUNK} */
    ECHO_NREAD = 8,    /* what fd_read returned */
    ECHO_NWRITTEN = 12,
    ECHO_READ_ERR = 16, /* the errno that stopped _start, if any */
    ECHO_WRITE_ERR = 20,
    ECHO_CIOV = 24,    /* _start's ciovec {ECHO_BUF, nread} */
    IOV = 256,         /* the tests' iovecs */
    RET = 512,         /* a u32 or u64 result */
    OUT = 520,         /* a struct result (fdstat, filestat, prestat) */
    SUBS = 1024,       /* poll subscriptions */
    EVENTS = 2048,     /* poll events */
    ECHO_BUF = 4096,
    ECHO_CHUNK = 4096,
    DATA = 8192,       /* the tests' bytes, up to 64 KiB */
    BIG = 65536,       /* a 64 KiB buffer */
    MEM_SIZE = 131072,
};

/* A module being assembled. */
typedef struct Mod {
    uint8_t b[4096];
    size_t n;
} Mod;

static void mod_put(Mod *m, const void *p, size_t n)
{
    if (m->n + n > sizeof m->b) {
        fputs("test_wasi_stdio.c: module buffer too small\n", stderr);
        abort();
    }
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void mod_u8(Mod *m, uint8_t v)
{
    mod_put(m, &v, 1);
}

static void mod_uleb(Mod *m, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        mod_u8(m, (uint8_t)(byte | (v ? 0x80 : 0)));
    } while (v);
}

static void mod_sleb(Mod *m, int32_t v)
{
    for (;;) {
        uint8_t byte = (uint8_t)(v & 0x7f);
        v >>= 7; /* arithmetic on every compiler we build with */
        if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
            mod_u8(m, byte);
            return;
        }
        mod_u8(m, byte | 0x80);
    }
}

static void mod_name(Mod *m, const char *s)
{
    mod_uleb(m, (uint32_t)strlen(s));
    mod_put(m, s, strlen(s));
}

static void mod_section(Mod *m, uint8_t id, const Mod *body)
{
    mod_u8(m, id);
    mod_uleb(m, (uint32_t)body->n);
    mod_put(m, body->b, body->n);
}

/* Instructions of _start. */
static void op_const(Mod *c, int32_t v)
{
    mod_u8(c, 0x41);
    mod_sleb(c, v);
}
static void op_load(Mod *c) /* i32.load align=4 offset=0 */
{
    mod_put(c, (const uint8_t[]){0x28, 0x02, 0x00}, 3);
}
static void op_store(Mod *c) /* i32.store align=4 offset=0 */
{
    mod_put(c, (const uint8_t[]){0x36, 0x02, 0x00}, 3);
}
static void op_call(Mod *c, uint32_t f)
{
    mod_u8(c, 0x10);
    mod_uleb(c, f);
}
static uint32_t import_index(const char *name)
{
    for (uint32_t i = 0; i < NIMPORTS; i++)
        if (strcmp(kImports[i].name, name) == 0)
            return i;
    abort();
}

/* _start: for (;;) { n = fd_read(0, {ECHO_BUF, 4096}); if (!n) break;
 * fd_write(1, {ECHO_BUF, n}); }, storing an errno that stops it at
 * ECHO_READ_ERR / ECHO_WRITE_ERR. One local: the errno. */
static void echo_body(Mod *c)
{
    mod_put(c, (const uint8_t[]){0x01, 0x01, 0x7f}, 3);
    op_const(c, ECHO_IOV);
    op_const(c, ECHO_BUF);
    op_store(c);
    op_const(c, ECHO_IOV + 4);
    op_const(c, ECHO_CHUNK);
    op_store(c);
    mod_put(c, (const uint8_t[]){0x02, 0x40, 0x03, 0x40}, 4); /* block loop */
    op_const(c, 0);
    op_const(c, ECHO_IOV);
    op_const(c, 1);
    op_const(c, ECHO_NREAD);
    op_call(c, import_index("fd_read"));
    mod_put(c, (const uint8_t[]){0x22, 0x00, 0x04, 0x40}, 4); /* local.tee 0, if */
    op_const(c, ECHO_READ_ERR);
    mod_put(c, (const uint8_t[]){0x20, 0x00}, 2);
    op_store(c);
    mod_put(c, (const uint8_t[]){0x0c, 0x02, 0x0b}, 3); /* br block, end if */
    op_const(c, ECHO_NREAD);
    op_load(c);
    mod_put(c, (const uint8_t[]){0x45, 0x0d, 0x01}, 3); /* i32.eqz, br_if block */
    op_const(c, ECHO_CIOV);
    op_const(c, ECHO_BUF);
    op_store(c);
    op_const(c, ECHO_CIOV + 4);
    op_const(c, ECHO_NREAD);
    op_load(c);
    op_store(c);
    op_const(c, 1);
    op_const(c, ECHO_CIOV);
    op_const(c, 1);
    op_const(c, ECHO_NWRITTEN);
    op_call(c, import_index("fd_write"));
    mod_put(c, (const uint8_t[]){0x22, 0x00, 0x04, 0x40}, 4);
    op_const(c, ECHO_WRITE_ERR);
    mod_put(c, (const uint8_t[]){0x20, 0x00}, 2);
    op_store(c);
    mod_put(c, (const uint8_t[]){0x0c, 0x02, 0x0b}, 3);
    mod_put(c, (const uint8_t[]){0x0c, 0x00, 0x0b, 0x0b, 0x0b}, 5); /* br loop, ends */
}

/* The module: imports 0..N-1, wrappers N..2N-1 (exported under the
 * imports' names), _start 2N, memory "memory" of two pages. */
static wb_module *shim_new(void)
{
    static Mod m, sec, body;
    const uint32_t n = (uint32_t)NIMPORTS;
    m.n = 0;
    mod_put(&m, (const uint8_t[]){0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}, 8);
    /* types: one per import, then () -> () */
    sec.n = 0;
    mod_uleb(&sec, n + 1);
    for (uint32_t i = 0; i < n; i++) {
        const char *p = kImports[i].params;
        mod_u8(&sec, 0x60);
        mod_uleb(&sec, (uint32_t)strlen(p));
        for (; *p; p++)
            mod_u8(&sec, *p == 'I' ? 0x7e : 0x7f);
        if (kImports[i].no_result)
            mod_u8(&sec, 0);
        else
            mod_put(&sec, (const uint8_t[]){0x01, 0x7f}, 2);
    }
    mod_put(&sec, (const uint8_t[]){0x60, 0x00, 0x00}, 3);
    mod_section(&m, 1, &sec);
    sec.n = 0;
    mod_uleb(&sec, n);
    for (uint32_t i = 0; i < n; i++) {
        mod_name(&sec, "wasi_snapshot_preview1");
        mod_name(&sec, kImports[i].name);
        mod_u8(&sec, 0x00);
        mod_uleb(&sec, i);
    }
    mod_section(&m, 2, &sec);
    sec.n = 0;
    mod_uleb(&sec, n + 1);
    for (uint32_t i = 0; i <= n; i++)
        mod_uleb(&sec, i);
    mod_section(&m, 3, &sec);
    sec.n = 0;
    mod_put(&sec, (const uint8_t[]){0x01, 0x00, MEM_SIZE / 65536}, 3);
    mod_section(&m, 5, &sec);
    sec.n = 0;
    mod_uleb(&sec, n + 2);
    mod_name(&sec, "memory");
    mod_put(&sec, (const uint8_t[]){0x02, 0x00}, 2);
    for (uint32_t i = 0; i < n; i++) {
        mod_name(&sec, kImports[i].name);
        mod_u8(&sec, 0x00);
        mod_uleb(&sec, n + i);
    }
    mod_name(&sec, "_start");
    mod_u8(&sec, 0x00);
    mod_uleb(&sec, 2 * n);
    mod_section(&m, 7, &sec);
    sec.n = 0;
    mod_uleb(&sec, n + 1);
    for (uint32_t i = 0; i < n; i++) {
        body.n = 0;
        mod_u8(&body, 0x00); /* no locals */
        for (uint32_t p = 0; kImports[i].params[p]; p++) {
            mod_u8(&body, 0x20);
            mod_uleb(&body, p);
        }
        op_call(&body, i);
        mod_u8(&body, 0x0b);
        mod_uleb(&sec, (uint32_t)body.n);
        mod_put(&sec, body.b, body.n);
    }
    body.n = 0;
    echo_body(&body);
    mod_uleb(&sec, (uint32_t)body.n);
    mod_put(&sec, body.b, body.n);
    mod_section(&m, 10, &sec);

    wb_module *mod = NULL;
    wb_error err;
    if (wb_module_new(m.b, m.n, &mod, &err) != WB_OK) {
        char buf[256];
        unitCheckf(false, __FILE__, __LINE__, "shim_new", "%s",
                   wb_error_format(&err, buf, sizeof buf));
        return NULL;
    }
    return mod;
}

/* ------------------------------------------------------------ running it */

/* One request: a store of its own and the module instantiated in it. */
typedef struct Guest {
    wb_store *store;
    wb_instance *inst;
    uint8_t *mem;
} Guest;

static bool guest_new(Guest *g, const wb_module *m, const wb_linker *l)
{
    wb_error err;
    memset(g, 0, sizeof *g);
    g->store = wb_store_new(NULL);
    if (!g->store)
        return false;
    if (wb_instance_new(g->store, m, l, &g->inst, &err) != WB_OK) {
        char buf[256];
        unitCheckf(false, __FILE__, __LINE__, "guest_new", "%s",
                   wb_error_format(&err, buf, sizeof buf));
        return false;
    }
    wb_extern e;
    if (!wb_instance_export(g->inst, "memory", &e) || e.kind != WB_EXTERN_MEMORY)
        return false;
    g->mem = wb_memory_data(e.of.memory);
    return true;
}

static void guest_delete(Guest *g)
{
    wb_store_delete(g->store);
    memset(g, 0, sizeof *g);
}

/* Calls the guest's wrapper of WASI function `name` with args a[]: the
 * errno it returned, or -1 when the call did not return (proc_exit, a
 * trap); the status is then in *st when st is not NULL. */
static int wcall(Guest *g, const char *name, const uint64_t *a, wb_status *st)
{
    const Import *imp = &kImports[import_index(name)];
    wb_value args[16], res[1];
    uint32_t n = 0;
    for (; imp->params[n]; n++) {
        if (imp->params[n] == 'I') {
            args[n].type = WB_TYPE_I64;
            args[n].of.i64 = a[n];
        } else {
            args[n].type = WB_TYPE_I32;
            args[n].of.i32 = (uint32_t)a[n];
        }
    }
    wb_extern f;
    if (!wb_instance_export(g->inst, name, &f))
        return -1;
    wb_error err;
    wb_status s = wb_func_call(f.of.func, args, n, res, imp->no_result ? 0 : 1, &err);
    if (st)
        *st = s;
    if (s != WB_OK)
        return -1;
    return imp->no_result ? 0 : (int)res[0].of.i32;
}
#define W(g, name, ...) wcall(g, name, (const uint64_t[]){__VA_ARGS__}, NULL)

static void put32(Guest *g, uint32_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        g->mem[at + i] = (uint8_t)(v >> (8 * i));
}

static void put64(Guest *g, uint32_t at, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        g->mem[at + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(Guest *g, uint32_t at)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)g->mem[at + i] << (8 * i);
    return v;
}

static uint64_t get64(Guest *g, uint32_t at)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)g->mem[at + i] << (8 * i);
    return v;
}

/* fd_write(fd, {DATA: s}) as the guest would: the errno; *n what it wrote. */
static int guest_write(Guest *g, uint32_t fd, const char *s, uint32_t *n)
{
    size_t len = strlen(s);
    memcpy(g->mem + DATA, s, len);
    put32(g, IOV, DATA);
    put32(g, IOV + 4, (uint32_t)len);
    put32(g, RET, 0xdeadbeef);
    int e = W(g, "fd_write", fd, IOV, 1, RET);
    if (n)
        *n = get32(g, RET);
    return e;
}

/* fd_read(fd, {DATA, max}) into buf (NUL-terminated): the errno; *n what
 * it read. */
static int guest_read(Guest *g, uint32_t fd, uint32_t max, char *buf, uint32_t *n)
{
    put32(g, IOV, DATA);
    put32(g, IOV + 4, max);
    put32(g, RET, 0xdeadbeef);
    int e = W(g, "fd_read", fd, IOV, 1, RET);
    *n = get32(g, RET);
    if (e == 0 && *n <= max) {
        memcpy(buf, g->mem + DATA, *n);
        buf[*n] = '\0';
    }
    return e;
}

/* Whether the captured output of fd is exactly want[0..n). */
static bool output_is(wb_wasi *w, int fd, const void *want, size_t n)
{
    size_t len = 0;
    const uint8_t *p = wb_wasi_output(w, fd, &len, NULL);
    return p && len == n && (n == 0 || memcmp(p, want, n) == 0);
}

/* A config with memory stdio: stdin `in` (a string, or NULL for none). */
static wb_wasi_config mem_config(const char *in)
{
    wb_wasi_config c;
    memset(&c, 0, sizeof c);
    c.stdin_fd = c.stdout_fd = c.stderr_fd = WB_WASI_MEMORY;
    c.stdin_data = in;
    c.stdin_len = in ? strlen(in) : 0;
    return c;
}

/* A context, a linker with WASI defined and the module: what a serve
 * worker keeps. */
typedef struct Worker {
    wb_wasi *wasi;
    wb_store *store; /* the linker's */
    wb_linker *linker;
    wb_module *mod;
} Worker;

static bool worker_new(Worker *k, const wb_wasi_config *c)
{
    wb_error err;
    memset(k, 0, sizeof *k);
    if (!CHECK_EQ(wb_wasi_new(c, &k->wasi, &err), WB_OK))
        return false;
    k->store = wb_store_new(NULL);
    k->linker = wb_linker_new(k->store);
    k->mod = shim_new();
    return CHECK(k->linker && k->mod) && CHECK_EQ(wb_wasi_define(k->wasi, k->linker), WB_OK);
}

static void worker_delete(Worker *k)
{
    wb_linker_delete(k->linker);
    wb_store_delete(k->store);
    wb_module_delete(k->mod);
    wb_wasi_delete(k->wasi);
}

/* Runs _start in a fresh store: the exit code, or -1 when it failed. */
static int run_echo(Worker *k)
{
    Guest g;
    int code = -1;
    if (guest_new(&g, k->mod, k->linker)) {
        wb_error err;
        if (wb_wasi_run(k->wasi, g.inst, &code, &err) != WB_OK)
            code = -1;
    }
    guest_delete(&g);
    return code;
}

/* ------------------------------------------------------------ echo */

TEST(wasi_stdio_echo_exact)
{
    static uint8_t big[10000]; /* three reads of 4 KiB, NULs and every byte value */
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 131 + (i >> 8));
    const struct {
        const void *data;
        size_t len;
    } in[] = {{NULL, 0}, {"", 0}, {"x", 1}, {"hello\n", 6}, {big, ECHO_CHUNK},
              {big, ECHO_CHUNK + 1}, {big, sizeof big}};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        Worker k;
        wb_wasi_config c = mem_config(NULL);
        c.stdin_data = in[i].data;
        c.stdin_len = in[i].len;
        if (!worker_new(&k, &c)) {
            worker_delete(&k);
            return;
        }
        Guest g;
        int code = -1;
        wb_error err;
        if (CHECK(guest_new(&g, k.mod, k.linker))) {
            CHECK_EQ(wb_wasi_run(k.wasi, g.inst, &code, &err), WB_OK);
            CHECKF(code == 0, "input %zu: exit %d", i, code);
            CHECKF(get32(&g, ECHO_READ_ERR) == 0 && get32(&g, ECHO_WRITE_ERR) == 0,
                   "input %zu: errno %u / %u", i, get32(&g, ECHO_READ_ERR),
                   get32(&g, ECHO_WRITE_ERR));
        }
        guest_delete(&g);
        size_t len = 99;
        int over = 99;
        const uint8_t *out = wb_wasi_output(k.wasi, 1, &len, &over);
        CHECKF(out != NULL && len == in[i].len && over == 0, "input %zu: %zu bytes", i, len);
        CHECKF(output_is(k.wasi, 1, in[i].data, in[i].len), "input %zu: not byte-exact", i);
        CHECKF(output_is(k.wasi, 2, NULL, 0), "input %zu: stderr not empty", i);
        worker_delete(&k);
    }
}

/* Stdin in memory next to a host pipe for stdout: both kinds in one table. */
TEST(wasi_stdio_memory_stdin_host_stdout)
{
    int p[2];
    if (!CHECK(pipe(p) == 0))
        return;
    wb_wasi_config c = mem_config("through a pipe");
    c.stdout_fd = p[1];
    c.stderr_fd = WB_WASI_CLOSED;
    Worker k;
    if (worker_new(&k, &c)) {
        CHECK_EQ(run_echo(&k), 0);
        size_t len = 99;
        int over = 99;
        CHECK(wb_wasi_output(k.wasi, 1, &len, &over) == NULL); /* not in memory */
        CHECK_EQ(len, 0);
        CHECK_EQ(over, 0);
        CHECK(wb_wasi_output(k.wasi, 2, &len, NULL) == NULL); /* closed */
    }
    worker_delete(&k);
    close(p[1]);
    char buf[64] = {0};
    CHECK_EQ(read(p[0], buf, sizeof buf - 1), 14);
    CHECK_STR(buf, "through a pipe");
    close(p[0]);
}

TEST(wasi_stdio_stdout_stderr_apart)
{
    wb_wasi_config c = mem_config(NULL);
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (worker_new(&k, &c) && CHECK(guest_new(&g, k.mod, k.linker))) {
        uint32_t n = 0;
        CHECK_EQ(guest_write(&g, 1, "out one,", &n), 0);
        CHECK_EQ(n, 8);
        CHECK_EQ(guest_write(&g, 2, "err", &n), 0);
        CHECK_EQ(n, 3);
        /* two buffers in one call, and an empty one between them */
        memcpy(g.mem + DATA, "out two", 7);
        put32(&g, IOV, DATA);
        put32(&g, IOV + 4, 3);
        put32(&g, IOV + 8, DATA);
        put32(&g, IOV + 12, 0);
        put32(&g, IOV + 16, DATA + 3);
        put32(&g, IOV + 20, 4);
        CHECK_EQ(W(&g, "fd_write", 1, IOV, 3, RET), 0);
        CHECK_EQ(get32(&g, RET), 7);
        CHECK(output_is(k.wasi, 1, "out one,out two", 15));
        CHECK(output_is(k.wasi, 2, "err", 3));
        /* only 1 and 2 are outputs */
        size_t len = 99;
        CHECK(wb_wasi_output(k.wasi, 0, &len, NULL) == NULL && len == 0);
        CHECK(wb_wasi_output(k.wasi, 3, &len, NULL) == NULL && len == 0);
        CHECK(wb_wasi_output(k.wasi, -1, &len, NULL) == NULL && len == 0);
        CHECK(wb_wasi_output(NULL, 1, &len, NULL) == NULL && len == 0);
        /* empty stdin: end-of-file at once */
        char buf[16];
        CHECK_EQ(guest_read(&g, 0, 8, buf, &n), 0);
        CHECK_EQ(n, 0);
    }
    guest_delete(&g);
    worker_delete(&k);
}

/* ------------------------------------------------------------ the cap */

TEST(wasi_stdio_cap_overflow)
{
    wb_wasi_config c = mem_config(NULL);
    c.stdout_max = 10;
    c.stderr_max = 4;
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (worker_new(&k, &c) && CHECK(guest_new(&g, k.mod, k.linker))) {
        uint32_t n = 0;
        int over = 99;
        size_t len = 0;
        CHECK_EQ(guest_write(&g, 1, "123456", &n), 0);
        CHECK_EQ(n, 6);
        CHECK(wb_wasi_output(k.wasi, 1, &len, &over) && len == 6 && over == 0);
        /* passes the cap: what fits is kept, the write fails with FBIG */
        CHECK_EQ(guest_write(&g, 1, "abcdef", &n), WASI_EFBIG);
        CHECK_EQ(n, 0xdeadbeef); /* no count written on failure */
        CHECK(output_is(k.wasi, 1, "123456abcd", 10));
        CHECK(wb_wasi_output(k.wasi, 1, &len, &over) && len == 10 && over == 1);
        /* full: nothing more fits; an empty write still succeeds */
        CHECK_EQ(guest_write(&g, 1, "z", &n), WASI_EFBIG);
        CHECK_EQ(guest_write(&g, 1, "", &n), 0);
        CHECK_EQ(n, 0);
        CHECK(output_is(k.wasi, 1, "123456abcd", 10));
        /* stderr: its own cap and flag; exactly the cap is no overflow */
        CHECK(wb_wasi_output(k.wasi, 2, &len, &over) && len == 0 && over == 0);
        CHECK_EQ(guest_write(&g, 2, "wxyz", &n), 0);
        CHECK(wb_wasi_output(k.wasi, 2, &len, &over) && len == 4 && over == 0);
        CHECK_EQ(guest_write(&g, 2, "!", &n), WASI_EFBIG);
        CHECK(wb_wasi_output(k.wasi, 2, &len, &over) && len == 4 && over == 1);
    }
    guest_delete(&g);
    worker_delete(&k);
}

/* The echo module stopped by the cap mid-stream: the first 4 KiB read
 * overflows a cap of 100, _start sees FBIG. */
TEST(wasi_stdio_cap_stops_echo)
{
    static char in[5000];
    memset(in, 'q', sizeof in - 1);
    wb_wasi_config c = mem_config(in);
    c.stdout_max = 100;
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (worker_new(&k, &c) && CHECK(guest_new(&g, k.mod, k.linker))) {
        int code = -1;
        wb_error err;
        CHECK_EQ(wb_wasi_run(k.wasi, g.inst, &code, &err), WB_OK);
        CHECK_EQ(code, 0);
        CHECK_EQ(get32(&g, ECHO_WRITE_ERR), WASI_EFBIG);
        int over = 0;
        size_t len = 0;
        CHECK(wb_wasi_output(k.wasi, 1, &len, &over) && len == 100 && over == 1);
        CHECK(output_is(k.wasi, 1, in, 100));
    }
    guest_delete(&g);
    worker_delete(&k);
}

/* stdout_max 0: 16 MiB. One fd_write of 300 iovecs of the same 64 KiB
 * (18.75 MiB) stores exactly 16 MiB. */
TEST(wasi_stdio_cap_default)
{
    wb_wasi_config c = mem_config(NULL);
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (worker_new(&k, &c) && CHECK(guest_new(&g, k.mod, k.linker))) {
        for (uint32_t i = 0; i < 65536; i++)
            g.mem[BIG + i] = (uint8_t)(i ^ (i >> 8));
        for (uint32_t i = 0; i < 300; i++) {
            put32(&g, IOV + 8 * i, BIG);
            put32(&g, IOV + 8 * i + 4, 65536);
        }
        CHECK_EQ(W(&g, "fd_write", 1, IOV, 300, RET), WASI_EFBIG);
        size_t len = 0;
        int over = 0;
        const uint8_t *p = wb_wasi_output(k.wasi, 1, &len, &over);
        CHECK_EQ(len, WB_WASI_OUTPUT_DEFAULT_MAX);
        CHECK_EQ(len, 16u << 20);
        CHECK_EQ(over, 1);
        if (CHECK(p) && len == 16u << 20) {
            bool same = true;
            for (size_t at = 0; at < len; at += 65536)
                same = same && memcmp(p + at, g.mem + BIG, 65536) == 0;
            CHECK(same);
        }
    }
    guest_delete(&g);
    worker_delete(&k);
}

/* ------------------------------------------------------------ descriptors */

TEST(wasi_stdio_fdstat_and_refusals)
{
    wb_wasi_config c = mem_config("data");
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (!worker_new(&k, &c) || !CHECK(guest_new(&g, k.mod, k.linker)))
        goto done;
    const uint64_t in_rights =
        WASI_RIGHTS_FD_READ | WASI_RIGHTS_POLL_FD_READWRITE | WASI_RIGHTS_FD_FILESTAT_GET;
    const uint64_t out_rights =
        WASI_RIGHTS_FD_WRITE | WASI_RIGHTS_POLL_FD_READWRITE | WASI_RIGHTS_FD_FILESTAT_GET;
    for (uint32_t fd = 0; fd < 3; fd++) {
        memset(g.mem + OUT, 0xaa, WASI_FDSTAT_SIZE);
        CHECK_EQ(W(&g, "fd_fdstat_get", fd, OUT), 0);
        CHECKF(g.mem[OUT] == WASI_FILETYPE_UNKNOWN, "fd %u: filetype %u", fd, g.mem[OUT]);
        CHECKF(g.mem[OUT + 2] == 0 && g.mem[OUT + 3] == 0, "fd %u: flags", fd);
        CHECKF(get64(&g, OUT + 8) == (fd == 0 ? in_rights : out_rights), "fd %u: rights %llx",
               fd, (unsigned long long)get64(&g, OUT + 8));
        CHECKF(get64(&g, OUT + 16) == 0, "fd %u: inheriting", fd);
        /* filestat: all zero (filetype unknown is 0) */
        memset(g.mem + OUT, 0xaa, WASI_FILESTAT_SIZE);
        CHECK_EQ(W(&g, "fd_filestat_get", fd, OUT), 0);
        bool zero = true;
        for (int i = 0; i < WASI_FILESTAT_SIZE; i++)
            zero = zero && g.mem[OUT + i] == 0;
        CHECKF(zero, "fd %u: filestat not zero", fd);
        /* no seek, tell, sync, flags, advice, allocation, size */
        CHECK_EQ(W(&g, "fd_seek", fd, 0, WASI_WHENCE_CUR, RET), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_seek", fd, 1, WASI_WHENCE_SET, RET), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_tell", fd, RET), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_pread", fd, IOV, 0, 0, RET), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_pwrite", fd, IOV, 0, 0, RET), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_sync", fd), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_datasync", fd), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_advise", fd, 0, 10, 0), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_allocate", fd, 0, 10), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_fdstat_set_flags", fd, WASI_FDFLAGS_NONBLOCK), WASI_ENOTCAPABLE);
        CHECK_EQ(W(&g, "fd_filestat_set_size", fd, 0), WASI_ENOTCAPABLE);
        /* not a directory, not a preopen */
        memcpy(g.mem + DATA, "x", 1);
        CHECK_EQ(W(&g, "fd_readdir", fd, OUT, 64, 0, RET), WASI_ENOTDIR);
        CHECK_EQ(W(&g, "path_open", fd, 0, DATA, 1, 0, WASI_RIGHTS_FD_READ, 0, 0, RET),
                 WASI_ENOTDIR);
        CHECK_EQ(W(&g, "path_filestat_get", fd, 0, DATA, 1, OUT), WASI_ENOTDIR);
        CHECK_EQ(W(&g, "fd_prestat_get", fd, OUT), WASI_EBADF);
    }
    /* each stream one way only */
    uint32_t n;
    char buf[16];
    CHECK_EQ(guest_write(&g, 0, "no", &n), WASI_ENOTCAPABLE);
    CHECK_EQ(guest_read(&g, 1, 4, buf, &n), WASI_ENOTCAPABLE);
    CHECK_EQ(guest_read(&g, 2, 4, buf, &n), WASI_ENOTCAPABLE);
    CHECK(output_is(k.wasi, 1, NULL, 0));
    /* stdin unharmed by all that */
    CHECK_EQ(guest_read(&g, 0, 15, buf, &n), 0);
    CHECK_STR(buf, "data");
done:
    guest_delete(&g);
    worker_delete(&k);
}

/* Below the rights: a memory entry given every right still never reaches
 * a call that needs a host descriptor. */
TEST(wasi_stdio_fd_table_needs_host)
{
    wbFdTable t;
    wbFdTableInit(&t);
    wbStream s;
    memset(&s, 0, sizeof s);
    CHECK_EQ(wbFdPut(&t, 0, wbFdMemory(&s, WASI_RIGHTS_ALL | WB_NEED_HOST)), WASI_ESUCCESS);
    wbFd *e = NULL;
    CHECK_EQ(wbFdGet(&t, 0, WASI_RIGHTS_FD_SEEK, &e), WASI_ESUCCESS);
    if (CHECK(e)) {
        CHECK_EQ(e->kind, WB_FD_MEMORY);
        CHECK_EQ(e->host, -1);
        CHECK(e->stream == &s);
        CHECK_EQ(e->base & WB_NEED_HOST, 0); /* never a right */
    }
    CHECK_EQ(wbFdGet(&t, 0, WASI_RIGHTS_FD_SEEK | WB_NEED_HOST, &e), WASI_ESPIPE);
    CHECK(e == NULL);
    CHECK_EQ(wbFdGet(&t, 0, WB_NEED_HOST, &e), WASI_ESPIPE);
    /* a host entry passes */
    CHECK_EQ(wbFdPut(&t, 1, wbFdDescribe(open("/dev/null", O_RDWR | O_CLOEXEC))), WASI_ESUCCESS);
    CHECK_EQ(wbFdGet(&t, 1, WB_NEED_HOST, &e), WASI_ESUCCESS);
    /* closing the memory entry leaves its stream alone */
    s.active = 1;
    CHECK_EQ(wbFdClose(&t, 0), WASI_ESUCCESS);
    CHECK_EQ(s.active, 1);
    CHECK_EQ(wbFdGet(&t, 0, 0, &e), WASI_EBADF);
    wbFdTableFree(&t);
}

/* ------------------------------------------------------------ poll */

static void sub_fd(Guest *g, uint32_t i, uint64_t userdata, uint8_t type, uint32_t fd)
{
    uint32_t at = SUBS + i * WASI_SUBSCRIPTION_SIZE;
    memset(g->mem + at, 0, WASI_SUBSCRIPTION_SIZE);
    put64(g, at, userdata);
    g->mem[at + 8] = type;
    put32(g, at + 16, fd);
}

static void sub_clock(Guest *g, uint32_t i, uint64_t userdata, uint64_t ns)
{
    uint32_t at = SUBS + i * WASI_SUBSCRIPTION_SIZE;
    memset(g->mem + at, 0, WASI_SUBSCRIPTION_SIZE);
    put64(g, at, userdata);
    g->mem[at + 8] = WASI_EVENTTYPE_CLOCK;
    put32(g, at + 16, WASI_CLOCKID_MONOTONIC);
    put64(g, at + 24, ns);
}

/* Event i: userdata, error, type, nbytes, flags. */
typedef struct Ev {
    uint64_t userdata;
    uint16_t error;
    uint8_t type;
    uint64_t nbytes;
    uint16_t flags;
} Ev;

static Ev event(Guest *g, uint32_t i)
{
    uint32_t at = EVENTS + i * WASI_EVENT_SIZE;
    Ev e = {get64(g, at), (uint16_t)get32(g, at + 8), g->mem[at + 10], get64(g, at + 16),
            (uint16_t)get32(g, at + 24)};
    return e;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

TEST(wasi_stdio_poll)
{
    wb_wasi_config c = mem_config("abc");
    c.stdout_max = 100;
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (!worker_new(&k, &c) || !CHECK(guest_new(&g, k.mod, k.linker)))
        goto done;
    /* read on stdin, write on stdout, a 5 s clock, read on stdout: ready at
     * once, but the clock (and stdout cannot be read) */
    sub_fd(&g, 0, 11, WASI_EVENTTYPE_FD_READ, 0);
    sub_fd(&g, 1, 22, WASI_EVENTTYPE_FD_WRITE, 1);
    sub_clock(&g, 2, 33, 5000000000ull);
    sub_fd(&g, 3, 44, WASI_EVENTTYPE_FD_READ, 1);
    double t0 = now_s();
    CHECK_EQ(W(&g, "poll_oneoff", SUBS, EVENTS, 4, RET), 0);
    CHECK(now_s() - t0 < 1.0);
    CHECK_EQ(get32(&g, RET), 3);
    Ev e = event(&g, 0);
    CHECK_EQ(e.userdata, 11);
    CHECK_EQ(e.error, 0);
    CHECK_EQ(e.type, WASI_EVENTTYPE_FD_READ);
    CHECK_EQ(e.nbytes, 3);
    CHECK_EQ(e.flags, 0);
    e = event(&g, 1);
    CHECK_EQ(e.userdata, 22);
    CHECK_EQ(e.error, 0);
    CHECK_EQ(e.type, WASI_EVENTTYPE_FD_WRITE);
    CHECK_EQ(e.nbytes, 100); /* room under the cap */
    e = event(&g, 2);
    CHECK_EQ(e.userdata, 44);
    CHECK_EQ(e.error, WASI_EBADF);
    /* as stdin is read, fewer bytes; at its end, hangup */
    char buf[16];
    uint32_t n;
    CHECK_EQ(guest_read(&g, 0, 2, buf, &n), 0);
    CHECK_STR(buf, "ab");
    sub_fd(&g, 0, 55, WASI_EVENTTYPE_FD_READ, 0);
    CHECK_EQ(W(&g, "poll_oneoff", SUBS, EVENTS, 1, RET), 0);
    CHECK_EQ(get32(&g, RET), 1);
    e = event(&g, 0);
    CHECK_EQ(e.userdata, 55);
    CHECK_EQ(e.nbytes, 1);
    CHECK_EQ(e.flags, 0);
    CHECK_EQ(guest_read(&g, 0, 8, buf, &n), 0);
    CHECK_STR(buf, "c");
    CHECK_EQ(W(&g, "poll_oneoff", SUBS, EVENTS, 1, RET), 0);
    e = event(&g, 0);
    CHECK_EQ(e.error, 0);
    CHECK_EQ(e.nbytes, 0);
    CHECK_EQ(e.flags, WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP);
    CHECK_EQ(guest_read(&g, 0, 8, buf, &n), 0);
    CHECK_EQ(n, 0);
    /* as stdout fills, less room */
    CHECK_EQ(guest_write(&g, 1, "0123456789012345678901234567890", &n), 0);
    sub_fd(&g, 0, 66, WASI_EVENTTYPE_FD_WRITE, 1);
    CHECK_EQ(W(&g, "poll_oneoff", SUBS, EVENTS, 1, RET), 0);
    CHECK_EQ(event(&g, 0).nbytes, 69);
    /* a memory stream closed: EBADF, as any fd */
    CHECK_EQ(W(&g, "fd_close", 1), 0);
    CHECK_EQ(W(&g, "poll_oneoff", SUBS, EVENTS, 1, RET), 0);
    CHECK_EQ(event(&g, 0).error, WASI_EBADF);
done:
    guest_delete(&g);
    worker_delete(&k);
}

/* ------------------------------------------------------------ renumber, close */

/* A fresh directory for preopens; "" when it cannot be made. */
static void temp_dir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/wb_stdio_test_XXXXXX");
    if (!mkdtemp(buf))
        buf[0] = '\0';
}

/* fd_prestat_get(fd): the errno; the name's length in *len. */
static int prestat(Guest *g, uint32_t fd, uint32_t *len)
{
    int e = W(g, "fd_prestat_get", fd, OUT);
    *len = get32(g, OUT + 4);
    return e;
}

TEST(wasi_stdio_renumber_close)
{
    int fds = unitCountFds();
    char dir[64];
    temp_dir(dir, sizeof dir);
    if (!CHECK(dir[0]))
        return;
    wb_wasi_dir dirs[2] = {{dir, "/a", 0}, {dir, "/bee", 1}};
    wb_wasi_config c = mem_config("in");
    c.ndirs = 2;
    c.dirs = dirs;
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (!worker_new(&k, &c) || !CHECK(guest_new(&g, k.mod, k.linker)))
        goto done;
    CHECK_EQ(unitCountFds(), fds + 2); /* the preopens; stdio holds no host fd */
    uint32_t n, len;
    char buf[16];
    CHECK_EQ(guest_write(&g, 2, "E", &n), 0);
    /* stdout moved over stderr: fd 2 now writes to stdout's stream */
    CHECK_EQ(W(&g, "fd_renumber", 1, 2), 0);
    CHECK_EQ(W(&g, "fd_fdstat_get", 1, OUT), WASI_EBADF);
    CHECK_EQ(guest_write(&g, 1, "x", &n), WASI_EBADF);
    CHECK_EQ(guest_write(&g, 2, "O", &n), 0);
    CHECK(output_is(k.wasi, 1, "O", 1));
    CHECK(output_is(k.wasi, 2, "E", 1)); /* what stderr captured stays */
    /* stdin moved over a preopen: its host fd is closed, fd 3 reads stdin */
    CHECK_EQ(prestat(&g, 3, &len), 0);
    CHECK_EQ(W(&g, "fd_renumber", 0, 3), 0);
    CHECK_EQ(unitCountFds(), fds + 1);
    CHECK_EQ(W(&g, "fd_fdstat_get", 0, OUT), WASI_EBADF);
    CHECK_EQ(W(&g, "fd_fdstat_get", 3, OUT), 0);
    CHECK_EQ(g.mem[OUT], WASI_FILETYPE_UNKNOWN);
    CHECK_EQ(prestat(&g, 3, &len), WASI_EBADF); /* no longer a preopen */
    CHECK_EQ(guest_read(&g, 3, 8, buf, &n), 0);
    CHECK_STR(buf, "in");
    /* a preopen moved over stdin's new number */
    CHECK_EQ(W(&g, "fd_renumber", 4, 3), 0);
    CHECK_EQ(prestat(&g, 3, &len), 0);
    CHECK_EQ(len, 4); /* "/bee" */
    CHECK_EQ(W(&g, "fd_fdstat_get", 4, OUT), WASI_EBADF);
    CHECK_EQ(unitCountFds(), fds + 1);
    /* renumbering needs both open */
    CHECK_EQ(W(&g, "fd_renumber", 2, 9), WASI_EBADF);
    CHECK_EQ(W(&g, "fd_renumber", 9, 2), WASI_EBADF);
    CHECK_EQ(W(&g, "fd_renumber", 2, 2), 0);
    /* close: the number is free, the captured output stays */
    CHECK_EQ(W(&g, "fd_close", 2), 0);
    CHECK_EQ(W(&g, "fd_close", 2), WASI_EBADF);
    CHECK_EQ(guest_write(&g, 2, "late", &n), WASI_EBADF);
    CHECK(output_is(k.wasi, 1, "O", 1));
    CHECK(output_is(k.wasi, 2, "E", 1));
done:
    guest_delete(&g);
    worker_delete(&k);
    CHECK_EQ(unitCountFds(), fds);
    rmdir(dir);
}

/* ------------------------------------------------------------ reset */

TEST(wasi_stdio_reset_new_world)
{
    int fds = unitCountFds();
    char dir[64];
    temp_dir(dir, sizeof dir);
    if (!CHECK(dir[0]))
        return;
    /* request 1: a preopen, A=1, a cap the echo overflows */
    wb_wasi_dir d = {dir, "/data", 0};
    const char *env1[] = {"A=1"};
    wb_wasi_config c1 = mem_config("first");
    c1.envc = 1;
    c1.env = env1;
    c1.ndirs = 1;
    c1.dirs = &d;
    c1.stdout_max = 4;
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (!worker_new(&k, &c1) || !CHECK(guest_new(&g, k.mod, k.linker)))
        goto done;
    /* the guest opens a file of its own: fd 4 */
    memcpy(g.mem + DATA, "f.txt", 5);
    CHECK_EQ(W(&g, "path_open", 3, 0, DATA, 5, WASI_OFLAGS_CREAT,
               WASI_RIGHTS_FD_READ | WASI_RIGHTS_FD_WRITE, 0, 0, RET),
             0);
    CHECK_EQ(get32(&g, RET), 4);
    CHECK_EQ(unitCountFds(), fds + 2);
    int code = -1;
    wb_error err;
    CHECK_EQ(wb_wasi_run(k.wasi, g.inst, &code, &err), WB_OK);
    CHECK_EQ(get32(&g, ECHO_WRITE_ERR), WASI_EFBIG);
    size_t len = 0;
    int over = 0;
    CHECK(output_is(k.wasi, 1, "firs", 4));
    CHECK(wb_wasi_output(k.wasi, 1, &len, &over) && over == 1);
    CHECK_EQ(guest_write(&g, 2, "warn", NULL), 0);
    wb_status st = WB_OK;
    CHECK_EQ(wcall(&g, "proc_exit", (const uint64_t[]){7}, &st), -1);
    CHECK_EQ(st, WB_ERR_EXIT);
    CHECK_EQ(wb_wasi_exit_code(k.wasi, &code), 1);
    CHECK_EQ(code, 7);
    guest_delete(&g);

    /* request 2: no preopen, B and C, stderr closed */
    const char *env2[] = {"B=2", "C=33"};
    const char *argv2[] = {"second"};
    wb_wasi_config c2 = mem_config("second run");
    c2.argc = 1;
    c2.argv = argv2;
    c2.envc = 2;
    c2.env = env2;
    c2.stderr_fd = WB_WASI_CLOSED;
    CHECK_EQ(wb_wasi_reset(k.wasi, &c2, &err), WB_OK);
    CHECK_EQ(wb_wasi_exit_code(k.wasi, NULL), 0);
    CHECK(wb_wasi_output(k.wasi, 1, &len, &over) != NULL);
    CHECK_EQ(len, 0);
    CHECK_EQ(over, 0);
    CHECK(wb_wasi_output(k.wasi, 2, &len, &over) == NULL); /* closed now */
    CHECK_EQ(unitCountFds(), fds); /* the preopen and the guest's file are closed */
    /* the same linker, a new store and instance */
    if (!CHECK(guest_new(&g, k.mod, k.linker)))
        goto done;
    CHECK_EQ(W(&g, "fd_fdstat_get", 4, OUT), WASI_EBADF);
    CHECK_EQ(W(&g, "fd_fdstat_get", 3, OUT), WASI_EBADF);
    CHECK_EQ(W(&g, "fd_fdstat_get", 2, OUT), WASI_EBADF);
    CHECK_EQ(W(&g, "environ_sizes_get", RET, RET + 4), 0);
    CHECK_EQ(get32(&g, RET), 2);
    CHECK_EQ(get32(&g, RET + 4), 9);
    CHECK_EQ(W(&g, "environ_get", OUT, DATA), 0);
    CHECK(memcmp(g.mem + DATA, "B=2\0C=33\0", 9) == 0);
    CHECK_EQ(get32(&g, OUT), DATA);
    CHECK_EQ(get32(&g, OUT + 4), DATA + 4);
    code = -1;
    CHECK_EQ(wb_wasi_run(k.wasi, g.inst, &code, &err), WB_OK);
    CHECK_EQ(code, 0);
    CHECK(output_is(k.wasi, 1, "second run", 10));
done:
    guest_delete(&g);
    worker_delete(&k);
    CHECK_EQ(unitCountFds(), fds);
    char f[128];
    snprintf(f, sizeof f, "%s/f.txt", dir);
    unlink(f);
    rmdir(dir);
}

/* Host stdio replaced by memory stdio and back: the duplicates are closed. */
TEST(wasi_stdio_reset_host_and_memory)
{
    int fds = unitCountFds();
    int p[2];
    if (!CHECK(pipe(p) == 0))
        return;
    wb_wasi_config host = mem_config(NULL);
    host.stdin_fd = WB_WASI_CLOSED;
    host.stdout_fd = p[1];
    host.stderr_fd = p[1];
    Worker k;
    if (worker_new(&k, &host)) {
        CHECK_EQ(unitCountFds(), fds + 2 + 2);
        wb_wasi_config mem = mem_config("m");
        wb_error err;
        CHECK_EQ(wb_wasi_reset(k.wasi, &mem, &err), WB_OK);
        CHECK_EQ(unitCountFds(), fds + 2);
        CHECK_EQ(run_echo(&k), 0);
        CHECK(output_is(k.wasi, 1, "m", 1));
        CHECK_EQ(wb_wasi_reset(k.wasi, &host, &err), WB_OK);
        CHECK_EQ(unitCountFds(), fds + 2 + 2);
        CHECK(wb_wasi_output(k.wasi, 1, NULL, NULL) == NULL);
    }
    worker_delete(&k);
    close(p[0]);
    close(p[1]);
    CHECK_EQ(unitCountFds(), fds);
}

/* A reset that fails leaves nothing open, says why, and the next works. */
TEST(wasi_stdio_reset_failure)
{
    int fds = unitCountFds();
    char dir[64];
    temp_dir(dir, sizeof dir);
    if (!CHECK(dir[0]))
        return;
    wb_wasi_dir good = {dir, "/ok", 0};
    wb_wasi_config c = mem_config("x");
    c.ndirs = 1;
    c.dirs = &good;
    Worker k;
    Guest g;
    memset(&g, 0, sizeof g);
    if (!worker_new(&k, &c))
        goto done;
    wb_wasi_dir bad = {"/nonexistent/wasmbox/stdio", "/no", 0};
    wb_wasi_config cb = mem_config("y");
    cb.ndirs = 1;
    cb.dirs = &bad;
    wb_error err;
    CHECK_EQ(wb_wasi_reset(k.wasi, &cb, &err), WB_ERR_IO);
    CHECK(strstr(err.detail, "/nonexistent/wasmbox/stdio") != NULL);
    CHECK_EQ(unitCountFds(), fds);
    CHECK(wb_wasi_output(k.wasi, 1, NULL, NULL) == NULL);
    if (CHECK(guest_new(&g, k.mod, k.linker))) {
        for (uint32_t fd = 0; fd < 4; fd++)
            CHECKF(W(&g, "fd_fdstat_get", fd, OUT) == WASI_EBADF, "fd %u", fd);
        CHECK_EQ(W(&g, "environ_sizes_get", RET, RET + 4), 0);
        CHECK_EQ(get32(&g, RET), 0);
    }
    guest_delete(&g);
    /* bytes promised but not given; a NULL config; a NULL context */
    wb_wasi_config cn = mem_config(NULL);
    cn.stdin_len = 5;
    CHECK_EQ(wb_wasi_reset(k.wasi, &cn, &err), WB_ERR_ARG);
    CHECK_STR(err.detail, "stdin_data missing");
    CHECK_EQ(wb_wasi_reset(k.wasi, NULL, &err), WB_ERR_ARG);
    CHECK_EQ(wb_wasi_reset(NULL, &c, &err), WB_ERR_ARG);
    /* after all that, a good reset: the same linker works again */
    CHECK_EQ(wb_wasi_reset(k.wasi, &c, &err), WB_OK);
    CHECK_EQ(unitCountFds(), fds + 1);
    CHECK_EQ(run_echo(&k), 0);
    CHECK(output_is(k.wasi, 1, "x", 1));
    /* wb_wasi_new fails on the same configs, leaving nothing */
    wb_wasi *w2 = (wb_wasi *)&err;
    CHECK_EQ(wb_wasi_new(&cn, &w2, &err), WB_ERR_ARG);
    CHECK(w2 == NULL);
    CHECK_EQ(wb_wasi_new(&cb, &w2, &err), WB_ERR_IO);
    CHECK(w2 == NULL);
    CHECK_EQ(unitCountFds(), fds + 1);
done:
    worker_delete(&k);
    CHECK_EQ(unitCountFds(), fds);
    rmdir(dir);
}

/* One linker, many requests: a new store and instance each time. */
TEST(wasi_stdio_reset_reuse_linker)
{
    wb_wasi_config c = mem_config("");
    Worker k;
    if (worker_new(&k, &c)) {
        const char *in[] = {"alpha", "", "a much longer third request body\n", "4"};
        for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
            wb_error err;
            wb_wasi_config ci = mem_config(in[i]);
            CHECK_EQ(wb_wasi_reset(k.wasi, &ci, &err), WB_OK);
            CHECKF(run_echo(&k) == 0, "request %zu", i);
            CHECKF(output_is(k.wasi, 1, in[i], strlen(in[i])), "request %zu", i);
        }
    }
    worker_delete(&k);
}

/* 1000 requests through one context: outputs right each time, no
 * descriptor left over, and no growth: the capture buffer is the one the
 * first (largest) request made, and under ASan the heap holds exactly as
 * many bytes after the last request as after the first. LeakSanitizer
 * checks the rest at exit. */
TEST(wasi_stdio_reset_1000_steady)
{
    static char in[6000];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (char)('a' + i % 26);
    const char *argv[] = {"app", "--flag"};
    char envbuf[2][32];
    const char *env[2] = {envbuf[0], envbuf[1]};
    int fds = unitCountFds();
    wb_wasi_config c = mem_config(NULL);
    Worker k;
    if (!worker_new(&k, &c)) {
        worker_delete(&k);
        return;
    }
    const uint8_t *first_buf = NULL;
#ifdef STDIO_ASAN
    size_t heap_after_first = 0;
#endif
    int bad = 0;
    for (int i = 0; i < 1000; i++) {
        size_t n = i == 0 ? sizeof in : (size_t)(i * 37) % sizeof in;
        snprintf(envbuf[0], sizeof envbuf[0], "REQUEST=%04d", i);
        snprintf(envbuf[1], sizeof envbuf[1], "METHOD=%s", i % 2 ? "GET" : "PUT");
        wb_wasi_config ci = mem_config(NULL);
        ci.stdin_data = in;
        ci.stdin_len = n;
        ci.argc = 2;
        ci.argv = argv;
        ci.envc = 2;
        ci.env = env;
        ci.stdout_max = 8192;
        wb_error err;
        if (wb_wasi_reset(k.wasi, &ci, &err) != WB_OK || run_echo(&k) != 0 ||
            !output_is(k.wasi, 1, in, n)) {
            bad++;
            continue;
        }
        const uint8_t *p = wb_wasi_output(k.wasi, 1, NULL, NULL);
        if (i == 0) {
            first_buf = p;
#ifdef STDIO_ASAN
            heap_after_first = __sanitizer_get_current_allocated_bytes();
#endif
        } else if (p != first_buf) {
            bad++;
        }
    }
    CHECK_EQ(bad, 0);
#ifdef STDIO_ASAN
    size_t heap = __sanitizer_get_current_allocated_bytes();
    CHECKF(heap == heap_after_first, "heap %zu bytes after request 1, %zu after 1000",
           heap_after_first, heap);
#endif
    CHECK_EQ(unitCountFds(), fds);
    worker_delete(&k);
}
