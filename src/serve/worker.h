/*
 * worker.h — a worker of `wasmbox serve`: runs one request's handler in a
 * fresh sandbox (a new store and instance; the WASI context and linker of
 * the worker reset and reused) and turns what happened into a response.
 */
#ifndef WB_SERVE_WORKER_H
#define WB_SERVE_WORKER_H

#include <stddef.h>

#include "serve/deadlines.h"
#include "serve/job.h"

typedef struct wbWorker wbWorker;

/* What every worker shares. */
typedef struct wbWorkerShared {
    wbDeadlines *deadlines;
    size_t max_response; /* bytes a handler may write on stdout */
} wbWorkerShared;

/* NULL when out of memory. */
wbWorker *wbWorkerNew(const wbWorkerShared *shared, unsigned index);
void wbWorkerFree(wbWorker *w);

/*
 * Runs job->req through the handler of job->route in a fresh sandbox with
 * the route's policy, and fills in the job's response: the handler's, or
 * an error page — 500 (trap, memory limit, stack, non-zero exit, failure
 * to instantiate), 502 (malformed or oversized output), 504 (timeout, fuel).
 */
void wbWorkerRun(wbWorker *w, wbServeJob *job);

#endif /* WB_SERVE_WORKER_H */
