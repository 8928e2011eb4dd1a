/*
 * wasi_clock_poll.c — clocks and waiting: clock_res_get, clock_time_get
 * (realtime, monotonic, process and thread CPU time) and poll_oneoff
 * (clock subscriptions, relative or absolute, and fd_read / fd_write
 * readiness; regular files and streams in memory are always ready,
 * anything else is asked with ppoll, which also sleeps until the nearest
 * clock deadline).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi/errno.h"
#include "wasi/wasi_impl.h"
#include "wasi/wasi_stat.h"

/* The host clock of a WASI clockid, or -1. */
static int host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case WASI_CLOCKID_REALTIME: *out = CLOCK_REALTIME; return 0;
    case WASI_CLOCKID_MONOTONIC: *out = CLOCK_MONOTONIC; return 0;
    case WASI_CLOCKID_PROCESS_CPUTIME_ID: *out = CLOCK_PROCESS_CPUTIME_ID; return 0;
    case WASI_CLOCKID_THREAD_CPUTIME_ID: *out = CLOCK_THREAD_CPUTIME_ID; return 0;
    }
    return -1;
}

static uint64_t now_ns(clockid_t clk)
{
    struct timespec ts = {0, 0};
    clock_gettime(clk, &ts);
    return wbWasiNanos(&ts);
}

/* clock_res_get(id) -> timestamp */
static uint16_t clock_res_get(wbWasiCall *c)
{
    clockid_t clk;
    if (host_clock(WB_ARG32(c, 0), &clk))
        return WASI_EINVAL;
    uint32_t ret = WB_ARG32(c, 1);
    if (wbMemCheck(&c->mem, ret, 8))
        return WASI_EFAULT;
    struct timespec ts;
    if (clock_getres(clk, &ts) != 0)
        return wbWasiErrno(errno);
    uint64_t ns = wbWasiNanos(&ts);
    return wbMemPutU64(&c->mem, ret, ns ? ns : 1);
}

/* clock_time_get(id, precision: timestamp) -> timestamp */
static uint16_t clock_time_get(wbWasiCall *c)
{
    clockid_t clk;
    if (host_clock(WB_ARG32(c, 0), &clk))
        return WASI_EINVAL;
    uint32_t ret = WB_ARG32(c, 2);
    if (wbMemCheck(&c->mem, ret, 8))
        return WASI_EFAULT;
    struct timespec ts;
    if (clock_gettime(clk, &ts) != 0)
        return wbWasiErrno(errno);
    return wbMemPutU64(&c->mem, ret, wbWasiNanos(&ts));
}

/* ------------------------------------------------------------ poll_oneoff */

/* One subscription as read from the guest, and what became of it. */
typedef struct Sub {
    uint64_t userdata;
    uint8_t type;      /* eventtype */
    clockid_t clock;   /* clock: the host clock */
    uint64_t deadline; /* clock: absolute, in that clock's nanoseconds */
    int pfd;           /* fd: index in the pollfd array, or -1 */
    /* the event, once it happened */
    int fired;
    uint16_t error;
    uint64_t nbytes;
    uint16_t flags;
} Sub;

/* Reads subscription i; returns EINVAL for an unknown tag. A subscription
 * that fails on its own (bad fd, unknown clock) fires now with its error;
 * a regular file or a stream in memory fires now too. */
static uint16_t read_sub(wbWasiCall *c, uint64_t at, Sub *s, struct pollfd *pfds, nfds_t *npfds)
{
    uint8_t tag;
    memset(s, 0, sizeof *s);
    s->pfd = -1;
    wbMemGetU64(&c->mem, at, &s->userdata);
    wbMemGetU8(&c->mem, at + 8, &tag);
    s->type = tag;
    if (tag == WASI_EVENTTYPE_CLOCK) {
        uint32_t id;
        uint64_t timeout;
        uint16_t flags;
        wbMemGetU32(&c->mem, at + 16, &id);
        wbMemGetU64(&c->mem, at + 24, &timeout);
        wbMemGetU16(&c->mem, at + 40, &flags);
        if (id == WASI_CLOCKID_PROCESS_CPUTIME_ID || id == WASI_CLOCKID_THREAD_CPUTIME_ID) {
            s->fired = 1; /* sleeping does not spend CPU time: it could never fire */
            s->error = WASI_ENOTSUP;
        } else if (host_clock(id, &s->clock)) {
            s->fired = 1;
            s->error = WASI_EINVAL;
        } else if (flags & WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) {
            s->deadline = timeout;
        } else {
            uint64_t now = now_ns(s->clock);
            s->deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
        }
        return WASI_ESUCCESS;
    }
    if (tag != WASI_EVENTTYPE_FD_READ && tag != WASI_EVENTTYPE_FD_WRITE)
        return WASI_EINVAL;
    uint32_t fd;
    wbMemGetU32(&c->mem, at + 16, &fd);
    wbFd *e;
    uint16_t err = wbFdGet(&c->wasi->fds, fd, WASI_RIGHTS_POLL_FD_READWRITE, &e);
    if (err) {
        s->fired = 1;
        s->error = err;
        return WASI_ESUCCESS;
    }
    if (e->kind == WB_FD_MEMORY) {
        /* never blocks: stdin holds what is left (at its end it reads as a
         * pipe whose writer has closed), stdout and stderr the room left
         * under their cap; the other direction is no stream at all */
        s->fired = 1;
        if ((tag == WASI_EVENTTYPE_FD_WRITE) != e->stream->output)
            s->error = WASI_EBADF;
        else if ((s->nbytes = wbStreamAvailable(e->stream)) == 0 && !e->stream->output)
            s->flags = WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP;
        return WASI_ESUCCESS;
    }
    if (e->filetype == WASI_FILETYPE_REGULAR_FILE || e->filetype == WASI_FILETYPE_DIRECTORY) {
        s->fired = 1; /* never blocks */
        struct stat st;
        off_t pos = lseek(e->host, 0, SEEK_CUR);
        if (tag == WASI_EVENTTYPE_FD_READ && pos >= 0 && fstat(e->host, &st) == 0 &&
            st.st_size > pos)
            s->nbytes = (uint64_t)(st.st_size - pos);
        return WASI_ESUCCESS;
    }
    s->pfd = (int)*npfds;
    pfds[*npfds].fd = e->host;
    pfds[*npfds].events = tag == WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
    pfds[*npfds].revents = 0;
    ++*npfds;
    return WASI_ESUCCESS;
}

/* Marks the subscriptions whose fd or deadline is ready; returns how many
 * have fired in all. */
static uint32_t collect(Sub *subs, uint32_t n, const struct pollfd *pfds)
{
    uint32_t fired = 0;
    for (uint32_t i = 0; i < n; i++) {
        Sub *s = &subs[i];
        if (!s->fired && s->pfd >= 0) {
            short re = pfds[s->pfd].revents;
            if (re & POLLNVAL) {
                s->fired = 1;
                s->error = WASI_EBADF;
            } else if (re & (POLLHUP | POLLERR)) {
                s->fired = 1;
                s->flags = WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP;
            } else if (re & (POLLIN | POLLOUT)) {
                s->fired = 1;
                int avail = 0;
                if (s->type == WASI_EVENTTYPE_FD_READ &&
                    ioctl(pfds[s->pfd].fd, FIONREAD, &avail) == 0 && avail > 0)
                    s->nbytes = (uint64_t)avail;
            }
        } else if (!s->fired && s->type == WASI_EVENTTYPE_CLOCK) {
            if (now_ns(s->clock) >= s->deadline)
                s->fired = 1;
        }
        fired += s->fired != 0;
    }
    return fired;
}

/* How long until the nearest pending clock deadline: 0 when something has
 * fired, -1 (forever) when nothing but fds is pending. */
static int64_t wait_ns(const Sub *subs, uint32_t n)
{
    int64_t best = -1;
    for (uint32_t i = 0; i < n; i++) {
        if (subs[i].fired)
            return 0;
        if (subs[i].type != WASI_EVENTTYPE_CLOCK)
            continue;
        uint64_t now = now_ns(subs[i].clock);
        uint64_t left = subs[i].deadline > now ? subs[i].deadline - now : 0;
        if (left > INT64_MAX)
            left = INT64_MAX;
        if (best < 0 || (int64_t)left < best)
            best = (int64_t)left;
    }
    return best;
}

/* poll_oneoff(in: subscription array, out: event array, nsubscriptions) -> size */
static uint16_t poll_oneoff(wbWasiCall *c)
{
    uint32_t in = WB_ARG32(c, 0), out = WB_ARG32(c, 1), n = WB_ARG32(c, 2), ret = WB_ARG32(c, 3);
    if (n == 0)
        return WASI_EINVAL;
    if (wbMemCheck(&c->mem, in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE) ||
        wbMemCheck(&c->mem, out, (uint64_t)n * WASI_EVENT_SIZE) || wbMemCheck(&c->mem, ret, 4))
        return WASI_EFAULT;
    Sub *subs = calloc(n, sizeof *subs);
    struct pollfd *pfds = calloc(n, sizeof *pfds);
    uint16_t err = WASI_ESUCCESS;
    if (!subs || !pfds)
        err = WASI_ENOMEM;
    nfds_t npfds = 0;
    for (uint32_t i = 0; !err && i < n; i++)
        err = read_sub(c, in + (uint64_t)i * WASI_SUBSCRIPTION_SIZE, &subs[i], pfds, &npfds);
    uint32_t fired = 0;
    while (!err && fired == 0) {
        /* wait for the nearest deadline, or just look when something fired */
        int64_t ns = wait_ns(subs, n);
        if (npfds || ns != 0) {
            struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
            /* EINTR goes back to the guest (see wasmbox_wasi.h) */
            if (ppoll(npfds ? pfds : NULL, npfds, ns < 0 ? NULL : &ts, NULL) < 0) {
                err = wbWasiErrno(errno);
                break;
            }
        }
        fired = collect(subs, n, pfds);
    }
    if (!err) {
        /* the events, in subscription order */
        uint64_t at = out;
        for (uint32_t i = 0; i < n; i++) {
            const Sub *s = &subs[i];
            if (!s->fired)
                continue;
            uint8_t ev[WASI_EVENT_SIZE] = {0};
            for (unsigned b = 0; b < 8; b++) {
                ev[b] = (uint8_t)(s->userdata >> (8 * b));
                ev[16 + b] = (uint8_t)(s->nbytes >> (8 * b));
            }
            ev[8] = (uint8_t)s->error;
            ev[9] = (uint8_t)(s->error >> 8);
            ev[10] = s->type;
            ev[24] = (uint8_t)s->flags;
            ev[25] = (uint8_t)(s->flags >> 8);
            wbMemWrite(&c->mem, at, ev, sizeof ev);
            at += WASI_EVENT_SIZE;
        }
        wbMemPutU32(&c->mem, ret, fired);
    }
    free(subs);
    free(pfds);
    return err;
}

const wbWasiFunc wbWasiClockPollFuncs[] = {
    {"clock_res_get", "ii", 0, clock_res_get},
    {"clock_time_get", "iIi", 0, clock_time_get},
    {"poll_oneoff", "iiii", 0, poll_oneoff},
};
const size_t wbWasiClockPollFuncCount = sizeof wbWasiClockPollFuncs / sizeof wbWasiClockPollFuncs[0];
