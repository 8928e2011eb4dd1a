/*
 * pool.c — the worker pool of pool.h: one mutex and condition variable
 * guard the job queue (a singly linked FIFO with a count against the
 * capacity); finished jobs go to a second FIFO and bump an eventfd.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "serve/pool.h"

typedef struct wbFifo {
    wbJob *head, *tail;
} wbFifo;

struct wbPool {
    wbPoolHooks hooks;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    wbFifo todo, done;
    size_t queued, capacity;
    unsigned busy, nworkers, started;
    int stopping;
    int done_fd;
    pthread_t *threads;
};

typedef struct wbWorkerStart {
    wbPool *pool;
    unsigned index;
} wbWorkerStart;

static void fifo_push(wbFifo *f, wbJob *job)
{
    job->next = NULL;
    if (f->tail)
        f->tail->next = job;
    else
        f->head = job;
    f->tail = job;
}

static wbJob *fifo_pop(wbFifo *f)
{
    wbJob *job = f->head;
    if (job) {
        f->head = job->next;
        if (!f->head)
            f->tail = NULL;
        job->next = NULL;
    }
    return job;
}

static void *worker_main(void *arg)
{
    wbPool *p = ((wbWorkerStart *)arg)->pool;
    unsigned index = ((wbWorkerStart *)arg)->index;
    free(arg);
    void *state = p->hooks.worker_start ? p->hooks.worker_start(p->hooks.arg, index) : NULL;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->todo.head && !p->stopping)
            pthread_cond_wait(&p->wake, &p->lock);
        wbJob *job = fifo_pop(&p->todo);
        if (!job)
            break; /* stopping, and nothing left to do */
        p->queued--;
        p->busy++;
        pthread_mutex_unlock(&p->lock);
        p->hooks.work(p->hooks.arg, state, job);
        pthread_mutex_lock(&p->lock);
        p->busy--;
        /* only the first finished job since the loop last took them wakes
         * it: the others ride along (one write, not one per job) */
        int wake = !p->done.head;
        fifo_push(&p->done, job);
        if (wake) {
            uint64_t one = 1;
            ssize_t w = write(p->done_fd, &one, sizeof one);
            (void)w; /* an eventfd counter cannot overflow at our rates */
        }
    }
    pthread_mutex_unlock(&p->lock);
    if (p->hooks.worker_end)
        p->hooks.worker_end(p->hooks.arg, state);
    return NULL;
}

wbPool *wbPoolNew(unsigned nworkers, size_t capacity, const wbPoolHooks *hooks)
{
    if (nworkers == 0 || capacity == 0 || !hooks || !hooks->work)
        return NULL;
    wbPool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->hooks = *hooks;
    p->capacity = capacity;
    p->nworkers = nworkers;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    p->threads = calloc(nworkers, sizeof *p->threads);
    if (p->done_fd < 0 || !p->threads)
        goto fail;
    for (unsigned i = 0; i < nworkers; i++) {
        wbWorkerStart *s = malloc(sizeof *s);
        if (!s)
            goto fail;
        s->pool = p;
        s->index = i;
        if (pthread_create(&p->threads[i], NULL, worker_main, s) != 0) {
            free(s);
            goto fail;
        }
        p->started++;
    }
    return p;
fail:
    wbPoolStop(p);
    wbPoolFree(p);
    return NULL;
}

int wbPoolSubmit(wbPool *p, wbJob *job)
{
    pthread_mutex_lock(&p->lock);
    int ok = !p->stopping && p->queued < p->capacity;
    if (ok) {
        fifo_push(&p->todo, job);
        p->queued++;
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
    return ok;
}

int wbPoolDoneFd(const wbPool *p)
{
    return p->done_fd;
}

wbJob *wbPoolTakeDone(wbPool *p)
{
    uint64_t n;
    ssize_t r = read(p->done_fd, &n, sizeof n);
    (void)r; /* EAGAIN when nothing was signalled: fine */
    pthread_mutex_lock(&p->lock);
    wbJob *all = p->done.head;
    p->done.head = p->done.tail = NULL;
    pthread_mutex_unlock(&p->lock);
    return all;
}

size_t wbPoolQueued(wbPool *p)
{
    pthread_mutex_lock(&p->lock);
    size_t n = p->queued;
    pthread_mutex_unlock(&p->lock);
    return n;
}

unsigned wbPoolBusy(wbPool *p)
{
    pthread_mutex_lock(&p->lock);
    unsigned n = p->busy;
    pthread_mutex_unlock(&p->lock);
    return n;
}

unsigned wbPoolWorkers(const wbPool *p)
{
    return p->nworkers;
}

void wbPoolStop(wbPool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->started; i++)
        pthread_join(p->threads[i], NULL);
    p->started = 0;
}

void wbPoolFree(wbPool *p)
{
    if (!p)
        return;
    if (p->done_fd >= 0)
        close(p->done_fd);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->threads);
    free(p);
}
