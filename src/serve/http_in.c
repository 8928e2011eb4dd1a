/*
 * http_in.c — the HTTP/1.1 request reader (http_in.h): http-parser's
 * callbacks collect the request's parts into a wbRequest, counting them
 * against the limits; the parser is paused at the end of each message (and
 * after the headers of one that expects 100-continue), so one call never
 * runs past the request it completes. finish() then derives what the
 * parser leaves raw: method, version, trimmed values, path and query, host.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/http_in.h"

enum { S_READING, S_CONTINUE, S_WHOLE, S_FAILED };

/* Appends at[0..len) to the NUL-terminated *s (NULL: ""). 0 when out of memory. */
static int append(char **s, const char *at, size_t len)
{
    size_t old = *s ? strlen(*s) : 0;
    char *bigger = realloc(*s, old + len + 1);
    if (!bigger)
        return 0;
    memcpy(bigger + old, at, len);
    bigger[old + len] = '\0';
    *s = bigger;
    return 1;
}

/* A callback's failure: the status and reason Feed will report (the first
 * one found wins). Returns 1, for the callback to return. */
static int fail(wbHttpIn *in, int status, const char *reason)
{
    if (!in->status) {
        in->status = status;
        snprintf(in->reason, sizeof in->reason, "%s", reason);
    }
    return 1;
}

static int out_of_memory(wbHttpIn *in)
{
    return fail(in, 500, "out of memory");
}

/* Removes trailing blanks from every header value (the parser drops the
 * leading ones); gives a value to headers that got no value callback. */
static int trim_values(wbHttpIn *in)
{
    wbRequest *r = &in->req;
    for (size_t i = 0; i < r->nheaders; i++) {
        char *v = r->headers[i].value;
        if (!v && !(v = r->headers[i].value = calloc(1, 1)))
            return 0;
        size_t n = strlen(v);
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            v[--n] = '\0';
    }
    return 1;
}

/* ---------------------------------------------------------------- callbacks */

static int count_header_bytes(wbHttpIn *in, size_t len)
{
    in->header_bytes += len;
    if (in->header_bytes > in->max_headers)
        return fail(in, 431, "the request headers are larger than --max-headers");
    return 0;
}

static int on_message_begin(http_parser *p)
{
    wbHttpIn *in = p->data;
    in->begun = 1;
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    wbHttpIn *in = p->data;
    if (count_header_bytes(in, len))
        return 1;
    return append(&in->req.target, at, len) ? 0 : out_of_memory(in);
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    wbHttpIn *in = p->data;
    wbRequest *r = &in->req;
    if (count_header_bytes(in, len))
        return 1;
    if (r->nheaders == 0 || in->last_value) { /* a new header (else more of its name) */
        if (r->nheaders == WB_HTTP_IN_MAX_HEADERS)
            return fail(in, 431, "the request has more than 256 header fields");
        if (r->nheaders == in->hcap) {
            size_t cap = in->hcap ? in->hcap * 2 : 16;
            wbHeader *bigger = realloc(r->headers, cap * sizeof *bigger);
            if (!bigger)
                return out_of_memory(in);
            r->headers = bigger;
            in->hcap = cap;
        }
        r->headers[r->nheaders].name = NULL;
        r->headers[r->nheaders].value = NULL;
        r->nheaders++;
        in->last_value = 0;
    }
    return append(&r->headers[r->nheaders - 1].name, at, len) ? 0 : out_of_memory(in);
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
    wbHttpIn *in = p->data;
    wbRequest *r = &in->req;
    if (count_header_bytes(in, len))
        return 1;
    if (r->nheaders == 0) /* the parser calls the field first; be sure */
        return fail(in, 400, "malformed request (a header value without a name)");
    /* http-parser 2.9 checks every byte of a value but the first: a NUL,
     * an escape or a DEL there would reach the handler (and a NUL would cut
     * the value short, or not, depending on how the bytes arrived) */
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)at[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return fail(in, 400, "malformed request (invalid character in header)");
    }
    in->last_value = 1;
    return append(&r->headers[r->nheaders - 1].value, at, len) ? 0 : out_of_memory(in);
}

/* The headers are in: refuse a declared body over the limit before it is
 * sent, and pause for a client that waits for 100 Continue. */
static int on_headers_complete(http_parser *p)
{
    wbHttpIn *in = p->data;
    if (!trim_values(in)) {
        out_of_memory(in);
        return -1;
    }
    if (p->content_length != ULLONG_MAX && p->content_length > in->max_body) {
        fail(in, 413, "the request body is larger than --max-body");
        return -1;
    }
    const char *expect = wbRequestHeader(&in->req, "Expect");
    if (expect && strcasecmp(expect, "100-continue") == 0) {
        in->expect_continue = 1;
        http_parser_pause(p, 1);
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    wbHttpIn *in = p->data;
    wbRequest *r = &in->req;
    size_t max = in->max_body;
    if (len > max - r->body_len)
        return fail(in, 413, "the request body is larger than --max-body");
    if (r->body_len + len > in->body_cap) {
        size_t cap = in->body_cap ? in->body_cap : 4096;
        while (cap < r->body_len + len)
            cap *= 2;
        if (cap > max) /* >= body_len + len, checked above */
            cap = max;
        uint8_t *bigger = realloc(r->body, cap);
        if (!bigger)
            return out_of_memory(in);
        r->body = bigger;
        in->body_cap = cap;
    }
    memcpy(r->body + r->body_len, at, len);
    r->body_len += len;
    return 0;
}

static int on_message_complete(http_parser *p)
{
    wbHttpIn *in = p->data;
    in->state = S_WHOLE;
    in->keep_alive = http_should_keep_alive(p);
    http_parser_pause(p, 1); /* one request at a time: the caller keeps the rest */
    return 0;
}

static const http_parser_settings aSettings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* ---------------------------------------------------------------- a whole request */

/* Host without its port: "example.com:8080" → "example.com", "[::1]:80" →
 * "[::1]"; NULL (for the caller to fill in) when absent or empty. */
static int set_host(wbRequest *r)
{
    const char *host = wbRequestHeader(r, "Host");
    if (!host || !*host)
        return 1;
    size_t n = strlen(host);
    const char *colon = host[0] == '[' ? strchr(host, ']') : strrchr(host, ':');
    if (colon && host[0] == '[')
        n = (size_t)(colon - host) + 1;
    else if (colon)
        n = (size_t)(colon - host);
    r->host = strndup(host, n);
    return r->host != NULL;
}

/* Method, version, trimmed values (trailers included), path and query,
 * host. 0 when out of memory. */
static int finish(wbHttpIn *in)
{
    wbRequest *r = &in->req;
    if (!trim_values(in))
        return 0;
    snprintf(r->method, sizeof r->method, "%s",
             http_method_str((enum http_method)in->parser.method));
    r->http_major = in->parser.http_major;
    r->http_minor = in->parser.http_minor;
    if (!r->target && !(r->target = calloc(1, 1)))
        return 0;
    const char *t = r->target;
    const char *scheme = strstr(t, "://");
    if (t[0] != '/' && t[0] != '*' && scheme) /* absolute form: http://host[:port]... */
        t = scheme + 3 + strcspn(scheme + 3, "/?"); /* a '/' in the query is not the path */
    const char *q = strchr(t, '?');
    size_t plen = q ? (size_t)(q - t) : strlen(t);
    r->path = plen ? strndup(t, plen) : strdup("/"); /* "http://host" and "http://host?x" */
    r->query = strdup(q ? q + 1 : "");
    return r->path && r->query && set_host(r);
}

/* ---------------------------------------------------------------- API */

void wbHttpInInit(wbHttpIn *in, size_t max_headers, size_t max_body)
{
    memset(in, 0, sizeof *in);
    http_parser_init(&in->parser, HTTP_REQUEST);
    in->parser.data = in;
    in->max_headers = max_headers;
    in->max_body = max_body;
    in->state = S_READING;
}

void wbHttpInFree(wbHttpIn *in)
{
    wbRequestFree(&in->req);
    in->hcap = in->body_cap = 0;
}

const wbRequest *wbHttpInRequest(const wbHttpIn *in)
{
    return &in->req;
}

int wbHttpInBegun(const wbHttpIn *in)
{
    return in->begun;
}

/* The result of a reader that failed. */
static void failed(wbHttpIn *in, wbHttpInResult *res)
{
    in->state = S_FAILED;
    res->event = WB_HTTP_IN_ERROR;
    res->status = in->status;
    res->reason = in->reason;
}

/* The result of a reader holding a whole request. */
static void whole(const wbHttpIn *in, wbHttpInResult *res)
{
    res->event = WB_HTTP_IN_REQUEST;
    res->keep_alive = in->keep_alive;
    res->head_only = in->parser.method == HTTP_HEAD;
    res->expect_continue = in->expect_continue;
}

size_t wbHttpInFeed(wbHttpIn *in, const char *data, size_t len, wbHttpInResult *res)
{
    memset(res, 0, sizeof *res);
    if (in->state == S_FAILED) {
        failed(in, res);
        return 0;
    }
    if (in->state == S_WHOLE) { /* not taken yet */
        whole(in, res);
        return 0;
    }
    if (in->state == S_CONTINUE) { /* 100 Continue was reported: go on with the body */
        http_parser_pause(&in->parser, 0);
        in->state = S_READING;
    }
    res->event = WB_HTTP_IN_MORE;
    if (len == 0) /* http-parser would take it for the end of the input */
        return 0;
    size_t n = http_parser_execute(&in->parser, &aSettings, data, len);
    if (n > len)
        n = len;
    enum http_errno e = HTTP_PARSER_ERRNO(&in->parser);
    if (!in->status) { /* else a callback found it: over a limit, out of memory */
        if (e == HPE_HEADER_OVERFLOW) { /* http-parser's own limit, 80 KiB */
            fail(in, 431, "the request headers are larger than --max-headers");
        } else if (e != HPE_OK && e != HPE_PAUSED) {
            char msg[sizeof in->reason];
            snprintf(msg, sizeof msg, "malformed request (%s)", http_errno_description(e));
            fail(in, 400, msg);
        } else if (in->state == S_WHOLE && !finish(in)) {
            out_of_memory(in);
        }
    }
    if (in->status) {
        failed(in, res);
    } else if (in->state == S_WHOLE) {
        whole(in, res);
    } else if (e == HPE_PAUSED) { /* only on_headers_complete pauses before the end */
        in->state = S_CONTINUE;
        res->event = WB_HTTP_IN_CONTINUE;
    }
    return n;
}

void wbHttpInTake(wbHttpIn *in, wbRequest *out)
{
    *out = in->req;
    memset(&in->req, 0, sizeof in->req);
    if (in->state == S_WHOLE) { /* the parser waits at the start of the next message */
        http_parser_pause(&in->parser, 0);
        in->header_bytes = in->hcap = in->body_cap = 0;
        in->begun = in->last_value = in->expect_continue = in->keep_alive = 0;
        in->state = S_READING;
    } else {
        wbHttpInInit(in, in->max_headers, in->max_body);
    }
}
