/*
 * run_options.h — support for `wasmbox run`: parsing and printing option
 * values — sizes ("64MiB"), durations ("500ms"), counts ("1000000") — in
 * run_options.c, and the watchdog thread behind --timeout in watchdog.c.
 */
#ifndef WB_CLI_RUN_OPTIONS_H
#define WB_CLI_RUN_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "wasmbox.h"

/*
 * SIZE: a whole number of bytes, optionally followed by a binary unit:
 * B, K or KiB (1024), M or MiB (1024^2), G or GiB (1024^3); letters in any
 * case ("65536", "512KiB", "64M", "1GiB"). Decimal units (KB, MB, GB) are
 * refused rather than guessed. Returns 1 and sets *bytes, or 0 when the
 * text is not a size or the value passes 2^64.
 */
int wbCliParseSize(const char *text, uint64_t *bytes);

/*
 * DURATION: a number, whole or with a decimal fraction, followed by a unit:
 * ms, s, m or h; a bare number is seconds ("500ms", "5s", "1.5s", "2m").
 * Returns 1 and sets *ns (nanoseconds), or 0 when the text is not a
 * duration or it passes about 584 years.
 */
int wbCliParseDuration(const char *text, uint64_t *ns);

/* COUNT: a whole decimal number ("1000000"). Returns 1 and sets *n, or 0. */
int wbCliParseCount(const char *text, uint64_t *n);

/* Writes bytes as "4GiB", "64MiB", "512KiB" when it is a whole number of
 * that unit, else "N bytes". Returns buf. */
char *wbCliFormatSize(uint64_t bytes, char *buf, size_t n);

/* ---------------------------------------------------------------- watchdog */

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
