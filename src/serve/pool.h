/*
 * pool.h — a fixed set of worker threads behind a bounded job queue, with
 * finished jobs handed back through a second queue and an eventfd, so an
 * event loop can wait for results with the rest of its descriptors.
 * Jobs in, a fixed set of workers, results out: the queue never grows past
 * its capacity (wbPoolSubmit says no instead), and a job is never lost —
 * every job submitted comes back through wbPoolTakeDone, also on stop.
 */
#ifndef WB_SERVE_POOL_H
#define WB_SERVE_POOL_H

#include <stddef.h>

/* The link a job carries; embed it in the caller's job struct. */
typedef struct wbJob {
    struct wbJob *next;
} wbJob;

typedef struct wbPool wbPool;

typedef struct wbPoolHooks {
    /* Runs on worker `index` at its start: returns the worker's own state
     * (NULL is allowed). */
    void *(*worker_start)(void *arg, unsigned index);
    /* Runs one job on a worker. */
    void (*work)(void *arg, void *worker, wbJob *job);
    /* Runs on the worker as it ends. */
    void (*worker_end)(void *arg, void *worker);
    void *arg;
} wbPoolHooks;

/* Starts nworkers threads and a queue of `capacity` jobs. NULL when threads
 * or memory could not be had. Threads start with the signal mask of the
 * caller. */
wbPool *wbPoolNew(unsigned nworkers, size_t capacity, const wbPoolHooks *hooks);

/* Queues a job: 1, or 0 when the queue is full or the pool is stopping. */
int wbPoolSubmit(wbPool *pool, wbJob *job);

/* A descriptor that is readable while finished jobs wait. */
int wbPoolDoneFd(const wbPool *pool);

/* Takes every finished job (a list linked by next, oldest first; NULL when
 * none) and clears the descriptor's readiness. */
wbJob *wbPoolTakeDone(wbPool *pool);

/* Jobs queued and not yet taken by a worker; workers running a job. */
size_t wbPoolQueued(wbPool *pool);
unsigned wbPoolBusy(wbPool *pool);
unsigned wbPoolWorkers(const wbPool *pool);

/* Stops the pool: workers finish every queued job, then end; joined here.
 * Finished jobs can still be taken afterwards, then free with wbPoolFree. */
void wbPoolStop(wbPool *pool);
void wbPoolFree(wbPool *pool);

#endif /* WB_SERVE_POOL_H */
