/*
 * stream.h — memory-backed stdio: guest fds 0-2 with no host descriptor
 * behind them. An input stream hands out the caller's bytes (not copied)
 * and then end-of-file; an output stream captures what the guest writes in
 * a buffer of its own, up to a cap. The context owns one stream per stdio
 * number and keeps each buffer's allocation from one world (wb_wasi_reset)
 * to the next, so a worker reusing its context stops allocating once its
 * buffers are as large as its largest output.
 */
#ifndef WASI_STREAM_H
#define WASI_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "wasi/guest_mem.h"

typedef struct wbStream {
    int active;            /* memory-backed in the current world */
    int output;            /* 1: captures writes; 0: feeds reads from `in` */
    /* input */
    const uint8_t *in;     /* the caller's bytes */
    size_t in_len, in_pos;
    /* output */
    uint8_t *buf;          /* len bytes captured, in an allocation of `alloc` */
    size_t len, alloc, max;
    int overflowed;        /* a write was cut short: past max, or out of memory */
} wbStream;

/* Makes s an input stream over data[0..len) (not copied), at its start. */
void wbStreamInput(wbStream *s, const void *data, size_t len);

/* Makes s an empty output stream capped at max bytes; its buffer's
 * allocation is kept. */
void wbStreamOutput(wbStream *s, size_t max);

/* Takes s out of the world: inactive, emptied, allocation kept. */
void wbStreamClear(wbStream *s);

/* Frees the buffer; s is left as zeroed. */
void wbStreamFree(wbStream *s);

/* Copies up to io->total of the input's bytes left into io; *n is how
 * many (0 at end-of-file). EBADF on an output stream. */
uint16_t wbStreamRead(wbStream *s, const wbIovecs *io, uint64_t *n);

/* Appends io's bytes; *n is how many were stored. A write that would pass
 * the cap stores what fits, marks the stream overflowed and fails with
 * EFBIG (as a write past RLIMIT_FSIZE does); when the buffer cannot grow
 * it stores nothing, marks it overflowed and fails with ENOMEM. EBADF on
 * an input stream. */
uint16_t wbStreamWrite(wbStream *s, const wbIovecs *io, uint64_t *n);

/* What poll_oneoff reports as nbytes: bytes left to read on an input
 * stream, room left under the cap on an output one. */
uint64_t wbStreamAvailable(const wbStream *s);

#endif /* WASI_STREAM_H */
