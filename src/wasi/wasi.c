/*
 * wasi.c — the public face of the WASI host (wasmbox_wasi.h): creating,
 * resetting and freeing a context (copies of args and environment, the
 * descriptor table with stdio, host or in memory, and the preopened
 * directories), the captured output, defining the host functions in a
 * linker through one dispatcher, and running a command's _start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasi/errno.h"
#include "wasi/wasi_impl.h"

#define MODULE_NAME "wasi_snapshot_preview1"

/* What a host function's env points at. */
typedef struct wbWasiBinding {
    wb_wasi *wasi;
    const wbWasiFunc *def;
} wbWasiBinding;

static const struct {
    const wbWasiFunc *funcs;
    const size_t *count;
} aGroup[] = {
    {wbWasiProcFuncs, &wbWasiProcFuncCount},
    {wbWasiClockPollFuncs, &wbWasiClockPollFuncCount},
    {wbWasiFdFuncs, &wbWasiFdFuncCount},
    {wbWasiReaddirFuncs, &wbWasiReaddirFuncCount},
    {wbWasiPathFuncs, &wbWasiPathFuncCount},
};

static size_t func_count(void)
{
    size_t n = 0;
    for (size_t g = 0; g < sizeof aGroup / sizeof aGroup[0]; g++)
        n += *aGroup[g].count;
    return n;
}

static wb_status fail(wb_error *err, wb_status status, const char *message, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static wb_status fail(wb_error *err, wb_status status, const char *message, const char *fmt, ...)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = status;
        err->offset = WB_NO_OFFSET;
        err->section = -1;
        err->func_index = WB_NO_INDEX;
        err->message = message;
        if (fmt) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err->detail, sizeof err->detail, fmt, ap);
            va_end(ap);
        }
    }
    return status;
}

/* Sets *s to copies of the n strings of v, reusing its buffers. On
 * failure *s is left empty. */
static wb_status set_strings(wbWasiStrings *s, int n, const char *const *v, const char *what,
                             wb_error *err)
{
    s->n = 0;
    s->bytes = 0;
    if (n < 0 || (n > 0 && !v))
        return fail(err, WB_ERR_ARG, "bad argument", "%s missing", what);
    uint64_t bytes = 0;
    for (int i = 0; i < n; i++) {
        if (!v[i])
            return fail(err, WB_ERR_ARG, "bad argument", "%s[%d] is NULL", what, i);
        bytes += strlen(v[i]) + 1;
    }
    if (bytes > UINT32_MAX)
        return fail(err, WB_ERR_ARG, "bad argument", "%s too large", what);
    if ((size_t)n + 1 > s->v_cap) {
        char **nv = realloc(s->v, ((size_t)n + 1) * sizeof *nv);
        if (!nv)
            return fail(err, WB_ERR_NOMEM, "out of memory", NULL);
        s->v = nv;
        s->v_cap = (size_t)n + 1;
    }
    if (bytes > s->buf_cap) {
        char *nb = realloc(s->buf, (size_t)bytes);
        if (!nb)
            return fail(err, WB_ERR_NOMEM, "out of memory", NULL);
        s->buf = nb;
        s->buf_cap = (size_t)bytes;
    }
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        memcpy(s->buf + off, v[i], len);
        s->v[i] = s->buf + off;
        off += len;
    }
    if (s->v)
        s->v[n] = NULL;
    s->n = n;
    s->bytes = bytes;
    return WB_OK;
}

static void free_strings(wbWasiStrings *s)
{
    free(s->v);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

/* Guest fds 0-2. A host descriptor is duplicated (close-on-exec): the
 * duplicate shares the host's open file description (and whatever file is
 * behind it, e.g. `>> log`), so it is a plain stream: read on 0, write on
 * 1 and 2, stat and poll, and nothing that seeks, truncates, allocates,
 * sets times or changes the flags the host itself uses. WB_WASI_MEMORY
 * makes the context's own stream i the same kind of stream, in memory. */
static wb_status open_stdio(wb_wasi *w, const wb_wasi_config *config, wb_error *err)
{
    int host[3] = {config->stdin_fd, config->stdout_fd, config->stderr_fd};
    size_t max[3] = {0, config->stdout_max, config->stderr_max};
    for (uint32_t i = 0; i < 3; i++) {
        uint64_t stream = i == 0 ? WB_RIGHTS_STREAM_IN : WB_RIGHTS_STREAM_OUT;
        if (host[i] == WB_WASI_MEMORY) {
            if (i == 0 && !config->stdin_data && config->stdin_len)
                return fail(err, WB_ERR_ARG, "bad argument", "stdin_data missing");
            if (i == 0)
                wbStreamInput(&w->stdio[0], config->stdin_data, config->stdin_len);
            else
                wbStreamOutput(&w->stdio[i], max[i] ? max[i] : WB_WASI_OUTPUT_DEFAULT_MAX);
            if (wbFdPut(&w->fds, i, wbFdMemory(&w->stdio[i], stream)))
                return fail(err, WB_ERR_NOMEM, "out of memory", NULL);
            continue;
        }
        if (host[i] < 0)
            continue; /* left closed */
        int fd = fcntl(host[i], F_DUPFD_CLOEXEC, 0);
        if (fd < 0) {
            if (errno == EBADF)
                continue; /* the host has it closed too */
            return fail(err, WB_ERR_IO, "cannot set up stdio", "fd %d: %s", host[i],
                        strerror(errno));
        }
        wbFd e = wbFdDescribe(fd);
        e.base &= stream;
        e.inheriting = 0;
        if (wbFdPut(&w->fds, i, e))
            return fail(err, WB_ERR_NOMEM, "out of memory", NULL);
    }
    return WB_OK;
}

/* Guest fds 3...: the preopened directories, in order. */
static wb_status open_dirs(wb_wasi *w, const wb_wasi_config *config, wb_error *err)
{
    if (config->ndirs < 0 || (config->ndirs > 0 && !config->dirs))
        return fail(err, WB_ERR_ARG, "bad argument", "dirs missing");
    if ((unsigned)config->ndirs > WB_FD_MAX - 3)
        return fail(err, WB_ERR_ARG, "bad argument", "too many preopened directories");
    for (int i = 0; i < config->ndirs; i++) {
        const wb_wasi_dir *d = &config->dirs[i];
        if (!d->host_path || !d->guest_path)
            return fail(err, WB_ERR_ARG, "bad argument", "preopen %d has no path", i);
        int fd = open(d->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return fail(err, WB_ERR_IO, "cannot open preopened directory", "%s: %s",
                        d->host_path, strerror(errno));
        wbFd e = wbFdDescribe(fd);
        e.filetype = WASI_FILETYPE_DIRECTORY;
        e.base = WB_RIGHTS_DIR;
        e.inheriting = WB_RIGHTS_DIR_INHERITING;
        if (d->read_only) {
            e.base &= ~WB_RIGHTS_WRITING;
            e.inheriting &= ~WB_RIGHTS_WRITING;
        }
        e.preopen = strdup(d->guest_path);
        if (!e.preopen) {
            close(fd);
            return fail(err, WB_ERR_NOMEM, "out of memory", NULL);
        }
        if (wbFdPut(&w->fds, 3 + (uint32_t)i, e))
            return fail(err, WB_ERR_NOMEM, "out of memory", NULL);
    }
    return WB_OK;
}

/* Takes the guest's world away: every descriptor closed, no args or
 * environment, no memory streams, no exit. Allocations are kept. */
static void clear_world(wb_wasi *w)
{
    wbFdTableClear(&w->fds);
    for (int i = 0; i < 3; i++)
        wbStreamClear(&w->stdio[i]);
    w->args.n = w->env.n = 0;
    w->args.bytes = w->env.bytes = 0;
    w->exited = 0;
    w->exit_code = 0;
}

/* Gives w the world `config` describes (the whole of wb_wasi_new and
 * wb_wasi_reset but the allocation); on failure leaves it cleared. */
static wb_status make_world(wb_wasi *w, const wb_wasi_config *config, wb_error *err)
{
    clear_world(w);
    if (!config)
        return fail(err, WB_ERR_ARG, "bad argument", "no config");
    wb_status st = set_strings(&w->args, config->argc, config->argv, "argv", err);
    if (st == WB_OK)
        st = set_strings(&w->env, config->envc, config->env, "env", err);
    if (st == WB_OK)
        st = open_stdio(w, config, err);
    if (st == WB_OK)
        st = open_dirs(w, config, err);
    if (st != WB_OK)
        clear_world(w);
    return st;
}

wb_status wb_wasi_new(const wb_wasi_config *config, wb_wasi **out, wb_error *err)
{
    if (out)
        *out = NULL;
    if (!config || !out)
        return fail(err, WB_ERR_ARG, "bad argument", "no config or no out");
    wb_wasi *w = calloc(1, sizeof *w);
    if (!w)
        return fail(err, WB_ERR_NOMEM, "out of memory", NULL);
    wbFdTableInit(&w->fds);
    wb_status st = make_world(w, config, err);
    if (st != WB_OK) {
        wb_wasi_delete(w);
        return st;
    }
    *out = w;
    return WB_OK;
}

wb_status wb_wasi_reset(wb_wasi *wasi, const wb_wasi_config *config, wb_error *err)
{
    if (!wasi)
        return fail(err, WB_ERR_ARG, "bad argument", "no context");
    return make_world(wasi, config, err);
}

void wb_wasi_delete(wb_wasi *wasi)
{
    if (!wasi)
        return;
    wbFdTableFree(&wasi->fds);
    for (int i = 0; i < 3; i++)
        wbStreamFree(&wasi->stdio[i]);
    free_strings(&wasi->args);
    free_strings(&wasi->env);
    wb_store_delete(wasi->store);
    free(wasi->bindings);
    free(wasi->funcs);
    free(wasi);
}

const uint8_t *wb_wasi_output(const wb_wasi *wasi, int fd, size_t *len, int *overflowed)
{
    static const uint8_t kNothing[1];
    if (len)
        *len = 0;
    if (overflowed)
        *overflowed = 0;
    if (!wasi || (fd != 1 && fd != 2) || !wasi->stdio[fd].active)
        return NULL;
    const wbStream *s = &wasi->stdio[fd];
    if (len)
        *len = s->len;
    if (overflowed)
        *overflowed = s->overflowed;
    return s->buf ? s->buf : kNothing;
}

/* Every WASI function enters here: checks the argument types against the
 * declaration, takes the caller's memory as it is now, and runs it. */
static wb_status dispatch(void *env, wb_instance *caller, const wb_value *args, wb_value *results,
                          const char **trap)
{
    const wbWasiBinding *b = env;
    const wbWasiFunc *def = b->def;
    for (size_t i = 0; def->params[i]; i++) {
        wb_valtype want = def->params[i] == 'I' ? WB_TYPE_I64 : WB_TYPE_I32;
        if (args[i].type != want) {
            *trap = "WASI function called with mistyped arguments";
            return WB_ERR_TRAP;
        }
    }
    wbWasiCall call = {b->wasi, wbMemOf(caller), args, WB_OK, NULL};
    uint16_t errno_ = def->fn(&call);
    if (call.status != WB_OK) {
        *trap = call.trap;
        return call.status;
    }
    if (!def->no_result) {
        results[0].type = WB_TYPE_I32;
        results[0].of.i32 = errno_;
    }
    return WB_OK;
}

/* Creates the host functions once, in a store of the context's own. */
static wb_status make_funcs(wb_wasi *w)
{
    if (w->funcs)
        return WB_OK;
    size_t n = func_count();
    w->store = wb_store_new(NULL);
    w->bindings = calloc(n, sizeof *w->bindings);
    w->funcs = calloc(n, sizeof *w->funcs);
    if (!w->store || !w->bindings || !w->funcs)
        goto nomem;
    size_t k = 0;
    for (size_t g = 0; g < sizeof aGroup / sizeof aGroup[0]; g++) {
        for (size_t i = 0; i < *aGroup[g].count; i++, k++) {
            const wbWasiFunc *def = &aGroup[g].funcs[i];
            wb_valtype params[16], result = WB_TYPE_I32;
            uint32_t np = 0;
            for (; def->params[np]; np++)
                params[np] = def->params[np] == 'I' ? WB_TYPE_I64 : WB_TYPE_I32;
            w->bindings[k].wasi = w;
            w->bindings[k].def = def;
            w->funcs[k] = wb_func_new_host(w->store, params, np, &result, def->no_result ? 0 : 1,
                                           dispatch, &w->bindings[k]);
            if (!w->funcs[k])
                goto nomem;
        }
    }
    return WB_OK;
nomem:
    wb_store_delete(w->store);
    free(w->bindings);
    free(w->funcs);
    w->store = NULL;
    w->bindings = NULL;
    w->funcs = NULL;
    return WB_ERR_NOMEM;
}

wb_status wb_wasi_define(wb_wasi *wasi, wb_linker *linker)
{
    if (!wasi || !linker)
        return WB_ERR_ARG;
    wb_status st = make_funcs(wasi);
    size_t k = 0;
    for (size_t g = 0; st == WB_OK && g < sizeof aGroup / sizeof aGroup[0]; g++) {
        for (size_t i = 0; st == WB_OK && i < *aGroup[g].count; i++, k++) {
            wb_extern ext;
            ext.kind = WB_EXTERN_FUNC;
            ext.of.func = wasi->funcs[k];
            st = wb_linker_define(linker, MODULE_NAME, aGroup[g].funcs[i].name, ext);
        }
    }
    return st;
}

int wb_wasi_exit_code(const wb_wasi *wasi, int *exit_code)
{
    if (!wasi || !wasi->exited)
        return 0;
    if (exit_code)
        *exit_code = wasi->exit_code;
    return 1;
}

wb_status wb_wasi_run(wb_wasi *wasi, wb_instance *instance, int *exit_code, wb_error *err)
{
    if (!wasi || !instance || !exit_code)
        return fail(err, WB_ERR_ARG, "bad argument", "no context, instance or exit_code");
    wb_extern ext;
    if (!wb_instance_export(instance, "_start", &ext) || ext.kind != WB_EXTERN_FUNC)
        return fail(err, WB_ERR_ARG, "module has no _start export", NULL);
    wasi->exited = 0;
    wb_status st = wb_func_call(ext.of.func, NULL, 0, NULL, 0, err);
    if (st == WB_ERR_EXIT && wasi->exited) {
        *exit_code = wasi->exit_code;
        if (err) {
            memset(err, 0, sizeof *err);
            err->offset = WB_NO_OFFSET;
            err->section = -1;
            err->func_index = WB_NO_INDEX;
        }
        return WB_OK;
    }
    if (st == WB_OK)
        *exit_code = 0;
    return st;
}
