/*
 * fuzz_http.c — libFuzzer target for the HTTP/1.1 request reader
 * (src/serve/http_in.c), driven as the event loop drives it: the input is
 * fed in pieces, bytes left unconsumed are passed again with the next
 * piece, each whole request is taken, a 100-continue is answered by going
 * on. The first bytes choose the limits and where the pieces end:
 *
 *   byte 0   max_headers: bit 7 set → 16 KiB, else 8 + 8 × (bits 0-6)
 *   byte 1   max_body:    bit 7 set → 1 MiB,  else 4 × (bits 0-6) (0 too)
 *   byte 2   piece sizes: 0 → one piece, 1 → one byte at a time, N → sizes
 *            1..N drawn from a generator seeded with byte 3
 *   byte 3   the seed
 *   rest     the bytes a client sent
 *
 * Each input is also fed in one piece: both runs must end the same way
 * (the same requests, the same error; an input both malformed and over a
 * limit may get 400 one way and 413 or 431 the other). Invariants checked:
 * a feed consumes at most what it was given, and all of it when it asks
 * for more; an error is 400, 413, 431 or 500 with a reason, and stays; a
 * request has a method, a target, a path starting with '/' or '*' (an
 * authority for CONNECT), a query, names and values for every header,
 * headers within max_headers and a body within max_body. Any violation
 * aborts. Built by `make fuzz FUZZ_TARGET=http` and, with replay_main.c,
 * into build/asan/fuzz-http-replay for `make test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http_in.h"
#include "serve/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUST(cond)                                                                  \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "fuzz_http.c:%d: invariant failed: %s\n", __LINE__, #cond); \
            abort();                                                                \
        }                                                                           \
    } while (0)

#define MAX_KEPT 16 /* requests compared between the two runs */

typedef struct Run {
    size_t max_headers, max_body;
    unsigned mode;  /* 0 one piece, 1 bytes, N pieces of 1..N */
    uint32_t seed;
    size_t nreq, ncontinue;
    int status;
    char reason[160];
    wbRequest kept[MAX_KEPT];
    int keep_alive[MAX_KEPT], head_only[MAX_KEPT], expect[MAX_KEPT];
} Run;

static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static size_t piece_size(Run *r, size_t left)
{
    size_t n = left;
    if (r->mode == 1)
        n = 1;
    else if (r->mode > 1)
        n = 1 + next_random(&r->seed) % r->mode;
    return n < left ? n : left;
}

static void check_request(const Run *r, const wbRequest *q, const wbHttpInResult *res)
{
    MUST(q->method[0] != '\0');
    MUST(q->target && q->path && q->query);
    if (strcmp(q->method, "CONNECT") == 0)
        MUST(q->path[0] != '\0');
    else
        MUST(q->path[0] == '/' || q->path[0] == '*');
    MUST(q->body_len <= r->max_body);
    MUST(q->body_len == 0 || q->body);
    MUST(q->nheaders == 0 || q->headers);
    size_t bytes = strlen(q->target);
    for (size_t i = 0; i < q->nheaders; i++) {
        MUST(q->headers[i].name && q->headers[i].value);
        bytes += strlen(q->headers[i].name) + strlen(q->headers[i].value);
        size_t vlen = strlen(q->headers[i].value);
        MUST(vlen == 0 || (q->headers[i].value[vlen - 1] != ' ' &&
                           q->headers[i].value[vlen - 1] != '\t'));
    }
    MUST(bytes <= r->max_headers);
    MUST(res->keep_alive == 0 || res->keep_alive == 1);
    MUST(res->head_only == (strcmp(q->method, "HEAD") == 0));
    MUST(q->host == NULL || q->host[0] != '\0' || wbRequestHeader(q, "Host"));
    MUST(q->remote_addr[0] == '\0' && q->server_port == 0);
}

/* Feeds data[0..size) as the pieces of r->mode say; records the outcome. */
static void feed(Run *r, const uint8_t *data, size_t size)
{
    wbHttpIn in;
    wbHttpInInit(&in, r->max_headers, r->max_body);
    size_t given = 0, consumed = 0; /* data[consumed..given) was fed, not consumed */
    while (!r->status) {
        if (given == size && consumed == size)
            break;
        if (given < size && consumed == given) /* all consumed: the next piece */
            given += piece_size(r, size - given);
        size_t n = given - consumed;
        /* a block of exactly n bytes, so a read past it is caught */
        char *piece = malloc(n ? n : 1);
        MUST(piece);
        memcpy(piece, data + consumed, n);
        wbHttpInResult res;
        res.event = (wbHttpInEvent)-1;
        size_t used = wbHttpInFeed(&in, piece, n, &res);
        free(piece);
        MUST(used <= n);
        consumed += used;
        switch (res.event) {
        case WB_HTTP_IN_MORE:
            MUST(used == n);
            if (given == size && consumed == size)
                goto done;
            break;
        case WB_HTTP_IN_CONTINUE:
            MUST(res.status == 0);
            r->ncontinue++;
            break;
        case WB_HTTP_IN_REQUEST: {
            MUST(wbHttpInBegun(&in));
            wbRequest q;
            wbHttpInTake(&in, &q);
            check_request(r, &q, &res);
            MUST(!wbHttpInBegun(&in));
            if (r->nreq < MAX_KEPT) {
                r->kept[r->nreq] = q;
                r->keep_alive[r->nreq] = res.keep_alive;
                r->head_only[r->nreq] = res.head_only;
                r->expect[r->nreq] = res.expect_continue;
            } else {
                wbRequestFree(&q);
            }
            r->nreq++;
            break;
        }
        case WB_HTTP_IN_ERROR: {
            MUST(res.status == 400 || res.status == 413 || res.status == 431 ||
                 res.status == 500);
            MUST(res.reason && res.reason[0]);
            r->status = res.status;
            snprintf(r->reason, sizeof r->reason, "%s", res.reason);
            /* it stays */
            wbHttpInResult again;
            MUST(wbHttpInFeed(&in, "GET / HTTP/1.1\r\n\r\n", 18, &again) == 0);
            MUST(again.event == WB_HTTP_IN_ERROR && again.status == res.status);
            break;
        }
        default:
            MUST(!"an event out of the enum");
        }
    }
done:;
    wbRequest partial; /* what a timeout or an error would log */
    wbHttpInTake(&in, &partial);
    MUST(partial.path == NULL || r->status == 500); /* never finished, unless out of memory */
    wbRequestFree(&partial);
    wbHttpInFree(&in);
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_same(const Run *a, const Run *b)
{
    MUST(a->nreq == b->nreq);
    MUST(a->ncontinue == b->ncontinue);
    /* malformed and over a limit: which is seen first depends on the pieces
     * (a limit is checked as each span of the target or a header arrives,
     * a bad byte when it is reached) */
    if (a->status != b->status)
        MUST(a->status && b->status && (a->status == 400 || b->status == 400));
    else
        MUST(strcmp(a->reason, b->reason) == 0);
    for (size_t i = 0; i < a->nreq && i < MAX_KEPT; i++) {
        const wbRequest *p = &a->kept[i], *q = &b->kept[i];
        MUST(strcmp(p->method, q->method) == 0);
        MUST(same_str(p->target, q->target) && same_str(p->path, q->path));
        MUST(same_str(p->query, q->query) && same_str(p->host, q->host));
        MUST(p->http_major == q->http_major && p->http_minor == q->http_minor);
        MUST(p->nheaders == q->nheaders);
        for (size_t k = 0; k < p->nheaders; k++) {
            MUST(strcmp(p->headers[k].name, q->headers[k].name) == 0);
            MUST(strcmp(p->headers[k].value, q->headers[k].value) == 0);
        }
        MUST(p->body_len == q->body_len);
        MUST(p->body_len == 0 || memcmp(p->body, q->body, p->body_len) == 0);
        MUST(a->keep_alive[i] == b->keep_alive[i] && a->head_only[i] == b->head_only[i]);
        MUST(a->expect[i] == b->expect[i]);
    }
}

static void run_free(Run *r)
{
    for (size_t i = 0; i < r->nreq && i < MAX_KEPT; i++)
        wbRequestFree(&r->kept[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    Run split, whole;
    memset(&split, 0, sizeof split);
    split.max_headers = data[0] & 0x80 ? 16384 : 8 + 8 * (size_t)(data[0] & 0x7f);
    split.max_body = data[1] & 0x80 ? 1048576 : 4 * (size_t)(data[1] & 0x7f);
    split.mode = data[2];
    split.seed = 0x9e3779b9u ^ data[3];
    whole = split;
    whole.mode = 0;
    feed(&split, data + 4, size - 4);
    feed(&whole, data + 4, size - 4);
    check_same(&split, &whole);
    run_free(&split);
    run_free(&whole);
    return 0;
}
