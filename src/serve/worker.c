/*
 * worker.c — one request in a fresh sandbox (worker.h). Per request: a new
 * store with the route's limits and a new instance of the compiled module;
 * the worker's WASI context is reset to the request's world (CGI
 * environment, the body as stdin, stdout and stderr captured in memory)
 * and its linker, with the WASI functions defined once, is reused.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/cgi.h"
#include "serve/response.h"
#include "serve/worker.h"
#include "wasmbox_wasi.h"

/* Fuel given when the route sets none, so that use can still be counted. */
#define UNMETERED_FUEL (1ull << 62)
#define STDERR_MAX 4096

struct wbWorker {
    const wbWorkerShared *shared;
    unsigned index;
    wb_wasi *wasi;
    wb_linker *linker;
};

wbWorker *wbWorkerNew(const wbWorkerShared *shared, unsigned index)
{
    wbWorker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->shared = shared;
    w->index = index;
    wb_wasi_config config;
    memset(&config, 0, sizeof config);
    config.stdin_fd = config.stdout_fd = config.stderr_fd = WB_WASI_CLOSED;
    wb_error err;
    if (wb_wasi_new(&config, &w->wasi, &err) != WB_OK || !(w->linker = wb_linker_new(NULL)) ||
        wb_wasi_define(w->wasi, w->linker) != WB_OK) {
        wbWorkerFree(w);
        return NULL;
    }
    return w;
}

void wbWorkerFree(wbWorker *w)
{
    if (!w)
        return;
    wb_linker_delete(w->linker);
    wb_wasi_delete(w->wasi);
    free(w);
}

/* The first line of the handler's stderr, for the log ("" when none). */
static void stderr_line(const wbWorker *w, char *buf, size_t n)
{
    size_t len;
    const uint8_t *out = wb_wasi_output(w->wasi, 2, &len, NULL);
    size_t k = 0;
    for (size_t i = 0; out && i < len && out[i] != '\n' && k + 1 < n; i++)
        buf[k++] = (out[i] >= 0x20 && out[i] < 0x7f) ? (char)out[i] : '?';
    buf[k] = '\0';
}

/* Appends " (stderr: ...)" from the handler to the job's note. */
static void note_stderr(const wbWorker *w, wbServeJob *job)
{
    char line[160];
    stderr_line(w, line, sizeof line);
    size_t at = strlen(job->note);
    if (line[0] && at < sizeof job->note)
        snprintf(job->note + at, sizeof job->note - at, " (stderr: %s)", line);
}

/* An error page, with `note` (printf) for the log. */
static void fail(wbServeJob *job, int status, const char *message, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(wbServeJob *job, int status, const char *message, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(job->note, sizeof job->note, fmt, ap);
    va_end(ap);
    wbServeJobError(job, status, message, NULL);
}

/* The guest stopped with status s: says why in the job. */
static void explain_stop(const wbWorker *w, wbServeJob *job, const wbPolicy *policy,
                         wb_store *store, wb_status s, const wb_error *err, int timed_out)
{
    const char *what = err->message ? err->message : wb_status_name(s);
    const char *trace = err->detail[0] ? err->detail : "";
    char size[32];
    switch (wbPolicyStopReason(s, err, store)) {
    case WB_STOP_INTERRUPTED:
        if (timed_out && wbDeadlinesExpiredAll(w->shared->deadlines)) {
            fail(job, 503, "the server shut down before the handler finished",
                 "stopped at shutdown (--grace over)");
        } else if (timed_out) {
            char msg[96];
            snprintf(msg, sizeof msg, "the handler ran past its time limit (timeout %s)",
                     policy->timeout[0] ? policy->timeout : "at shutdown");
            fail(job, 504, msg, "timeout %s", policy->timeout);
        } else {
            fail(job, 500, "the handler was interrupted", "interrupted");
        }
        break;
    case WB_STOP_FUEL: {
        char msg[96];
        snprintf(msg, sizeof msg, "the handler ran out of fuel (fuel %" PRIu64 ")", policy->fuel);
        fail(job, 504, msg, "fuel exhausted (%" PRIu64 ")", policy->fuel);
        break;
    }
    case WB_STOP_STACK:
        fail(job, 500, "the handler exhausted its call stack", "call stack exhausted: %s", trace);
        break;
    case WB_STOP_MEMORY: {
        char msg[96];
        wbPolicyMemoryText(policy, size, sizeof size);
        snprintf(msg, sizeof msg, "the handler reached its memory limit (max-memory %s)", size);
        fail(job, 500, msg, "memory limit %s, then: %s %s", size, what, trace);
        break;
    }
    case WB_STOP_TRAP:
        fail(job, 500, "the handler trapped", "trap: %s%s%s", what, trace[0] ? " at " : "",
             trace);
        break;
    case WB_STOP_EXIT:
        fail(job, 500, "the handler stopped", "stopped: %s", what);
        break;
    case WB_STOP_OTHER: {
        char line[200];
        fail(job, 500, "the handler could not run", "%s", wb_error_format(err, line, sizeof line));
        break;
    }
    }
    note_stderr(w, job);
}

/* The handler exited 0: its stdout becomes the response. */
static void respond(const wbWorker *w, wbServeJob *job)
{
    size_t len;
    int overflowed;
    const uint8_t *out = wb_wasi_output(w->wasi, 1, &len, &overflowed);
    if (overflowed) {
        fail(job, 502, "the handler's response is too large",
             "response over --max-response (%zu bytes)", w->shared->max_response);
        return;
    }
    wbCgiResponse res;
    char why[160];
    if (!wbCgiParse(out ? out : (const uint8_t *)"", len, &res, why, sizeof why)) {
        fail(job, 502, "the handler's response is malformed", "malformed output: %s", why);
        note_stderr(w, job);
        return;
    }
    job->status = res.status;
    if (res.status == 204 || res.status == 304)
        res.body_len = 0; /* they have no body */
    job->body = malloc(res.body_len ? res.body_len : 1);
    if (job->body) {
        memcpy(job->body, res.body, res.body_len);
        job->body_len = res.body_len;
        job->head = wbResponseHead(res.status, res.reason, res.headers, res.nheaders, NULL,
                                   res.body_len, &job->head_len);
    }
    wbCgiResponseFree(&res);
    if (!job->head)
        fail(job, 500, "out of memory", "out of memory building the response");
}

/* The bytes of the instance's exported memory, or 0. */
static uint64_t memory_bytes(const wb_instance *inst)
{
    wb_extern ext;
    if (wb_instance_export(inst, "memory", &ext) && ext.kind == WB_EXTERN_MEMORY)
        return wb_memory_size(ext.of.memory);
    return 0;
}

void wbWorkerRun(wbWorker *w, wbServeJob *job)
{
    const wbRoute *route = &job->app->routes.routes[job->route];
    const wbPolicy *policy = &route->policy;
    wb_module *module = job->app->modules[job->route];
    size_t nenv = 0;
    char **env = wbCgiEnv(&job->req, route->prefix, policy->env, policy->nenv, &nenv);
    if (!env) {
        fail(job, 500, "out of memory", "out of memory building the environment");
        return;
    }
    const char *slash = strrchr(route->module_path, '/');
    const char *argv0 = slash ? slash + 1 : route->module_path;
    wb_wasi_config config;
    memset(&config, 0, sizeof config);
    config.argc = 1;
    config.argv = &argv0;
    config.envc = (int)nenv;
    config.env = (const char *const *)env;
    config.ndirs = policy->ndirs;
    config.dirs = policy->dirs;
    config.stdin_fd = config.stdout_fd = config.stderr_fd = WB_WASI_MEMORY;
    config.stdin_data = job->req.body;
    config.stdin_len = job->req.body_len;
    config.stdout_max = w->shared->max_response;
    config.stderr_max = STDERR_MAX;
    wb_error err;
    wb_status s = wb_wasi_reset(w->wasi, &config, &err);
    wbCgiEnvFree(env);
    if (s != WB_OK) {
        char line[200];
        fail(job, 500, "the handler's sandbox could not be set up", "%s",
             wb_error_format(&err, line, sizeof line));
        return;
    }

    wb_limits limits = wbPolicyLimits(policy);
    if (!limits.fuel)
        limits.fuel = UNMETERED_FUEL;
    uint64_t fuel0 = limits.fuel;
    wb_store *store = wb_store_new(&limits);
    if (!store) {
        fail(job, 500, "out of memory", "out of memory creating a store");
        return;
    }
    uint64_t t0 = wbNowNs();
    wbDeadlinesArm(w->shared->deadlines, w->index, store,
                   policy->timeout_ns ? t0 + policy->timeout_ns : 0);
    wb_instance *inst = NULL;
    int code = 0;
    s = wb_instance_new(store, module, w->linker, &inst, &err);
    uint64_t t1 = wbNowNs();
    if (s == WB_OK)
        s = wb_wasi_run(w->wasi, inst, &code, &err);
    int timed_out = wbDeadlinesDisarm(w->shared->deadlines, w->index);
    job->instantiate_ns = t1 - t0;
    job->run_ns = wbNowNs() - t1;
    job->fuel_used = fuel0 - wb_store_fuel(store);
    job->mem_bytes = inst ? memory_bytes(inst) : 0;

    if (s != WB_OK)
        explain_stop(w, job, policy, store, s, &err, timed_out);
    else if (code != 0 && wb_store_memory_limit_hit(store)) {
        char msg[96], size[32];
        wbPolicyMemoryText(policy, size, sizeof size);
        snprintf(msg, sizeof msg, "the handler reached its memory limit (max-memory %s)", size);
        fail(job, 500, msg, "memory limit %s reached, then exit status %d", size, code);
        note_stderr(w, job);
    } else if (code != 0) {
        char msg[64];
        snprintf(msg, sizeof msg, "the handler exited with status %d", code);
        fail(job, 500, msg, "exit status %d", code);
        note_stderr(w, job);
    } else
        respond(w, job);
    wb_store_delete(store);
}
