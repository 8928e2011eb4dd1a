/*
 * job.h — one request's trip through `wasmbox serve`: the event loop fills
 * in the request and its route, a worker runs the handler and fills in the
 * response (an HTTP head without its Connection header and final blank
 * line, which the loop adds, and the body) and what happened.
 */
#ifndef WB_SERVE_JOB_H
#define WB_SERVE_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "serve/app.h"
#include "serve/pool.h"
#include "serve/request.h"

typedef struct wbServeJob {
    wbJob link;
    void *conn;          /* the connection it came on (the loop's) */
    wbApp *app;          /* a reference, released with the job */
    long route;          /* index in app->routes */
    wbRequest req;
    uint64_t t_received; /* wbNowNs when the request was complete */
    /* filled in by the worker */
    int status;
    char *head;          /* "HTTP/1.1 200 OK\r\n...": every header but Connection */
    size_t head_len;
    uint8_t *body;
    size_t body_len;
    char note[320];      /* what went wrong, for the log; "" when all went well */
    uint64_t fuel_used;  /* fuel the handler burnt */
    uint64_t mem_bytes;  /* its linear memory at the end */
    uint64_t instantiate_ns, run_ns;
} wbServeJob;

/* Frees the request and response and drops the app reference; then the job. */
void wbServeJobFree(wbServeJob *job);

/* Sets the job's response to an error page: status, and a text/plain body
 * "STATUS REASON: message\n". extra_header ("Retry-After: 1") may be NULL.
 * Returns 0 when out of memory (the job then has no head). */
int wbServeJobError(wbServeJob *job, int status, const char *message, const char *extra_header);

#endif /* WB_SERVE_JOB_H */
