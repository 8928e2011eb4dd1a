/*
 * watchdog.c — the timer behind `wasmbox run --timeout` (run_options.h): a
 * thread that sleeps until the deadline on CLOCK_MONOTONIC, then interrupts
 * the guest, pokes the running thread out of blocking system calls with
 * SIGALRM, and as a last resort ends the process. Once started, SIGALRM
 * keeps its no-op handler for the life of the process.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/run_options.h"

/* How often the running thread is poked during the grace period. */
#define POKE_NS 200000000ull

struct WbWatchdog {
    pthread_t thread;
    pthread_t target; /* the thread running the guest */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    wb_store *store;
    uint64_t ns, grace_ns;
    int stop;  /* set by wbCliWatchdogStop */
    int fired; /* the deadline passed */
    int exit_status;
    char message[256];
};

static void on_alarm(int sig)
{
    (void)sig; /* only there so that blocking calls return EINTR */
}

static struct timespec deadline_after(uint64_t ns)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    uint64_t total = (uint64_t)t.tv_nsec + ns % 1000000000ull;
    t.tv_sec += (time_t)(ns / 1000000000ull + total / 1000000000ull);
    t.tv_nsec = (long)(total % 1000000000ull);
    return t;
}

/* Waits on w->wake until stop is set or the deadline passes; returns 1 on
 * stop. Called with w->lock held. */
static int wait_until(WbWatchdog *w, const struct timespec *deadline)
{
    while (!w->stop) {
        int rc = pthread_cond_timedwait(&w->wake, &w->lock, deadline);
        if (rc == ETIMEDOUT)
            return w->stop;
    }
    return 1;
}

static void *watch(void *arg)
{
    WbWatchdog *w = arg;
    pthread_mutex_lock(&w->lock);
    struct timespec deadline = deadline_after(w->ns);
    if (!wait_until(w, &deadline)) {
        w->fired = 1;
        wb_store_interrupt(w->store);
        uint64_t waited = 0;
        int stopped = 0;
        while (!stopped && waited < w->grace_ns) {
            pthread_kill(w->target, SIGALRM);
            struct timespec poke = deadline_after(POKE_NS);
            stopped = wait_until(w, &poke);
            waited += POKE_NS;
        }
        if (!stopped) {
            /* the guest is stuck in a host call: do not wait for it */
            size_t len = strlen(w->message);
            if (write(STDERR_FILENO, w->message, len) < 0 || write(STDERR_FILENO, "\n", 1) < 0) {
                /* nothing better to do: the exit status still says it */
            }
            _exit(w->exit_status);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

WbWatchdog *wbCliWatchdogStart(wb_store *store, uint64_t ns, uint64_t grace_ns,
                               const char *message, int exit_status)
{
    WbWatchdog *w = calloc(1, sizeof *w);
    if (!w) {
        fprintf(stderr, "wasmbox: out of memory\n");
        return NULL;
    }
    w->target = pthread_self();
    w->store = store;
    w->ns = ns;
    w->grace_ns = grace_ns;
    w->exit_status = exit_status;
    snprintf(w->message, sizeof w->message, "%s", message);

    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        if (rc == 0)
            rc = pthread_cond_init(&w->wake, &attr);
        pthread_condattr_destroy(&attr);
    }
    if (rc == 0) {
        rc = pthread_mutex_init(&w->lock, NULL);
        if (rc != 0)
            pthread_cond_destroy(&w->wake);
    }
    if (rc != 0) {
        fprintf(stderr, "wasmbox: cannot set up the timeout: %s\n", strerror(rc));
        free(w);
        return NULL;
    }

    /* SIGALRM interrupts blocking calls (no SA_RESTART) and does nothing else */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_sigmask(SIG_UNBLOCK, &alarm, NULL); /* in case it came blocked */

    rc = pthread_create(&w->thread, NULL, watch, w);
    if (rc != 0) {
        fprintf(stderr, "wasmbox: cannot start the timeout thread: %s\n", strerror(rc));
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        free(w);
        return NULL;
    }
    return w;
}

int wbCliWatchdogStop(WbWatchdog **watchdog)
{
    WbWatchdog *w = *watchdog;
    if (!w)
        return 0;
    *watchdog = NULL;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    int fired = w->fired;
    /* the no-op SIGALRM handler stays: a poke may still be on its way */
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w);
    return fired;
}
