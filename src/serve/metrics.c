/*
 * metrics.c — counting requests and handler runs, and writing them out in
 * the Prometheus text format (metrics.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "serve/metrics.h"

/* Upper bounds of the latency histogram's buckets, seconds. */
static const double aBucket[WB_METRICS_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                   0.005,  0.01,    0.025,  0.05,  0.1,
                                                   0.25,   0.5,     1,      5};

void wbMetricsResponse(wbMetrics *m, int status, uint64_t latency_ns)
{
    if (status >= 100 && status < 600)
        m->by_status[status]++;
    double s = (double)latency_ns / 1e9;
    int b = 0;
    while (b < WB_METRICS_BUCKETS && s > aBucket[b])
        b++;
    m->latency[b]++;
    m->latency_sum += s;
    m->latency_count++;
}

void wbMetricsHandler(wbMetrics *m, uint64_t instantiate_ns, uint64_t run_ns, uint64_t fuel)
{
    m->busy_seconds += (double)(instantiate_ns + run_ns) / 1e9;
    m->instantiate_sum += (double)instantiate_ns / 1e9;
    m->instantiate_count++;
    m->fuel_total += fuel;
}

typedef struct wbText {
    char *buf;
    size_t len, cap;
    int failed;
} wbText;

static void put(wbText *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(wbText *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = t->failed ? 0 : vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (t->failed || (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        char *bigger = realloc(t->buf, t->cap * 2);
        if (!bigger) {
            t->failed = 1;
            return;
        }
        t->buf = bigger;
        t->cap *= 2;
    }
}

char *wbMetricsText(const wbMetrics *m, const wbMetricsGauges *g, size_t *len)
{
    wbText t = {malloc(8192), 0, 8192, 0};
    if (!t.buf)
        return NULL;
    put(&t, "# HELP wasmbox_requests_total HTTP responses sent, by status code.\n"
            "# TYPE wasmbox_requests_total counter\n");
    for (int s = 100; s < 600; s++)
        if (m->by_status[s])
            put(&t, "wasmbox_requests_total{code=\"%d\"} %llu\n", s,
                (unsigned long long)m->by_status[s]);
    put(&t, "# HELP wasmbox_request_duration_seconds From a whole request to its response sent.\n"
            "# TYPE wasmbox_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (int b = 0; b < WB_METRICS_BUCKETS; b++) {
        cum += m->latency[b];
        put(&t, "wasmbox_request_duration_seconds_bucket{le=\"%g\"} %llu\n", aBucket[b],
            (unsigned long long)cum);
    }
    cum += m->latency[WB_METRICS_BUCKETS];
    put(&t, "wasmbox_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
        (unsigned long long)cum);
    put(&t, "wasmbox_request_duration_seconds_sum %.9f\n", m->latency_sum);
    put(&t, "wasmbox_request_duration_seconds_count %llu\n",
        (unsigned long long)m->latency_count);
    put(&t, "# HELP wasmbox_instantiate_seconds Creating a fresh sandbox for a request.\n"
            "# TYPE wasmbox_instantiate_seconds summary\n"
            "wasmbox_instantiate_seconds_sum %.9f\nwasmbox_instantiate_seconds_count %llu\n",
        m->instantiate_sum, (unsigned long long)m->instantiate_count);
    put(&t, "# HELP wasmbox_worker_busy_seconds_total Time workers spent running handlers.\n"
            "# TYPE wasmbox_worker_busy_seconds_total counter\n"
            "wasmbox_worker_busy_seconds_total %.9f\n", m->busy_seconds);
    put(&t, "# HELP wasmbox_handler_fuel_total Fuel burnt by handlers.\n"
            "# TYPE wasmbox_handler_fuel_total counter\nwasmbox_handler_fuel_total %llu\n",
        (unsigned long long)m->fuel_total);
    put(&t, "# HELP wasmbox_rejected_total Requests or connections turned away with 503.\n"
            "# TYPE wasmbox_rejected_total counter\n"
            "wasmbox_rejected_total{reason=\"queue_full\"} %llu\n"
            "wasmbox_rejected_total{reason=\"connections\"} %llu\n",
        (unsigned long long)m->rejected_queue_full,
        (unsigned long long)m->rejected_connections);
    put(&t, "# HELP wasmbox_connections_total Connections accepted.\n"
            "# TYPE wasmbox_connections_total counter\nwasmbox_connections_total %llu\n",
        (unsigned long long)m->connections_total);
    put(&t, "# HELP wasmbox_connections_open Client connections open now.\n"
            "# TYPE wasmbox_connections_open gauge\nwasmbox_connections_open %u\n",
        g->connections_open);
    put(&t, "# HELP wasmbox_queue_depth Requests waiting for a worker.\n"
            "# TYPE wasmbox_queue_depth gauge\nwasmbox_queue_depth %zu\n"
            "# HELP wasmbox_queue_capacity Requests the queue holds before 503.\n"
            "# TYPE wasmbox_queue_capacity gauge\nwasmbox_queue_capacity %zu\n",
        g->queue_depth, g->queue_capacity);
    put(&t, "# HELP wasmbox_workers Worker threads.\n# TYPE wasmbox_workers gauge\n"
            "wasmbox_workers %u\n"
            "# HELP wasmbox_workers_busy Workers running a handler now.\n"
            "# TYPE wasmbox_workers_busy gauge\nwasmbox_workers_busy %u\n",
        g->workers, g->workers_busy);
    if (t.failed) {
        free(t.buf);
        return NULL;
    }
    *len = t.len;
    return t.buf;
}
