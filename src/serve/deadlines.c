/*
 * deadlines.c — the watcher thread of deadlines.h. It sleeps on a
 * condition variable until the earliest armed deadline; arming a later
 * deadline than the one it waits for does not wake it, so a steady stream
 * of requests with the same timeout costs no thread wake-ups.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/deadlines.h"

/* While a stopped guest has not returned, it is poked again this often. */
#define POKE_NS 20000000ull
#define NEVER UINT64_MAX

typedef struct wbSlot {
    wb_store *store;   /* NULL: not armed */
    pthread_t thread;
    uint64_t deadline; /* NEVER: only on expire-all */
    uint64_t poke_at;  /* after firing: next poke */
    int fired;
} wbSlot;

struct wbDeadlines {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_condattr_t attr;
    pthread_t thread;
    wbSlot *slots;
    unsigned n;
    uint64_t waiting_until; /* the watcher sleeps until then */
    int expire_all, stop;
};

uint64_t wbNowNs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void on_poke(int sig)
{
    (void)sig; /* there only so that blocking calls return EINTR */
}

static void fire(wbSlot *s, uint64_t now)
{
    wb_store_interrupt(s->store);
    pthread_kill(s->thread, SIGUSR1);
    s->fired = 1;
    s->poke_at = now + POKE_NS;
}

static void *watch(void *arg)
{
    wbDeadlines *d = arg;
    pthread_mutex_lock(&d->lock);
    while (!d->stop) {
        uint64_t now = wbNowNs(), next = NEVER;
        for (unsigned i = 0; i < d->n; i++) {
            wbSlot *s = &d->slots[i];
            if (!s->store)
                continue;
            uint64_t due = s->fired ? s->poke_at : d->expire_all ? now : s->deadline;
            if (due <= now) {
                fire(s, now);
                due = s->poke_at;
            }
            if (due < next)
                next = due;
        }
        d->waiting_until = next;
        if (next == NEVER) {
            pthread_cond_wait(&d->wake, &d->lock);
        } else {
            struct timespec t = {(time_t)(next / 1000000000ull), (long)(next % 1000000000ull)};
            pthread_cond_timedwait(&d->wake, &d->lock, &t);
        }
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

wbDeadlines *wbDeadlinesNew(unsigned nslots)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_poke; /* no SA_RESTART: blocked calls return EINTR */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) != 0)
        return NULL;
    wbDeadlines *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->slots = calloc(nslots ? nslots : 1, sizeof *d->slots);
    d->n = nslots;
    pthread_mutex_init(&d->lock, NULL);
    pthread_condattr_init(&d->attr);
    pthread_condattr_setclock(&d->attr, CLOCK_MONOTONIC);
    pthread_cond_init(&d->wake, &d->attr);
    if (!d->slots || pthread_create(&d->thread, NULL, watch, d) != 0) {
        free(d->slots);
        pthread_cond_destroy(&d->wake);
        pthread_condattr_destroy(&d->attr);
        pthread_mutex_destroy(&d->lock);
        free(d);
        return NULL;
    }
    return d;
}

void wbDeadlinesFree(wbDeadlines *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->stop = 1;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->wake);
    pthread_condattr_destroy(&d->attr);
    pthread_mutex_destroy(&d->lock);
    free(d->slots);
    free(d);
}

void wbDeadlinesArm(wbDeadlines *d, unsigned slot, wb_store *store, uint64_t deadline_ns)
{
    pthread_mutex_lock(&d->lock);
    wbSlot *s = &d->slots[slot];
    s->store = store;
    s->thread = pthread_self();
    s->deadline = deadline_ns ? deadline_ns : NEVER;
    s->fired = 0;
    if (d->expire_all || s->deadline < d->waiting_until)
        pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

int wbDeadlinesDisarm(wbDeadlines *d, unsigned slot)
{
    pthread_mutex_lock(&d->lock);
    wbSlot *s = &d->slots[slot];
    int fired = s->fired;
    s->store = NULL;
    s->fired = 0;
    pthread_mutex_unlock(&d->lock);
    return fired;
}

void wbDeadlinesExpireAll(wbDeadlines *d)
{
    pthread_mutex_lock(&d->lock);
    d->expire_all = 1;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

int wbDeadlinesExpiredAll(wbDeadlines *d)
{
    pthread_mutex_lock(&d->lock);
    int all = d->expire_all;
    pthread_mutex_unlock(&d->lock);
    return all;
}
