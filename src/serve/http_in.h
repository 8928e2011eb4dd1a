/*
 * http_in.h — the HTTP/1.1 request reader of `wasmbox serve`: bytes in, in
 * pieces of any size, whole requests (request.h) out, one at a time.
 * Built on http-parser (paused at the end of each message, so pipelined
 * bytes are left for the next request), with the server's limits on the
 * request line and headers (431) and on the body (413, refused from
 * Content-Length before any of it is read). It does no I/O: the event loop
 * reads, writes, and decides what to answer; a unit test or a fuzzer can
 * drive it alone.
 *
 *     wbHttpIn in;
 *     wbHttpInInit(&in, max_headers, max_body);
 *     for each piece of input, until it is all consumed:
 *         n = wbHttpInFeed(&in, data, len, &res);   // data += n, len -= n
 *         MORE: read more; CONTINUE: send "100 Continue", feed on;
 *         REQUEST: look at wbHttpInRequest(&in), wbHttpInTake it, feed on;
 *         ERROR: answer res.status with res.reason, close the connection.
 *     wbHttpInFree(&in);
 */
#ifndef WB_SERVE_HTTP_IN_H
#define WB_SERVE_HTTP_IN_H

#include <http_parser.h>
#include <stddef.h>

#include "serve/request.h"

/* What wbHttpInFeed stopped at. */
typedef enum wbHttpInEvent {
    WB_HTTP_IN_MORE,     /* every byte given was consumed; the request is not whole */
    WB_HTTP_IN_CONTINUE, /* its headers are in, with "Expect: 100-continue": the client
                            may wait for "HTTP/1.1 100 Continue" before it sends the
                            body. Reported once per request, then feed on */
    WB_HTTP_IN_REQUEST,  /* one request is whole; bytes after it are not consumed */
    WB_HTTP_IN_ERROR     /* the request is refused: answer status, then close */
} wbHttpInEvent;

typedef struct wbHttpInResult {
    wbHttpInEvent event;
    /* WB_HTTP_IN_REQUEST: */
    int keep_alive;      /* the connection may carry another request (HTTP/1.1
                            without "Connection: close", or HTTP/1.0 with
                            "Connection: keep-alive") */
    int head_only;       /* a HEAD request: the response has no body */
    int expect_continue; /* it asked "Expect: 100-continue" (already reported
                            as WB_HTTP_IN_CONTINUE) */
    /* WB_HTTP_IN_ERROR: */
    int status;          /* 400 malformed, 413 body over max_body, 431 request
                            line and headers over max_headers, 500 out of memory */
    const char *reason;  /* one line for the client, e.g. "malformed request
                            (invalid character in header)"; points into the
                            reader: valid until the next wbHttpInFeed,
                            wbHttpInTake, wbHttpInInit or wbHttpInFree */
} wbHttpInResult;

/* The reader. Its fields are private; it is a struct so that it can live
 * inside a connection without an allocation of its own. */
typedef struct wbHttpIn {
    http_parser parser;
    wbRequest req;              /* being built */
    size_t max_headers, max_body;
    size_t header_bytes;        /* target, header names and values so far */
    size_t hcap, body_cap;      /* allocated entries of req.headers, bytes of req.body */
    int state;                  /* reading, paused for 100-continue, whole, failed */
    int begun;                  /* the request's first byte was seen */
    int last_value;             /* the last header callback was a value */
    int expect_continue;
    int keep_alive;
    int status;                 /* the error, once found (res.status) */
    char reason[160];
} wbHttpIn;

/* Header fields a request may have (431 past it): what handlers are given
 * is built by comparing names, so their number is kept small. */
#define WB_HTTP_IN_MAX_HEADERS 256

/*
 * A reader for a new connection: a request line and headers of at most
 * max_headers bytes (the target, header names and values, counted as sent;
 * not the method, version, blanks and line ends) and WB_HTTP_IN_MAX_HEADERS
 * fields, and a body of at most max_body bytes after de-chunking. Allocates
 * nothing until fed.
 */
void wbHttpInInit(wbHttpIn *in, size_t max_headers, size_t max_body);

/* Frees the request being built (not `in` itself). Then the reader may be
 * initialised again, or dropped. */
void wbHttpInFree(wbHttpIn *in);

/*
 * Parses data[0..len), and returns how many of those bytes it consumed
 * (never more than len); the caller keeps the others and passes them again,
 * followed by what arrives next. res says why it stopped:
 *
 *   MORE      all len bytes were consumed (also when len is 0: the end of
 *             the input is not signalled here; a connection that ends
 *             mid-request is just closed);
 *   CONTINUE  the headers were read (some bytes may remain): answer 100
 *             and call again with the rest;
 *   REQUEST   a request is whole: it stays in the reader (wbHttpInRequest)
 *             until wbHttpInTake. Until then, feeding consumes nothing and
 *             reports it again;
 *   ERROR     the request is refused (status, reason). The reader stays
 *             failed: feeding consumes nothing and reports the same error,
 *             until wbHttpInTake or wbHttpInInit. A connection must not
 *             carry on after it (its framing is lost).
 *
 * A request may arrive in pieces cut anywhere: the result is the same as
 * for one piece. (But input that is both malformed and over a limit may be
 * refused with either status, 400 or 413/431, depending on which of the
 * two the pieces show first.)
 */
size_t wbHttpInFeed(wbHttpIn *in, const char *data, size_t len, wbHttpInResult *res);

/* The request being built. Once REQUEST was reported, the whole request
 * as wbHttpInTake will hand it out (every field but the addresses). */
const wbRequest *wbHttpInRequest(const wbHttpIn *in);

/* The first byte of a request was seen and that request was not yet taken
 * (blank lines between requests do not count). Tells a connection waiting
 * idle from one in the middle of a request. */
int wbHttpInBegun(const wbHttpIn *in);

/*
 * Moves the request out into *out (whatever *out held is overwritten, not
 * freed; the caller owns the result: wbRequestFree). After REQUEST it is
 * whole:
 *
 *   method       "GET", ...; http_major, http_minor the version;
 *   target       as sent; path its path part ("/a/b"; for an absolute-form
 *                target "http://host/a?x" the path after the authority,
 *                "/" when there is none; "*" for "OPTIONS *"; for CONNECT
 *                the authority, "host:443"), query after '?' ("" when
 *                none). Neither is percent-decoded;
 *   headers      every header in the order sent, repeated ones too, and the
 *                trailers of a chunked body after them; names as sent,
 *                values without leading or trailing blanks ("" when empty)
 *                and without control characters but tabs (a request with
 *                one is refused, 400);
 *   body         de-chunked (NULL and 0 when there is none);
 *   host         the Host header without its port ("[::1]" keeps its
 *                brackets), or NULL when the request has no Host header or
 *                an empty one: the caller, which knows the address the
 *                request came in on, fills that in along with remote_addr,
 *                remote_port, server_addr and server_port (left zero here).
 *
 * The reader then goes on with the next request: bytes that followed this
 * one (pipelined) are fed next. Taken at any other time (a timeout, an
 * error), *out is what was read so far, for a log line (method "" and path
 * NULL, target as far as it came), and the reader starts over as after
 * wbHttpInInit.
 */
void wbHttpInTake(wbHttpIn *in, wbRequest *out);

#endif /* WB_SERVE_HTTP_IN_H */
