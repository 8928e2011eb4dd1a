/*
 * cgi.c — WAGI, CGI 1.1 (RFC 3875) for wasm handlers (cgi.h): a request
 * becomes the handler's environment (section 4.1's meta-variables, WAGI's
 * X_FULL_URL and X_MATCHED_ROUTE, one HTTP_* per header), and what the
 * handler wrote on stdout becomes a response (section 6: header lines, a
 * blank line, the body).
 *
 * The handler's output is hostile: any bytes, any size, no newline at all.
 * The parser reads at most 64 KiB of header lines, never runs past the
 * buffer, and refuses what it cannot pass on safely (control characters
 * or NULs in a header, malformed names) rather than repair it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/cgi.h"
#include "wasmbox.h"

#define MAX_HEADERS 100
#define MAX_HEADER_BYTES 65536

/* ------------------------------------------------------------ environment */

typedef struct EnvList {
    char **v;
    size_t n, cap;
    int failed; /* out of memory once: every later add is ignored */
} EnvList;

/* Appends s (malloc'd; NULL means out of memory), which e then owns. */
static void env_push(EnvList *e, char *s)
{
    if (!s || e->failed) {
        free(s);
        e->failed = 1;
        return;
    }
    if (e->n + 2 > e->cap) { /* room for the terminating NULL too */
        size_t cap = e->cap ? e->cap * 2 : 32;
        char **v = realloc(e->v, cap * sizeof *v);
        if (!v) {
            free(s);
            e->failed = 1;
            return;
        }
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = s;
    e->v[e->n] = NULL;
}

/* Appends "NAME=VALUE", VALUE from fmt. */
static void env_addf(EnvList *e, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void env_addf(EnvList *e, const char *name, const char *fmt, ...)
{
    if (e->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int vlen = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t nlen = strlen(name);
    char *s = vlen < 0 ? NULL : malloc(nlen + 1 + (size_t)vlen + 1);
    if (s) {
        memcpy(s, name, nlen);
        s[nlen] = '=';
        va_start(ap, fmt);
        vsnprintf(s + nlen + 1, (size_t)vlen + 1, fmt, ap);
        va_end(ap);
    }
    env_push(e, s);
}

/* The entry of e named like entry ("NAME=..."; namelen bytes), or -1. */
static long env_find(const EnvList *e, const char *entry, size_t namelen)
{
    for (size_t i = 0; i < e->n; i++)
        if (strncmp(e->v[i], entry, namelen) == 0 && e->v[i][namelen] == '=')
            return (long)i;
    return -1;
}

/* Request headers that are not passed as HTTP_*: the body's own two have
 * their meta-variables, and the body the handler reads is de-chunked
 * already (Transfer-Encoding); credentials stay with the server (RFC 3875 4.1.18);
 * "Proxy" would become HTTP_PROXY, which HTTP clients read as their proxy
 * setting ("httpoxy"). */
static int header_excluded(const char *name)
{
    static const char *const excluded[] = {"Content-Type", "Content-Length",
                                           "Transfer-Encoding", "Authorization",
                                           "Proxy-Authorization", "Proxy"};
    for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++)
        if (strcasecmp(name, excluded[i]) == 0)
            return 1;
    return 0;
}

/* Only names of letters, digits and '-' become HTTP_* variables: with '_'
 * (or any other character) allowed, "X_User" could pose as "X-User" once
 * both are mapped, and the variable name would not be a plain one. */
static int header_passable(const char *name)
{
    if (!name || !*name)
        return 0;
    for (const char *c = name; *c; c++) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                 (*c >= '0' && *c <= '9') || *c == '-';
        if (!ok)
            return 0;
    }
    return 1;
}

/* Adds HTTP_NAME for header i and every later header of the same name,
 * their values joined with ", ". */
static void env_add_header(EnvList *e, const wbRequest *req, size_t i)
{
    const char *name = req->headers[i].name;
    size_t nlen = strlen(name), vlen = 0;
    int nvalues = 0;
    for (size_t j = i; j < req->nheaders; j++) {
        if (req->headers[j].name && strcasecmp(req->headers[j].name, name) == 0) {
            vlen += (nvalues++ ? 2 : 0);
            vlen += strlen(req->headers[j].value ? req->headers[j].value : "");
        }
    }
    char *var = malloc(5 + nlen + 1), *value = malloc(vlen + 1);
    if (!var || !value) {
        free(var);
        free(value);
        e->failed = 1;
        return;
    }
    memcpy(var, "HTTP_", 5);
    for (size_t k = 0; k < nlen; k++) {
        char c = name[k];
        var[5 + k] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    var[5 + nlen] = '\0';
    size_t o = 0;
    nvalues = 0;
    for (size_t j = i; j < req->nheaders; j++) {
        if (!req->headers[j].name || strcasecmp(req->headers[j].name, name) != 0)
            continue;
        const char *v = req->headers[j].value ? req->headers[j].value : "";
        if (nvalues++) {
            memcpy(value + o, ", ", 2);
            o += 2;
        }
        memcpy(value + o, v, strlen(v));
        o += strlen(v);
    }
    value[o] = '\0';
    env_addf(e, var, "%s", value);
    free(var);
    free(value);
}

char **wbCgiEnv(const wbRequest *req, const char *route_prefix, const char *const *extra,
                int nextra, size_t *count)
{
    EnvList e = {0};
    const char *prefix = route_prefix ? route_prefix : "/";
    const char *path = req->path ? req->path : "";
    const char *query = req->query ? req->query : "";
    const char *target = req->target ? req->target : "";
    /* the fixed-size fields, terminated even if the caller did not */
    char method[sizeof req->method + 1], raddr[sizeof req->remote_addr + 1],
        saddr[sizeof req->server_addr + 1];
    snprintf(method, sizeof method, "%.*s", (int)sizeof req->method, req->method);
    snprintf(raddr, sizeof raddr, "%.*s", (int)sizeof req->remote_addr, req->remote_addr);
    snprintf(saddr, sizeof saddr, "%.*s", (int)sizeof req->server_addr, req->server_addr);
    const char *host = req->host && *req->host ? req->host : saddr;

    /* SCRIPT_NAME is the prefix without its trailing '/' ("" for "/"), and
     * PATH_INFO the rest of the path, so SCRIPT_NAME + PATH_INFO = path */
    size_t slen = strlen(prefix);
    while (slen > 0 && prefix[slen - 1] == '/')
        slen--;
    const char *path_info = path;
    if (strncmp(path, prefix, slen) == 0 && (path[slen] == '\0' || path[slen] == '/'))
        path_info = path + slen;
    else
        slen = 0; /* the path is not under the prefix: pass it whole */

    env_addf(&e, "REQUEST_METHOD", "%s", method);
    env_addf(&e, "SCRIPT_NAME", "%.*s", (int)slen, prefix);
    env_addf(&e, "PATH_INFO", "%s", path_info);
    env_addf(&e, "PATH_TRANSLATED", "%s", path_info);
    env_addf(&e, "QUERY_STRING", "%s", query);
    env_addf(&e, "SERVER_NAME", "%s", host);
    env_addf(&e, "SERVER_PORT", "%d", req->server_port);
    if (req->http_major > 0)
        env_addf(&e, "SERVER_PROTOCOL", "HTTP/%d.%d", req->http_major, req->http_minor);
    else
        env_addf(&e, "SERVER_PROTOCOL", "HTTP/1.1");
    env_addf(&e, "SERVER_SOFTWARE", "wasmbox/%s", WB_VERSION);
    env_addf(&e, "GATEWAY_INTERFACE", "CGI/1.1");
    env_addf(&e, "REMOTE_ADDR", "%s", raddr);
    env_addf(&e, "REMOTE_HOST", "%s", raddr);
    env_addf(&e, "REMOTE_PORT", "%d", req->remote_port);
    const char *ctype = wbRequestHeader(req, "Content-Type");
    if (ctype)
        env_addf(&e, "CONTENT_TYPE", "%s", ctype);
    if (req->body_len > 0 || wbRequestHeader(req, "Content-Length") ||
        wbRequestHeader(req, "Transfer-Encoding"))
        env_addf(&e, "CONTENT_LENGTH", "%zu", req->body_len);

    /* an IPv6 address in a URL goes in brackets */
    int bracket = strchr(host, ':') && host[0] != '[';
    if (target[0] == '/')
        env_addf(&e, "X_FULL_URL", "http://%s%s%s:%d%s", bracket ? "[" : "", host,
                 bracket ? "]" : "", req->server_port, target);
    else /* absolute-form or "*": rebuild from the path */
        env_addf(&e, "X_FULL_URL", "http://%s%s%s:%d%s%s%s", bracket ? "[" : "", host,
                 bracket ? "]" : "", req->server_port, path, *query ? "?" : "", query);
    env_addf(&e, "X_MATCHED_ROUTE", "%s", prefix);

    for (size_t i = 0; i < req->nheaders && !e.failed; i++) {
        const char *name = req->headers[i].name;
        if (!header_passable(name) || header_excluded(name))
            continue;
        int seen = 0; /* joined into an earlier header's variable */
        for (size_t j = 0; j < i && !seen; j++)
            seen = req->headers[j].name && strcasecmp(req->headers[j].name, name) == 0;
        if (!seen)
            env_add_header(&e, req, i);
    }

    /* the route's own variables win */
    for (int i = 0; i < nextra && !e.failed; i++) {
        const char *x = extra[i];
        const char *eq = x ? strchr(x, '=') : NULL;
        if (!eq || eq == x)
            continue; /* not NAME=VALUE */
        size_t nlen = (size_t)(eq - x);
        long at = env_find(&e, x, nlen);
        char *copy = strdup(x);
        if (at < 0) {
            env_push(&e, copy);
        } else if (copy) {
            free(e.v[at]);
            e.v[at] = copy;
        } else {
            e.failed = 1;
        }
    }

    if (e.failed || !e.v) {
        if (e.v)
            e.v[e.n] = NULL;
        wbCgiEnvFree(e.v);
        if (count)
            *count = 0;
        return NULL;
    }
    if (count)
        *count = e.n;
    return e.v;
}

void wbCgiEnvFree(char **env)
{
    if (!env)
        return;
    for (char **p = env; *p; p++)
        free(*p);
    free(env);
}

/* --------------------------------------------------------------- response */

/* Sets why (printf-style) and returns 0. */
static int refuse(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return 0;
}

/* RFC 9110 tchar. */
static int is_tchar(uint8_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int name_is(const uint8_t *name, size_t len, const char *want)
{
    return strlen(want) == len && strncasecmp((const char *)name, want, len) == 0;
}

/* Headers about the connection or the framing, which the server owns: a
 * handler's would contradict what the server sends (RFC 9110 7.6.1). */
static int hop_by_hop(const uint8_t *name, size_t len)
{
    static const char *const dropped[] = {"Connection", "Keep-Alive", "Transfer-Encoding",
                                          "Content-Length", "Proxy-Connection", "TE",
                                          "Upgrade"};
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
        if (name_is(name, len, dropped[i]))
            return 1;
    return 0;
}

/* Reads a Status value: "404" or "404 Not Found". */
static int parse_status(const uint8_t *v, size_t len, wbCgiResponse *res)
{
    if (len < 3)
        return 0;
    int code = 0;
    for (int i = 0; i < 3; i++) {
        if (v[i] < '0' || v[i] > '9')
            return 0;
        code = code * 10 + (v[i] - '0');
    }
    /* 1xx are interim responses: sent as the answer, they would leave the
     * client waiting for another, read from the handler's body */
    if (code < 200 || code > 599)
        return 0;
    size_t r = 3;
    if (r < len) {
        if (v[r] != ' ' && v[r] != '\t')
            return 0;
        while (r < len && (v[r] == ' ' || v[r] == '\t'))
            r++;
    }
    size_t rlen = len - r;
    if (rlen >= sizeof res->reason)
        rlen = sizeof res->reason - 1;
    memcpy(res->reason, v + r, rlen);
    res->reason[rlen] = '\0';
    res->status = code;
    return 1;
}

int wbCgiParse(const uint8_t *out, size_t len, wbCgiResponse *res, char *why, size_t n)
{
    memset(res, 0, sizeof *res);
    if (len == 0)
        return refuse(why, n, "the handler wrote nothing");
    size_t cap = 0, lines = 0, pos = 0;
    int line_no = 0, have_status = 0, have_location = 0, have_type = 0;
    /* the blank line may start right after MAX_HEADER_BYTES of headers */
    size_t window = len < MAX_HEADER_BYTES + 2 ? len : MAX_HEADER_BYTES + 2;
    for (;;) {
        const uint8_t *lf = pos < window ? memchr(out + pos, '\n', window - pos) : NULL;
        if (!lf) {
            if (window < len)
                goto too_big;
            wbCgiResponseFree(res);
            return refuse(why, n, "no blank line ending the headers");
        }
        size_t end = (size_t)(lf - out), lend = end;
        if (lend > pos && out[lend - 1] == '\r')
            lend--;
        line_no++;
        if (lend == pos) { /* the blank line */
            pos = end + 1;
            break;
        }
        if (end + 1 > MAX_HEADER_BYTES)
            goto too_big;
        if (++lines > MAX_HEADERS) {
            wbCgiResponseFree(res);
            return refuse(why, n, "more than %d headers", MAX_HEADERS);
        }

        const uint8_t *line = out + pos;
        size_t llen = lend - pos;
        pos = end + 1;
        const uint8_t *colon = memchr(line, ':', llen);
        if (!colon) {
            wbCgiResponseFree(res);
            return refuse(why, n, "line %d: not a header (no ':')", line_no);
        }
        size_t nlen = (size_t)(colon - line);
        if (nlen == 0) {
            wbCgiResponseFree(res);
            return refuse(why, n, "line %d: empty header name", line_no);
        }
        for (size_t i = 0; i < nlen; i++) {
            if (!is_tchar(line[i])) {
                wbCgiResponseFree(res);
                return refuse(why, n, "line %d: bad character in a header name", line_no);
            }
        }
        const uint8_t *v = colon + 1, *vend = line + llen;
        while (v < vend && (*v == ' ' || *v == '\t'))
            v++;
        while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
        size_t vlen = (size_t)(vend - v);
        for (size_t i = 0; i < vlen; i++) {
            if ((v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f) {
                wbCgiResponseFree(res);
                return refuse(why, n, "line %d: control character in the value of %.*s",
                              line_no, (int)(nlen > 40 ? 40 : nlen), (const char *)line);
            }
        }

        if (name_is(line, nlen, "Status")) {
            if (have_status) {
                wbCgiResponseFree(res);
                return refuse(why, n, "line %d: more than one Status header", line_no);
            }
            if (!parse_status(v, vlen, res)) {
                wbCgiResponseFree(res);
                return refuse(why, n,
                              "line %d: bad Status '%.*s' (expected a code 200..599 and an "
                              "optional reason)",
                              line_no, (int)(vlen > 40 ? 40 : vlen), (const char *)v);
            }
            have_status = 1;
            continue;
        }
        if (name_is(line, nlen, "Location"))
            have_location = 1;
        else if (name_is(line, nlen, "Content-Type"))
            have_type = 1;
        else if (hop_by_hop(line, nlen))
            continue;
        if (res->nheaders == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            wbHeader *h = realloc(res->headers, ncap * sizeof *h);
            if (!h)
                goto oom;
            res->headers = h;
            cap = ncap;
        }
        wbHeader *h = &res->headers[res->nheaders];
        h->name = strndup((const char *)line, nlen);
        h->value = strndup((const char *)v, vlen);
        res->nheaders++; /* counted now, so a half-made header is freed */
        if (!h->name || !h->value)
            goto oom;
    }
    if (!have_status && !have_location && !have_type) {
        wbCgiResponseFree(res);
        return refuse(why, n, "no Content-Type, Location or Status header");
    }
    if (!have_status)
        res->status = have_location ? 302 : 200;
    res->body = out + pos;
    res->body_len = len - pos;
    return 1;

too_big:
    wbCgiResponseFree(res);
    return refuse(why, n, "headers over %d KiB", MAX_HEADER_BYTES / 1024);
oom:
    wbCgiResponseFree(res);
    return refuse(why, n, "out of memory");
}

void wbCgiResponseFree(wbCgiResponse *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->nheaders; i++) {
        free(res->headers[i].name);
        free(res->headers[i].value);
    }
    free(res->headers);
    memset(res, 0, sizeof *res);
}
