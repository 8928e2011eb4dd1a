/*
 * request.h — one whole HTTP request as the event loop parsed it, handed to
 * a worker, and the response a worker hands back. Plain data, owned by the
 * job that carries it.
 */
#ifndef WB_SERVE_REQUEST_H
#define WB_SERVE_REQUEST_H

#include <stddef.h>
#include <stdint.h>

typedef struct wbHeader {
    char *name;  /* as the client sent it */
    char *value; /* leading and trailing blanks removed */
} wbHeader;

typedef struct wbRequest {
    char method[24];      /* "GET", "POST", ... */
    char *target;         /* the request target as sent: "/path?query" */
    char *path;           /* target's path, percent-decoding NOT applied */
    char *query;          /* after '?', without it; "" when none */
    int http_major, http_minor;
    wbHeader *headers;
    size_t nheaders;
    uint8_t *body;        /* de-chunked */
    size_t body_len;
    char remote_addr[64]; /* client IP as text */
    int remote_port;
    char server_addr[64]; /* the local address the request came in on */
    int server_port;
    char *host;           /* Host header without port, or server_addr */
} wbRequest;

/* Frees every buffer the request points at (not r itself, which may live
 * in a job or on the stack) and leaves it zeroed. NULL is fine. */
void wbRequestFree(wbRequest *r);
/* The value of the first header named `name` (case-insensitive), or NULL. */
const char *wbRequestHeader(const wbRequest *r, const char *name);

#endif /* WB_SERVE_REQUEST_H */
