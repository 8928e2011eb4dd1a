/*
 * metrics.h — the counters of `wasmbox serve` and their Prometheus text
 * exposition (format 0.0.4), served at /metrics on the admin address.
 * Updated and read by the event loop thread only.
 */
#ifndef WB_SERVE_METRICS_H
#define WB_SERVE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define WB_METRICS_BUCKETS 14

typedef struct wbMetrics {
    uint64_t by_status[600];        /* responses by status code */
    uint64_t latency[WB_METRICS_BUCKETS + 1]; /* per bucket (not cumulative), last +Inf */
    double latency_sum;             /* seconds */
    uint64_t latency_count;
    double busy_seconds;            /* workers running handlers */
    double instantiate_sum;         /* seconds */
    uint64_t instantiate_count;
    uint64_t fuel_total;
    uint64_t rejected_queue_full, rejected_connections;
    uint64_t connections_total;
} wbMetrics;

/* What the loop knows at the moment of a scrape. */
typedef struct wbMetricsGauges {
    unsigned workers, workers_busy;
    size_t queue_depth, queue_capacity;
    unsigned connections_open;
} wbMetricsGauges;

/* A response was sent: its status and how long since the request was whole. */
void wbMetricsResponse(wbMetrics *m, int status, uint64_t latency_ns);
/* A handler ran. */
void wbMetricsHandler(wbMetrics *m, uint64_t instantiate_ns, uint64_t run_ns, uint64_t fuel);

/* The exposition text: malloc'd, *len set; NULL when out of memory. */
char *wbMetricsText(const wbMetrics *m, const wbMetricsGauges *g, size_t *len);

#endif /* WB_SERVE_METRICS_H */
