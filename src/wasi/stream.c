/*
 * stream.c — memory-backed stdio streams (see stream.h): reads copy from
 * the caller's bytes, writes append to a buffer that grows by doubling up
 * to the stream's cap and is never shrunk, so steady traffic allocates
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "wasi/errno.h"
#include "wasi/stream.h"

/* The first allocation of an output buffer. */
#define MIN_ALLOC 4096u

void wbStreamInput(wbStream *s, const void *data, size_t len)
{
    wbStreamClear(s);
    s->active = 1;
    s->output = 0;
    s->in = data;
    s->in_len = data ? len : 0;
}

void wbStreamOutput(wbStream *s, size_t max)
{
    wbStreamClear(s);
    s->active = 1;
    s->output = 1;
    s->max = max;
}

void wbStreamClear(wbStream *s)
{
    s->active = 0;
    s->output = 0;
    s->in = NULL;
    s->in_len = s->in_pos = 0;
    s->len = 0;
    s->max = 0;
    s->overflowed = 0;
}

void wbStreamFree(wbStream *s)
{
    free(s->buf);
    memset(s, 0, sizeof *s);
}

uint16_t wbStreamRead(wbStream *s, const wbIovecs *io, uint64_t *n)
{
    *n = 0;
    if (s->output)
        return WASI_EBADF;
    for (int i = 0; i < io->n && s->in_pos < s->in_len; i++) {
        size_t left = s->in_len - s->in_pos;
        size_t take = io->v[i].iov_len < left ? io->v[i].iov_len : left;
        memcpy(io->v[i].iov_base, s->in + s->in_pos, take);
        s->in_pos += take;
        *n += take;
    }
    return WASI_ESUCCESS;
}

/* Makes room for `need` bytes in all (need <= s->max). */
static int reserve(wbStream *s, size_t need)
{
    if (need <= s->alloc)
        return 1;
    size_t n = s->alloc ? s->alloc : MIN_ALLOC;
    while (n < need && n <= SIZE_MAX / 2)
        n *= 2;
    if (n < need)
        n = need;
    if (n > s->max)
        n = s->max;
    uint8_t *p = realloc(s->buf, n);
    if (!p)
        return 0;
    s->buf = p;
    s->alloc = n;
    return 1;
}

uint16_t wbStreamWrite(wbStream *s, const wbIovecs *io, uint64_t *n)
{
    *n = 0;
    if (!s->output)
        return WASI_EBADF;
    size_t room = s->max - s->len;
    size_t take = io->total < room ? (size_t)io->total : room;
    if (!reserve(s, s->len + take)) {
        s->overflowed = 1;
        return WASI_ENOMEM;
    }
    size_t left = take;
    for (int i = 0; i < io->n && left; i++) {
        size_t k = io->v[i].iov_len < left ? io->v[i].iov_len : left;
        memcpy(s->buf + s->len, io->v[i].iov_base, k);
        s->len += k;
        left -= k;
    }
    *n = take;
    if (take < io->total) {
        s->overflowed = 1;
        return WASI_EFBIG;
    }
    return WASI_ESUCCESS;
}

uint64_t wbStreamAvailable(const wbStream *s)
{
    return s->output ? s->max - s->len : s->in_len - s->in_pos;
}
