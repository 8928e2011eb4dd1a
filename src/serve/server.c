/*
 * server.c — the event loop of `wasmbox serve` (server.h). One thread owns
 * every connection: it reads requests and has them parsed (http_in.h: one
 * request at a time, so pipelined requests are answered in order), routes
 * them, queues them for the worker pool, and writes the responses that
 * come back through the pool's eventfd. Timeouts of slow clients are
 * enforced here, never in a worker. A connection whose request is out at a
 * worker is not read (its pipelined bytes wait in its buffer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "serve/deadlines.h"
#include "serve/http_in.h"
#include "serve/job.h"
#include "serve/metrics.h"
#include "serve/pool.h"
#include "serve/response.h"
#include "serve/server.h"
#include "serve/worker.h"

#define READ_CHUNK 65536
#define READS_PER_EVENT 4
#define ACCEPT_PAUSE_NS 100000000ull /* out of descriptors: accept again after this */
#define SWEEP_NS 50000000ull        /* timeouts are checked this often */
#define LINGER_NS 1000000000ull     /* reading what a client still sends after we closed */
#define FORCE_EXIT_NS 2000000000ull /* after the grace period, for interrupted guests */

enum { C_READING, C_BUSY, C_WRITING, C_LINGER };

typedef struct wbServer wbServer;

typedef struct wbConn {
    struct wbConn *prev, *next;
    wbServer *srv;
    int fd;    /* -1 once closed; the struct waits for its job to come back */
    int admin; /* on the metrics listener */
    int state;
    unsigned events; /* epoll interest now */
    wbHttpIn http;   /* the request being read */
    char *in;        /* bytes read and not yet parsed */
    size_t in_len, in_cap;
    int idle;        /* waiting for a request's first byte */
    int parsing;     /* inside process_input (which then goes on by itself) */
    int dead;        /* on the server's dead list, freed after this round */
    char remote_addr[64], server_addr[64];
    int remote_port, server_port;
    uint64_t deadline;
    int keep_alive, head_only, close_after;
    /* the response being written */
    wbServeJob *job;
    char *head;
    size_t head_len;
    struct iovec iov[2];
    int iovcnt;
    size_t sent;
} wbConn;

struct wbServer {
    const wbServeConfig *cfg;
    int ep, listen_fd, admin_fd, sig_fd;
    int tag_listen, tag_admin, tag_sig, tag_pool; /* epoll data: their addresses */
    wbPool *pool;
    wbDeadlines *deadlines;
    wbWorkerShared shared;
    wbApp *app;
    wbConn *conns;     /* open connections, and closed ones whose job is out */
    wbConn *dead;      /* closed: freed at the end of each round of events */
    unsigned nclients; /* open client connections (not admin) */
    size_t in_flight;  /* jobs out at the pool */
    wbMetrics metrics;
    int draining, expired;
    uint64_t drain_deadline;
    unsigned max_connections;     /* --max-connections, within the descriptor limit */
    int accept_paused;            /* listeners out of epoll until accept_resume */
    uint64_t accept_resume, accept_said;
};

static void start_write(wbConn *c, wbServeJob *job);
static void process_input(wbConn *c);

/* ---------------------------------------------------------------- helpers */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wasmbox serve: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void watch(wbServer *s, int fd, unsigned events, void *tag, int op)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.ptr = tag;
    epoll_ctl(s->ep, op, fd, &ev);
}

static void set_events(wbConn *c, unsigned events)
{
    if (c->fd >= 0 && c->events != events) {
        watch(c->srv, c->fd, events, c, EPOLL_CTL_MOD);
        c->events = events;
    }
}

/* ---------------------------------------------------------------- jobs */

/* A job for the request read so far (whole, or not after an error or a
 * timeout: then for the log line), which it takes out of the reader. */
static wbServeJob *new_job(wbConn *c)
{
    wbServeJob *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    job->conn = c;
    wbHttpInTake(&c->http, &job->req);
    memcpy(job->req.remote_addr, c->remote_addr, sizeof c->remote_addr);
    job->req.remote_port = c->remote_port;
    memcpy(job->req.server_addr, c->server_addr, sizeof c->server_addr);
    job->req.server_port = c->server_port;
    job->t_received = wbNowNs();
    job->route = -1;
    if (!job->req.host && !(job->req.host = strdup(c->server_addr))) {
        wbServeJobFree(job);
        return NULL;
    }
    return job;
}

static void close_conn(wbConn *c);

/* Answers with an error page made here; closes after it when close_after. */
static void respond_error(wbConn *c, int status, const char *message, const char *extra,
                          int close_after)
{
    wbServeJob *job = new_job(c);
    if (!job || !wbServeJobError(job, status, message, extra)) {
        wbServeJobFree(job);
        close_conn(c);
        return;
    }
    snprintf(job->note, sizeof job->note, "%s", message);
    if (close_after)
        c->close_after = 1;
    start_write(c, job);
}

/* GET /metrics on the admin listener. */
static void serve_admin(wbConn *c)
{
    wbServer *s = c->srv;
    if (strcmp(wbHttpInRequest(&c->http)->path, "/metrics") != 0) {
        respond_error(c, 404, "the admin address serves /metrics only", NULL, 0);
        return;
    }
    wbMetricsGauges g = {wbPoolWorkers(s->pool), wbPoolBusy(s->pool), wbPoolQueued(s->pool),
                         s->cfg->queue, s->nclients};
    wbServeJob *job = new_job(c);
    size_t len = 0;
    char *text = job ? wbMetricsText(&s->metrics, &g, &len) : NULL;
    wbHeader type = {"Content-Type", "text/plain; version=0.0.4; charset=utf-8"};
    if (job && text) {
        job->status = 200;
        job->body = (uint8_t *)text;
        job->body_len = len;
        job->head = wbResponseHead(200, NULL, &type, 1, NULL, len, &job->head_len);
    }
    if (!job || !job->head) {
        if (job)
            wbServeJobFree(job);
        else
            free(text);
        close_conn(c);
        return;
    }
    start_write(c, job);
}

/* A whole request was parsed: route it and queue it for a worker. */
static void dispatch(wbConn *c)
{
    wbServer *s = c->srv;
    if (c->admin) {
        serve_admin(c);
        return;
    }
    if (s->draining) {
        respond_error(c, 503, "the server is shutting down", "Retry-After: 1", 1);
        return;
    }
    long route = wbRoutesMatch(&s->app->routes, wbHttpInRequest(&c->http)->path);
    if (route < 0) {
        respond_error(c, 404, "no route matches this path", NULL, 0);
        return;
    }
    wbServeJob *job = new_job(c);
    if (!job) {
        close_conn(c);
        return;
    }
    job->app = s->app;
    wbAppRetain(s->app);
    job->route = route;
    if (!wbPoolSubmit(s->pool, &job->link)) {
        s->metrics.rejected_queue_full++;
        if (!wbServeJobError(job, 503, "the server is busy; try again", "Retry-After: 1")) {
            wbServeJobFree(job);
            close_conn(c);
            return;
        }
        snprintf(job->note, sizeof job->note, "queue full");
        start_write(c, job);
        return;
    }
    s->in_flight++;
    c->job = job;
    c->state = C_BUSY;
    /* EPOLLIN stays on: a client that waits for its answer (most) costs no
     * epoll_ctl; one that sends more meanwhile is muted when it does */
}

/* Parses what c->in holds, while the connection is reading requests. */
static void process_input(wbConn *c)
{
    c->parsing = 1;
    while (c->fd >= 0 && c->state == C_READING && c->in_len > 0) {
        wbHttpInResult res;
        size_t n = wbHttpInFeed(&c->http, c->in, c->in_len, &res);
        memmove(c->in, c->in + n, c->in_len - n);
        c->in_len -= n;
        if (wbHttpInBegun(&c->http))
            c->idle = 0;
        if (res.event == WB_HTTP_IN_ERROR) {
            char why[sizeof c->http.reason]; /* taking the request resets the reader */
            snprintf(why, sizeof why, "%s", res.reason);
            c->head_only = 0; /* not understood: no HEAD rule for its answer */
            respond_error(c, res.status, why, NULL, 1);
            break;
        }
        if (res.event == WB_HTTP_IN_CONTINUE) {
            static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
            ssize_t w = send(c->fd, go_on, sizeof go_on - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
            (void)w; /* the client sends the body anyway after a while */
            continue;
        }
        if (res.event == WB_HTTP_IN_REQUEST) {
            c->keep_alive = res.keep_alive;
            c->head_only = res.head_only;
            dispatch(c);
            continue; /* a pipelined request may follow once this one is answered */
        }
        if (n == 0)
            break;
    }
    c->parsing = 0;
}

/* ---------------------------------------------------------------- writing */

static void free_response(wbConn *c)
{
    free(c->head);
    c->head = NULL;
    c->iovcnt = 0;
    c->sent = 0;
}

/* The access log line of a finished response (stdout), or under --quiet
 * only failures (stderr). */
static void log_response(wbConn *c, const wbServeJob *job, uint64_t now)
{
    if (c->admin)
        return;
    const wbServeConfig *cfg = c->srv->cfg;
    if (cfg->quiet) {
        if (job->status >= 500 && job->note[0])
            say("%s %s: %d: %s", job->req.method, job->req.target ? job->req.target : "",
                job->status, job->note);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[40];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    char usage[64] = "fuel=- mem=-";
    if (job->app)
        snprintf(usage, sizeof usage, "fuel=%" PRIu64 " mem=%" PRIu64, job->fuel_used,
                 job->mem_bytes);
    printf("%s.%03ldZ %s \"%s %s HTTP/%d.%d\" %d %zu %.3fms %s%s%s%s\n", when,
           ts.tv_nsec / 1000000, job->req.remote_addr, job->req.method[0] ? job->req.method : "-",
           job->req.target ? job->req.target : "-", job->req.http_major, job->req.http_minor,
           job->status, c->head_only ? 0 : job->body_len,
           (double)(now - job->t_received) / 1e6, usage, job->note[0] ? " error=\"" : "",
           job->note, job->note[0] ? "\"" : "");
}

/* The response is out (or could not be sent): log it, then read the next
 * request, or close. */
static void finish_response(wbConn *c, int sent_all)
{
    wbServer *s = c->srv;
    wbServeJob *job = c->job;
    uint64_t now = wbNowNs();
    if (!c->admin)
        wbMetricsResponse(&s->metrics, job->status, now - job->t_received);
    log_response(c, job, now);
    int keep = sent_all && c->keep_alive && !c->close_after && !s->draining;
    wbServeJobFree(job);
    c->job = NULL;
    free_response(c);
    if (!keep) {
        if (sent_all) {
            /* read what the client still sends, so that closing does not
             * reset the connection before it has read our answer */
            shutdown(c->fd, SHUT_WR);
            c->state = C_LINGER;
            c->deadline = now + LINGER_NS;
            set_events(c, EPOLLIN);
            return;
        }
        close_conn(c);
        return;
    }
    c->state = C_READING;
    c->idle = c->in_len == 0;
    c->deadline = now + (c->idle ? s->cfg->idle_timeout_ns : s->cfg->read_timeout_ns);
    set_events(c, EPOLLIN);
    if (!c->parsing) /* else the process_input below us goes on with the next request */
        process_input(c);
}

/* Writes what is left of the response; waits for EPOLLOUT when the socket is full. */
static void flush_write(wbConn *c)
{
    while (c->iovcnt > 0) {
        ssize_t n = writev(c->fd, c->iov, c->iovcnt);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                set_events(c, EPOLLOUT);
                return;
            }
            finish_response(c, 0);
            return;
        }
        size_t left = (size_t)n;
        while (c->iovcnt > 0 && left >= c->iov[0].iov_len) {
            left -= c->iov[0].iov_len;
            c->iov[0] = c->iov[1];
            c->iovcnt--;
        }
        if (c->iovcnt > 0) {
            c->iov[0].iov_base = (char *)c->iov[0].iov_base + left;
            c->iov[0].iov_len -= left;
        }
        c->deadline = wbNowNs() + c->srv->cfg->write_timeout_ns;
    }
    finish_response(c, 1);
}

static void start_write(wbConn *c, wbServeJob *job)
{
    wbServer *s = c->srv;
    c->job = job;
    c->state = C_WRITING;
    int keep = c->keep_alive && !c->close_after && !s->draining;
    const char *tail = keep ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    size_t tlen = strlen(tail);
    c->head = malloc(job->head_len + tlen);
    if (!c->head) {
        finish_response(c, 0);
        return;
    }
    memcpy(c->head, job->head, job->head_len);
    memcpy(c->head + job->head_len, tail, tlen);
    c->head_len = job->head_len + tlen;
    c->iov[0].iov_base = c->head;
    c->iov[0].iov_len = c->head_len;
    c->iovcnt = 1;
    if (!c->head_only && job->body_len) {
        c->iov[1].iov_base = job->body;
        c->iov[1].iov_len = job->body_len;
        c->iovcnt = 2;
    }
    c->deadline = wbNowNs() + s->cfg->write_timeout_ns;
    flush_write(c);
}

/* ---------------------------------------------------------------- connections */

static void unlink_conn(wbConn *c)
{
    wbServer *s = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
}

static void free_conn(wbConn *c)
{
    wbHttpInFree(&c->http);
    free_response(c);
    if (c->job)
        wbServeJobFree(c->job);
    free(c->in);
    free(c);
}

/* Closes the socket. The struct moves to the dead list, freed when the
 * round of events ends (callers up the stack may still look at it), or,
 * while its job is out at a worker, when the job comes back. */
static void close_conn(wbConn *c)
{
    wbServer *s = c->srv;
    if (c->fd >= 0) {
        epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
        if (!c->admin)
            s->nclients--;
    }
    if (c->state != C_BUSY && !c->dead) {
        unlink_conn(c);
        c->dead = 1;
        c->next = s->dead;
        s->dead = c;
    }
}

static void reap(wbServer *s)
{
    while (s->dead) {
        wbConn *c = s->dead;
        s->dead = c->next;
        free_conn(c);
    }
}

static void on_readable(wbConn *c)
{
    if (c->state == C_LINGER) {
        char sink[4096];
        ssize_t n = 0;
        for (int k = 0; k < READS_PER_EVENT && (n = read(c->fd, sink, sizeof sink)) > 0; k++)
            ;
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            close_conn(c);
        return;
    }
    /* a few reads per readiness event: a client that pipelines without end
     * (answered here, 404s say) must not keep the loop from the others;
     * epoll is level-triggered, so what is left is seen next round */
    for (int k = 0; k < READS_PER_EVENT && c->fd >= 0 && c->state == C_READING; k++) {
        if (c->in_cap - c->in_len < READ_CHUNK / 4) {
            size_t cap = c->in_cap ? c->in_cap * 2 : READ_CHUNK;
            char *bigger = realloc(c->in, cap);
            if (!bigger) {
                close_conn(c);
                return;
            }
            c->in = bigger;
            c->in_cap = cap;
        }
        ssize_t n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) { /* end of file or a reset: the client is gone */
            close_conn(c);
            return;
        }
        if (c->idle) { /* a request starts: it must be whole within the read timeout */
            c->idle = 0;
            c->deadline = wbNowNs() + c->srv->cfg->read_timeout_ns;
        }
        c->in_len += (size_t)n;
        process_input(c);
    }
}

/* 503 to a connection over --max-connections, then close. */
static void refuse(int fd)
{
    static const char page[] = "503 Service Unavailable: too many connections\n";
    char msg[256];
    int n = snprintf(msg, sizeof msg,
                     "HTTP/1.1 503 Service Unavailable\r\nServer: wasmbox\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
                     "Retry-After: 1\r\nConnection: close\r\n\r\n%s",
                     sizeof page - 1, page);
    ssize_t w = send(fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)w;
    shutdown(fd, SHUT_WR);
    close(fd);
}

static void address_text(const struct sockaddr_storage *sa, char *buf, size_t n, int *port)
{
    buf[0] = '\0';
    *port = 0;
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, buf, (socklen_t)n);
        *port = ntohs(in->sin_port);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, buf, (socklen_t)n);
        *port = ntohs(in6->sin6_port);
    }
}

/* Out of descriptors (or memory): the listener stays readable, so it is
 * taken out of epoll for a moment rather than spun on; said at most once
 * a second. */
static void pause_accepting(wbServer *s, int lfd, int err)
{
    uint64_t now = wbNowNs();
    if (now >= s->accept_said + 1000000000ull) {
        say("cannot accept connections: %s (pausing accept for %llu ms)", strerror(err),
            (unsigned long long)(ACCEPT_PAUSE_NS / 1000000));
        s->accept_said = now;
    }
    epoll_ctl(s->ep, EPOLL_CTL_DEL, lfd, NULL);
    s->accept_paused = 1;
    s->accept_resume = now + ACCEPT_PAUSE_NS;
}

static void resume_accepting(wbServer *s)
{
    s->accept_paused = 0;
    if (s->listen_fd >= 0)
        watch(s, s->listen_fd, EPOLLIN, &s->tag_listen, EPOLL_CTL_ADD);
    if (s->admin_fd >= 0)
        watch(s, s->admin_fd, EPOLLIN, &s->tag_admin, EPOLL_CTL_ADD);
}

static void on_accept(wbServer *s, int lfd, int admin)
{
    for (;;) {
        struct sockaddr_storage peer;
        socklen_t plen = sizeof peer;
        int fd = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                pause_accepting(s, lfd, errno);
            return;
        }
        s->metrics.connections_total += !admin;
        if (!admin && s->nclients >= s->max_connections) {
            s->metrics.rejected_connections++;
            refuse(fd);
            continue;
        }
        wbConn *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->srv = s;
        c->fd = fd;
        c->admin = admin;
        c->state = C_READING;
        c->idle = 1;
        c->deadline = wbNowNs() + s->cfg->idle_timeout_ns;
        wbHttpInInit(&c->http, s->cfg->max_headers, s->cfg->max_body);
        address_text(&peer, c->remote_addr, sizeof c->remote_addr, &c->remote_port);
        struct sockaddr_storage local;
        socklen_t llen = sizeof local;
        if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
            address_text(&local, c->server_addr, sizeof c->server_addr, &c->server_port);
        c->next = s->conns;
        if (s->conns)
            s->conns->prev = c;
        s->conns = c;
        s->nclients += !admin;
        c->events = EPOLLIN;
        watch(s, fd, EPOLLIN, c, EPOLL_CTL_ADD);
    }
}

/* Jobs back from the workers: write their responses. */
static void on_jobs_done(wbServer *s)
{
    wbJob *list = wbPoolTakeDone(s->pool);
    while (list) {
        wbServeJob *job = (wbServeJob *)list;
        list = list->next;
        s->in_flight--;
        wbMetricsHandler(&s->metrics, job->instantiate_ns, job->run_ns, job->fuel_used);
        wbConn *c = job->conn;
        c->job = NULL;
        c->state = C_WRITING;
        if (c->fd < 0) { /* closed meanwhile */
            wbServeJobFree(job);
            close_conn(c);
            continue;
        }
        start_write(c, job);
    }
}

/* ---------------------------------------------------------------- timers, signals */

static void sweep(wbServer *s, uint64_t now)
{
    wbConn *next;
    for (wbConn *c = s->conns; c; c = next) {
        next = c->next;
        if (c->fd < 0 || c->state == C_BUSY || now < c->deadline)
            continue;
        if (c->state == C_READING && !c->idle && !s->expired) {
            c->head_only = 0; /* the request is not whole: no HEAD rule for the answer */
            respond_error(c, 408, "the request did not arrive within --read-timeout", NULL, 1);
        } else {
            close_conn(c);
        }
    }
}

static void start_drain(wbServer *s)
{
    if (s->draining)
        return;
    s->draining = 1;
    s->drain_deadline = wbNowNs() + s->cfg->grace_ns;
    say("shutting down: %zu request(s) in flight", s->in_flight);
    int *fds[] = {&s->listen_fd, &s->admin_fd};
    for (size_t i = 0; i < 2; i++) {
        if (*fds[i] >= 0) {
            epoll_ctl(s->ep, EPOLL_CTL_DEL, *fds[i], NULL);
            close(*fds[i]);
            *fds[i] = -1;
        }
    }
    wbConn *next;
    for (wbConn *c = s->conns; c; c = next) {
        next = c->next;
        if (c->fd >= 0 && c->state == C_READING && c->idle)
            close_conn(c);
    }
}

static void reload(wbServer *s)
{
    if (!s->cfg->reload) {
        say("SIGHUP: nothing to reload");
        return;
    }
    char why[512];
    wbApp *app = s->cfg->reload(s->cfg->reload_arg, why, sizeof why);
    if (!app) {
        say("reload failed, still serving the previous routes: %s", why);
        return;
    }
    wbAppRelease(s->app);
    s->app = app;
    say("reloaded: %zu route(s)", app->routes.n);
}

static void on_signal(wbServer *s)
{
    struct signalfd_siginfo si;
    while (read(s->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGHUP)
            reload(s);
        else
            start_drain(s);
    }
}

/* ---------------------------------------------------------------- set-up */

int wbServeParseAddress(const char *spec, struct sockaddr_storage *sa, socklen_t *salen,
                        char *why, size_t n)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || !colon[1]) {
        snprintf(why, n, "expected ADDR:PORT, e.g. 127.0.0.1:8080");
        return 0;
    }
    char host[256];
    size_t hlen = (size_t)(colon - spec);
    if (hlen >= sizeof host) {
        snprintf(why, n, "address too long");
        return 0;
    }
    memcpy(host, spec, hlen);
    host[hlen] = '\0';
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
        memmove(host, host + 1, hlen - 2);
        host[hlen - 2] = '\0';
    }
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || colon[1] < '0' || colon[1] > '9' || port < 0 || port > 65535) {
        snprintf(why, n, "the port must be a number from 0 to 65535");
        return 0;
    }
    /* numeric addresses only (and "localhost"): no name service in a static binary */
    memset(sa, 0, sizeof *sa);
    struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
    if (!host[0] || strcmp(host, "*") == 0)
        snprintf(host, sizeof host, "0.0.0.0");
    else if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *salen = sizeof *in4;
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *salen = sizeof *in6;
    } else {
        snprintf(why, n, "expected a numeric address (127.0.0.1, [::1], 0.0.0.0) or localhost");
        return 0;
    }
    return 1;
}

/* A listening socket on `spec` (checked by wbServeParseAddress); -1 with a
 * message. *shown is the address as printed, with the port the kernel
 * chose for port 0. */
static int open_listener(const char *spec, char *shown, size_t n)
{
    struct sockaddr_storage sa;
    socklen_t salen;
    char why[160];
    if (!wbServeParseAddress(spec, &sa, &salen, why, sizeof why)) {
        say("'%s': %s", spec, why);
        return -1;
    }
    int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, salen) != 0 || listen(fd, 1024) != 0) {
        say("cannot listen on %s: %s", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    char addr[64] = "";
    int p = 0;
    if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
        address_text(&bound, addr, sizeof addr, &p);
    snprintf(shown, n, bound.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d", addr, p);
    return fd;
}

static void *worker_start(void *arg, unsigned index)
{
    wbServer *s = arg;
    return wbWorkerNew(&s->shared, index);
}

static void worker_work(void *arg, void *worker, wbJob *job)
{
    (void)arg;
    wbServeJob *j = (wbServeJob *)job;
    if (worker)
        wbWorkerRun(worker, j);
    else if (!wbServeJobError(j, 500, "the worker has no sandbox (out of memory)", NULL))
        j->status = 500;
}

static void worker_end(void *arg, void *worker)
{
    (void)arg;
    wbWorkerFree(worker);
}

static void run_loop(wbServer *s)
{
    uint64_t next_sweep = 0;
    for (;;) {
        uint64_t now = wbNowNs();
        if (s->draining) {
            if (!s->conns)
                break;
            if (now >= s->drain_deadline && !s->expired) {
                say("grace period over: stopping %zu handler(s) still running", s->in_flight);
                wbDeadlinesExpireAll(s->deadlines);
                s->expired = 1;
                wbConn *next;
                for (wbConn *c = s->conns; c; c = next) {
                    next = c->next;
                    if (c->fd >= 0 && c->state != C_BUSY)
                        close_conn(c);
                }
            }
            if (now >= s->drain_deadline + FORCE_EXIT_NS)
                break;
        }
        if (s->accept_paused && now >= s->accept_resume && !s->draining)
            resume_accepting(s);
        if (now >= next_sweep) {
            sweep(s, now);
            next_sweep = now + SWEEP_NS;
        }
        struct epoll_event ev[64];
        int n = epoll_wait(s->ep, ev, 64, (int)(SWEEP_NS / 1000000));
        for (int i = 0; i < n; i++) {
            void *tag = ev[i].data.ptr;
            if (tag == &s->tag_listen)
                on_accept(s, s->listen_fd, 0);
            else if (tag == &s->tag_admin)
                on_accept(s, s->admin_fd, 1);
            else if (tag == &s->tag_sig)
                on_signal(s);
            else if (tag == &s->tag_pool)
                on_jobs_done(s);
            else {
                wbConn *c = tag;
                if (c->fd < 0)
                    continue; /* closed earlier in this round */
                if (c->state == C_WRITING)
                    flush_write(c);
                else if (c->state == C_READING || c->state == C_LINGER)
                    on_readable(c);
                else if (ev[i].events & (EPOLLERR | EPOLLHUP))
                    close_conn(c); /* reset while its job is out: the answer has nowhere to go */
                else
                    set_events(c, 0); /* bytes while busy: they wait until the answer is out */
            }
        }
        reap(s);
        fflush(stdout);
    }
}

int wbServe(const wbServeConfig *cfg)
{
    wbServer srv, *s = &srv;
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    s->app = cfg->app;
    s->listen_fd = s->admin_fd = s->sig_fd = -1;
    s->max_connections = cfg->max_connections;
    /* past the descriptor limit accept fails before the cap's 503 can be
     * sent: keep the cap under it, with room for listeners, modules, dirs */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
        rlim_t room = nofile.rlim_cur > 64 + 2 * (rlim_t)cfg->workers
                          ? nofile.rlim_cur - 64 - 2 * (rlim_t)cfg->workers
                          : 1;
        if (s->max_connections > room) {
            s->max_connections = (unsigned)room;
            say("--max-connections lowered to %u: the descriptor limit (ulimit -n) is %llu",
                s->max_connections, (unsigned long long)nofile.rlim_cur);
        }
    }
    int status = 1;
    signal(SIGPIPE, SIG_IGN);
    /* SIGTERM, SIGINT and SIGHUP arrive through a signalfd: block them here,
     * before the worker threads start (they inherit the mask) */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    char shown[300], admin_shown[300];
    s->ep = epoll_create1(EPOLL_CLOEXEC);
    s->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (s->ep < 0 || s->sig_fd < 0) {
        say("cannot set up the event loop: %s", strerror(errno));
        goto done;
    }
    s->listen_fd = open_listener(cfg->listen, shown, sizeof shown);
    if (s->listen_fd < 0)
        goto done;
    if (cfg->admin && (s->admin_fd = open_listener(cfg->admin, admin_shown,
                                                   sizeof admin_shown)) < 0)
        goto done;
    s->deadlines = wbDeadlinesNew(cfg->workers);
    s->shared.deadlines = s->deadlines;
    s->shared.max_response = cfg->max_response;
    wbPoolHooks hooks = {worker_start, worker_work, worker_end, s};
    if (s->deadlines)
        s->pool = wbPoolNew(cfg->workers, cfg->queue, &hooks);
    if (!s->pool) {
        say("cannot start %u worker threads", cfg->workers);
        goto done;
    }
    watch(s, s->listen_fd, EPOLLIN, &s->tag_listen, EPOLL_CTL_ADD);
    if (s->admin_fd >= 0)
        watch(s, s->admin_fd, EPOLLIN, &s->tag_admin, EPOLL_CTL_ADD);
    watch(s, s->sig_fd, EPOLLIN, &s->tag_sig, EPOLL_CTL_ADD);
    watch(s, wbPoolDoneFd(s->pool), EPOLLIN, &s->tag_pool, EPOLL_CTL_ADD);
    say("listening on http://%s (%u worker%s)", shown, cfg->workers,
        cfg->workers == 1 ? "" : "s");
    if (s->admin_fd >= 0)
        say("metrics on http://%s/metrics", admin_shown);

    run_loop(s);
    status = 0;
    say("stopped");
done:
    if (s->pool) {
        wbDeadlinesExpireAll(s->deadlines); /* anything still running stops now */
        wbPoolStop(s->pool);
        for (wbJob *j = wbPoolTakeDone(s->pool), *next; j; j = next) {
            next = j->next;
            wbServeJob *job = (wbServeJob *)j;
            ((wbConn *)job->conn)->job = NULL; /* the connection is freed below */
            wbServeJobFree(job);
        }
        wbPoolFree(s->pool);
    }
    while (s->conns) {
        wbConn *c = s->conns;
        c->state = C_WRITING; /* its job, if any, is freed above */
        close_conn(c);
    }
    reap(s);
    wbDeadlinesFree(s->deadlines);
    wbAppRelease(s->app);
    int fds[] = {s->listen_fd, s->admin_fd, s->sig_fd, s->ep};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    fflush(stdout);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return status;
}
