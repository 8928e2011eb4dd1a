/*
 * deadlines.h — per-request time limits for the workers of `wasmbox serve`:
 * one thread watches a slot per worker; when a slot's deadline passes it
 * interrupts the store running there (the guest stops at its next loop
 * back-edge or call) and pokes the worker thread with SIGUSR1 so that a
 * host call blocked in the kernel (a sleep) returns EINTR. The pokes repeat
 * while the slot stays armed. Workers must have a SIGUSR1 handler
 * installed without SA_RESTART (wbDeadlinesNew installs a no-op one).
 */
#ifndef WB_SERVE_DEADLINES_H
#define WB_SERVE_DEADLINES_H

#include <stdint.h>

#include "wasmbox.h"

typedef struct wbDeadlines wbDeadlines;

wbDeadlines *wbDeadlinesNew(unsigned nslots);
void wbDeadlinesFree(wbDeadlines *d);

/* Monotonic clock, nanoseconds. */
uint64_t wbNowNs(void);

/* Called by the worker running `store` in `slot`: stop it at `deadline_ns`
 * (wbNowNs time; 0 = only when wbDeadlinesExpireAll is called). */
void wbDeadlinesArm(wbDeadlines *d, unsigned slot, wb_store *store, uint64_t deadline_ns);
/* The worker is done with the store: returns 1 when the deadline fired. */
int wbDeadlinesDisarm(wbDeadlines *d, unsigned slot);
/* Stops every armed store now, and any armed later (shutdown past its grace). */
void wbDeadlinesExpireAll(wbDeadlines *d);
/* 1 once wbDeadlinesExpireAll was called. */
int wbDeadlinesExpiredAll(wbDeadlines *d);

#endif /* WB_SERVE_DEADLINES_H */
