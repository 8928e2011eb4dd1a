/*
 * server.h — the HTTP front of `wasmbox serve`: an epoll event loop that
 * accepts connections, parses HTTP/1.1 (keep-alive, chunked bodies,
 * pipelined requests answered in order), enforces the connection-level
 * limits (body and header size, read/idle/write timeouts, a connection
 * cap), hands whole requests to the worker pool and writes the responses
 * back; a second listener serves /metrics. Signals: SIGTERM and SIGINT
 * drain and stop, SIGHUP reloads the app.
 */
#ifndef WB_SERVE_SERVER_H
#define WB_SERVE_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "serve/app.h"

typedef struct wbServeConfig {
    const char *listen;       /* "ADDR:PORT" */
    const char *admin;        /* "ADDR:PORT" of /metrics, or NULL */
    unsigned workers;
    size_t queue;             /* jobs waiting for a worker before 503 */
    unsigned max_connections;
    size_t max_body, max_headers, max_response;
    uint64_t read_timeout_ns, idle_timeout_ns, write_timeout_ns, grace_ns;
    int quiet;                /* no access log */
    wbApp *app;               /* taken over */
    /* SIGHUP: a fresh app (NULL with a reason in why: the old one stays) */
    wbApp *(*reload)(void *arg, char *why, size_t n);
    void *reload_arg;
} wbServeConfig;

/* Parses "ADDR:PORT": a numeric IPv4 address, "[IPv6]", "localhost", or
 * nothing (":8080": every address); port 0..65535. 0 with a reason. */
int wbServeParseAddress(const char *spec, struct sockaddr_storage *sa, socklen_t *salen,
                        char *why, size_t n);

/* Runs until SIGTERM/SIGINT and the drain that follows. Returns the exit
 * status: 0, or 1 when the server could not start (message printed). */
int wbServe(const wbServeConfig *config);

#endif /* WB_SERVE_SERVER_H */
