/*
 * run_options.h — support for `wasmbox run`: the watchdog thread behind
 * --timeout, in watchdog.c. (The option values — sizes, durations, counts —
 * are parsed by the sandbox policy: src/sandbox/policy.h.)
 */
#ifndef WB_CLI_RUN_OPTIONS_H
#define WB_CLI_RUN_OPTIONS_H

#include <stdint.h>

#include "wasmbox.h"

typedef struct WbWatchdog WbWatchdog;

/*
 * Starts a thread that, `ns` nanoseconds from now, stops the guest running
 * in `store`: it calls wb_store_interrupt (the guest stops at its next loop
 * back-edge or call) and sends SIGALRM, with a handler that does nothing, to
 * the calling thread, so that a host call blocked in the kernel (a read of
 * stdin, a sleep) returns early. A guest still running `grace_ns` later —
 * stuck in a host call that ignores the signal — is not waited for: the
 * watchdog prints `message` (one line) on stderr and ends the process with
 * `exit_status`. Returns NULL, with a message printed, when the thread
 * cannot be started.
 */
WbWatchdog *wbCliWatchdogStart(wb_store *store, uint64_t ns, uint64_t grace_ns,
                               const char *message, int exit_status);

/* Stops and frees *watchdog (NULL is fine) and sets it to NULL. Returns 1
 * when the watchdog had fired, else 0. */
int wbCliWatchdogStop(WbWatchdog **watchdog);

#endif /* WB_CLI_RUN_OPTIONS_H */
