/*
 * test_cgi.c — WAGI / CGI 1.1 (src/serve/cgi.c): the environment built from
 * a request (every meta-variable, header mapping, repeated and excluded
 * headers, the route's own variables, PATH_INFO under "/" and "/api"), and
 * the parse of a handler's output (line ends, Status, Location, the blank
 * line, bad lines, hop-by-hop headers, limits); plus request.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/cgi.h"
#include "serve/request.h"
#include "unit.h"
#include "wasmbox.h"

/* ------------------------------------------------------------ environment */

/* A request like the event loop would hand over; strings are not owned
 * (never passed to wbRequestFree). */
static wbRequest make_request(const char *method, const char *target, wbHeader *headers,
                              size_t nheaders)
{
    wbRequest r;
    memset(&r, 0, sizeof r);
    snprintf(r.method, sizeof r.method, "%s", method);
    r.target = (char *)target;
    static char path[256], query[256];
    const char *q = strchr(target, '?');
    snprintf(path, sizeof path, "%.*s", (int)(q ? (size_t)(q - target) : strlen(target)),
             target);
    snprintf(query, sizeof query, "%s", q ? q + 1 : "");
    r.path = path;
    r.query = query;
    r.http_major = 1;
    r.http_minor = 1;
    r.headers = headers;
    r.nheaders = nheaders;
    snprintf(r.remote_addr, sizeof r.remote_addr, "192.0.2.7");
    r.remote_port = 51234;
    snprintf(r.server_addr, sizeof r.server_addr, "127.0.0.1");
    r.server_port = 8080;
    r.host = (char *)"example.com";
    return r;
}

/* The value of NAME in env, or NULL; counts how often NAME appears. */
static const char *env_get(char **env, const char *name, int *times)
{
    const char *found = NULL;
    size_t len = strlen(name);
    int k = 0;
    for (char **p = env; p && *p; p++) {
        if (strncmp(*p, name, len) == 0 && (*p)[len] == '=') {
            if (!found)
                found = *p + len + 1;
            k++;
        }
    }
    if (times)
        *times = k;
    return found;
}

/* Checks that NAME is in env exactly once, with value want (NULL: absent). */
static void check_var(const char *file, int line, char **env, const char *name,
                      const char *want)
{
    int times;
    const char *got = env_get(env, name, &times);
    if (!want) {
        unitCheckf(got == NULL, file, line, name, "%s should be absent, is '%s'", name,
                   got ? got : "");
        return;
    }
    unitCheckf(times == 1, file, line, name, "%s appears %d times", name, times);
    unitCheckf(got && strcmp(got, want) == 0, file, line, name, "%s='%s', want '%s'", name,
               got ? got : "(absent)", want);
}
#define CHECK_VAR(env, name, want) check_var(__FILE__, __LINE__, env, name, want)

#define H(n, v) {(char *)(n), (char *)(v)}

TEST(cgi_env_every_meta_variable)
{
    wbHeader hs[] = {H("Host", "example.com:8080"), H("Content-Type", "text/plain"),
                     H("Content-Length", "5"), H("User-Agent", "curl/8")};
    wbRequest r = make_request("POST", "/api/items/7?x=1&y=%20", hs, 4);
    r.body = (uint8_t *)"hello";
    r.body_len = 5;
    size_t count = 0;
    char **env = wbCgiEnv(&r, "/api", NULL, 0, &count);
    if (!CHECK(env))
        return;
    CHECK_VAR(env, "REQUEST_METHOD", "POST");
    CHECK_VAR(env, "SCRIPT_NAME", "/api");
    CHECK_VAR(env, "PATH_INFO", "/items/7");
    CHECK_VAR(env, "PATH_TRANSLATED", "/items/7");
    CHECK_VAR(env, "QUERY_STRING", "x=1&y=%20");
    CHECK_VAR(env, "SERVER_NAME", "example.com");
    CHECK_VAR(env, "SERVER_PORT", "8080");
    CHECK_VAR(env, "SERVER_PROTOCOL", "HTTP/1.1");
    CHECK_VAR(env, "SERVER_SOFTWARE", "wasmbox/" WB_VERSION);
    CHECK_VAR(env, "GATEWAY_INTERFACE", "CGI/1.1");
    CHECK_VAR(env, "REMOTE_ADDR", "192.0.2.7");
    CHECK_VAR(env, "REMOTE_HOST", "192.0.2.7");
    CHECK_VAR(env, "REMOTE_PORT", "51234");
    CHECK_VAR(env, "CONTENT_TYPE", "text/plain");
    CHECK_VAR(env, "CONTENT_LENGTH", "5");
    CHECK_VAR(env, "X_FULL_URL", "http://example.com:8080/api/items/7?x=1&y=%20");
    CHECK_VAR(env, "X_MATCHED_ROUTE", "/api");
    CHECK_VAR(env, "HTTP_HOST", "example.com:8080");
    CHECK_VAR(env, "HTTP_USER_AGENT", "curl/8");
    CHECK_VAR(env, "HTTP_CONTENT_TYPE", NULL);
    CHECK_VAR(env, "HTTP_CONTENT_LENGTH", NULL);
    CHECK_EQ(count, 19u);
    size_t k = 0;
    while (env[k])
        k++;
    CHECK_EQ(k, count);
    CHECK_STR(env[0], "REQUEST_METHOD=POST"); /* the documented order */
    wbCgiEnvFree(env);
}

TEST(cgi_env_without_body)
{
    wbRequest r = make_request("GET", "/", NULL, 0);
    r.http_minor = 0;
    char **env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (!CHECK(env))
        return;
    CHECK_VAR(env, "CONTENT_TYPE", NULL);
    CHECK_VAR(env, "CONTENT_LENGTH", NULL);
    CHECK_VAR(env, "QUERY_STRING", "");
    CHECK_VAR(env, "SERVER_PROTOCOL", "HTTP/1.0");
    CHECK_VAR(env, "X_FULL_URL", "http://example.com:8080/");
    wbCgiEnvFree(env);

    /* an empty body announced by Content-Length: 0 still has a length */
    wbHeader hs[] = {H("Content-Length", "0")};
    r = make_request("POST", "/", hs, 1);
    env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (CHECK(env))
        CHECK_VAR(env, "CONTENT_LENGTH", "0");
    wbCgiEnvFree(env);
    /* a body without Content-Type: CONTENT_LENGTH only */
    r = make_request("PUT", "/", NULL, 0);
    r.body = (uint8_t *)"abc";
    r.body_len = 3;
    env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (CHECK(env)) {
        CHECK_VAR(env, "CONTENT_LENGTH", "3");
        CHECK_VAR(env, "CONTENT_TYPE", NULL);
    }
    wbCgiEnvFree(env);
}

TEST(cgi_env_header_names)
{
    wbHeader hs[] = {
        H("accept", "*/*"),          H("X-Request-Id", "abc"), H("x-multi-part-name", "1"),
        H("DNT", "1"),               H("X9", "nine"),          H("X_Under", "dropped"),
        H("X.Dot", "dropped"),       H("", "dropped"),         H("Authorization", "Basic x"),
        H("proxy-authorization", "x"), H("Proxy", "http://evil:3128"),
    };
    wbRequest r = make_request("GET", "/", hs, sizeof hs / sizeof hs[0]);
    char **env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (!CHECK(env))
        return;
    CHECK_VAR(env, "HTTP_ACCEPT", "*/*");
    CHECK_VAR(env, "HTTP_X_REQUEST_ID", "abc");
    CHECK_VAR(env, "HTTP_X_MULTI_PART_NAME", "1");
    CHECK_VAR(env, "HTTP_DNT", "1");
    CHECK_VAR(env, "HTTP_X9", "nine");
    CHECK_VAR(env, "HTTP_X_UNDER", NULL);
    CHECK_VAR(env, "HTTP_X.DOT", NULL);
    CHECK_VAR(env, "HTTP_", NULL);
    CHECK_VAR(env, "HTTP_AUTHORIZATION", NULL);
    CHECK_VAR(env, "HTTP_PROXY_AUTHORIZATION", NULL);
    CHECK_VAR(env, "HTTP_PROXY", NULL);
    for (char **p = env; *p; p++)
        CHECKF(strstr(*p, "dropped") == NULL && strstr(*p, "evil") == NULL, "%s", *p);
    wbCgiEnvFree(env);
}

TEST(cgi_env_repeated_headers_joined)
{
    wbHeader hs[] = {H("Accept", "text/html"), H("Cookie", "a=1"), H("ACCEPT", "text/plain"),
                     H("X-Empty", ""), H("accept", "*/*"), H("x-empty", "v")};
    wbRequest r = make_request("GET", "/", hs, 6);
    char **env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (!CHECK(env))
        return;
    CHECK_VAR(env, "HTTP_ACCEPT", "text/html, text/plain, */*");
    CHECK_VAR(env, "HTTP_COOKIE", "a=1");
    CHECK_VAR(env, "HTTP_X_EMPTY", ", v");
    /* in the order of each name's first appearance */
    long accept = -1, cookie = -1;
    for (long i = 0; env[i]; i++) {
        if (strncmp(env[i], "HTTP_ACCEPT=", 12) == 0)
            accept = i;
        if (strncmp(env[i], "HTTP_COOKIE=", 12) == 0)
            cookie = i;
    }
    CHECK(accept >= 0 && accept < cookie);
    wbCgiEnvFree(env);
}

TEST(cgi_env_extra_overrides)
{
    wbHeader hs[] = {H("X-Mode", "from-client")};
    wbRequest r = make_request("GET", "/hello", hs, 1);
    const char *extra[] = {"GREETING=hi", "HTTP_X_MODE=from-route", "SERVER_NAME=override",
                           "NOEQUALS",    "=nameless",             "GREETING=again",
                           "EMPTY="};
    size_t count;
    char **env = wbCgiEnv(&r, "/hello", extra, 7, &count);
    if (!CHECK(env))
        return;
    CHECK_VAR(env, "GREETING", "again");
    CHECK_VAR(env, "HTTP_X_MODE", "from-route");
    CHECK_VAR(env, "SERVER_NAME", "override");
    CHECK_VAR(env, "NOEQUALS", NULL);
    CHECK_VAR(env, "EMPTY", "");
    for (char **p = env; *p; p++)
        CHECKF((*p)[0] != '=', "%s", *p);
    /* 15 request-derived (no body), one header, GREETING and EMPTY */
    CHECK_EQ(count, 18u);
    wbCgiEnvFree(env);
}

TEST(cgi_env_path_info_root_prefix)
{
    static const struct {
        const char *target, *path_info;
    } cases[] = {
        {"/", "/"},
        {"/x", "/x"},
        {"/x/y/", "/x/y/"},
        {"/a%2Fb?q", "/a%2Fb"}, /* not percent-decoded */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wbRequest r = make_request("GET", cases[i].target, NULL, 0);
        char **env = wbCgiEnv(&r, "/", NULL, 0, NULL);
        if (!CHECK(env))
            continue;
        CHECK_VAR(env, "SCRIPT_NAME", "");
        CHECK_VAR(env, "X_MATCHED_ROUTE", "/");
        CHECKF(strcmp(env_get(env, "PATH_INFO", NULL), cases[i].path_info) == 0,
               "%s: PATH_INFO=%s", cases[i].target, env_get(env, "PATH_INFO", NULL));
        CHECK_VAR(env, "PATH_TRANSLATED", cases[i].path_info);
        wbCgiEnvFree(env);
    }
}

TEST(cgi_env_path_info_api_prefix)
{
    static const struct {
        const char *prefix, *target, *script, *path_info;
    } cases[] = {
        {"/api", "/api", "/api", ""},
        {"/api", "/api/", "/api", "/"},
        {"/api", "/api/v1/users?id=3", "/api", "/v1/users"},
        {"/api/", "/api/v1", "/api", "/v1"},       /* a trailing '/' in the prefix */
        {"/api", "/apiary", "", "/apiary"},        /* not under it: the whole path */
        {"/api", "/other", "", "/other"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wbRequest r = make_request("GET", cases[i].target, NULL, 0);
        char **env = wbCgiEnv(&r, cases[i].prefix, NULL, 0, NULL);
        if (!CHECK(env))
            continue;
        const char *script = env_get(env, "SCRIPT_NAME", NULL);
        const char *info = env_get(env, "PATH_INFO", NULL);
        CHECKF(script && strcmp(script, cases[i].script) == 0, "%s under %s: SCRIPT_NAME=%s",
               cases[i].target, cases[i].prefix, script);
        CHECKF(info && strcmp(info, cases[i].path_info) == 0, "%s under %s: PATH_INFO=%s",
               cases[i].target, cases[i].prefix, info);
        CHECK_VAR(env, "X_MATCHED_ROUTE", cases[i].prefix);
        wbCgiEnvFree(env);
    }
}

TEST(cgi_env_hosts_and_urls)
{
    wbRequest r = make_request("GET", "/p?q=1", NULL, 0);
    r.host = NULL; /* no Host header: the server's address */
    char **env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (CHECK(env)) {
        CHECK_VAR(env, "SERVER_NAME", "127.0.0.1");
        CHECK_VAR(env, "X_FULL_URL", "http://127.0.0.1:8080/p?q=1");
    }
    wbCgiEnvFree(env);

    snprintf(r.server_addr, sizeof r.server_addr, "::1");
    env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (CHECK(env)) {
        CHECK_VAR(env, "SERVER_NAME", "::1");
        CHECK_VAR(env, "X_FULL_URL", "http://[::1]:8080/p?q=1");
    }
    wbCgiEnvFree(env);

    /* absolute-form target: the URL is rebuilt from the path */
    r = make_request("GET", "http://example.com/p", NULL, 0);
    r.path = (char *)"/p";
    r.query = (char *)"a=b";
    env = wbCgiEnv(&r, "/", NULL, 0, NULL);
    if (CHECK(env))
        CHECK_VAR(env, "X_FULL_URL", "http://example.com:8080/p?a=b");
    wbCgiEnvFree(env);
    wbCgiEnvFree(NULL);
}

/* ---------------------------------------------------------------- request */

TEST(cgi_request_header_and_free)
{
    wbRequest *r = calloc(1, sizeof *r);
    if (!CHECK(r))
        return;
    r->nheaders = 2;
    r->headers = calloc(2, sizeof *r->headers);
    r->headers[0].name = strdup("Content-Type");
    r->headers[0].value = strdup("a/b");
    r->headers[1].name = strdup("content-type");
    r->headers[1].value = strdup("c/d");
    r->target = strdup("/x");
    r->path = strdup("/x");
    r->query = strdup("");
    r->host = strdup("h");
    r->body = malloc(3);
    r->body_len = 3;
    CHECK_STR(wbRequestHeader(r, "CONTENT-TYPE"), "a/b"); /* the first one */
    CHECK(wbRequestHeader(r, "Content-Length") == NULL);
    wbRequestFree(r);
    CHECK(r->headers == NULL && r->nheaders == 0 && r->body == NULL);
    wbRequestFree(r); /* zeroed: freeing again is harmless */
    wbRequestFree(NULL);
    free(r);
}

/* ---------------------------------------------------------------- parsing */

/* Parses the C string out (its bytes without the NUL). */
static int parse_text(const char *out, wbCgiResponse *res, char *why, size_t n)
{
    return wbCgiParse((const uint8_t *)out, strlen(out), res, why, n);
}

/* Checks that out is refused with a reason containing `want`. */
static void check_refused(const char *file, int line, const uint8_t *out, size_t len,
                          const char *want)
{
    uint8_t *copy = unitDup(out, len); /* ASan sees any read past the end */
    wbCgiResponse res;
    char why[200] = "";
    int ok = wbCgiParse(copy, len, &res, why, sizeof why);
    unitCheckf(!ok, file, line, "!wbCgiParse", "accepted: %s", unitHex(out, len));
    unitCheckf(strstr(why, want) != NULL, file, line, "why", "got \"%s\", want \"%s\"", why,
               want);
    unitCheckf(res.nheaders == 0 && res.headers == NULL, file, line, "res empty",
               "headers left after a refusal");
    wbCgiResponseFree(&res);
    free(copy);
}
#define CHECK_REFUSED(text, want) \
    check_refused(__FILE__, __LINE__, (const uint8_t *)(text), sizeof(text) - 1, want)

TEST(cgi_parse_lf_and_crlf)
{
    static const char *const outs[] = {
        "Content-Type: text/plain\n\nhello\n",
        "Content-Type: text/plain\r\n\r\nhello\n",
        "Content-Type:text/plain\r\n\nhello\n",        /* mixed, no blank after ':' */
        "Content-Type: \t text/plain \t\n\r\nhello\n", /* blanks around the value */
    };
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        wbCgiResponse res;
        char why[128] = "";
        if (!CHECKF(parse_text(outs[i], &res, why, sizeof why), "case %zu: %s", i, why))
            continue;
        CHECK_EQ(res.status, 200);
        CHECK_STR(res.reason, "");
        if (CHECK_EQ(res.nheaders, 1u)) {
            CHECK_STR(res.headers[0].name, "Content-Type");
            CHECK_STR(res.headers[0].value, "text/plain");
        }
        CHECK_EQ(res.body_len, 6u);
        CHECK(res.body_len == 6 && memcmp(res.body, "hello\n", 6) == 0);
        CHECK(res.body == (const uint8_t *)outs[i] + strlen(outs[i]) - 6);
        wbCgiResponseFree(&res);
    }
}

TEST(cgi_parse_status)
{
    wbCgiResponse res;
    char why[128] = "";
    if (CHECK(parse_text("Status: 404 Not Found\nContent-Type: text/html\n\nnope", &res, why,
                         sizeof why))) {
        CHECK_EQ(res.status, 404);
        CHECK_STR(res.reason, "Not Found");
        if (CHECK_EQ(res.nheaders, 1u)) /* Status itself is not passed on */
            CHECK_STR(res.headers[0].name, "Content-Type");
        CHECK_EQ(res.body_len, 4u);
    }
    wbCgiResponseFree(&res);
    /* Status alone is enough; no reason */
    if (CHECK(parse_text("status: 204\r\n\r\n", &res, why, sizeof why))) {
        CHECK_EQ(res.status, 204);
        CHECK_STR(res.reason, "");
        CHECK_EQ(res.nheaders, 0u);
        CHECK_EQ(res.body_len, 0u);
    }
    wbCgiResponseFree(&res);
    if (CHECK(parse_text("Status: 599\t  Odd  \n\n", &res, why, sizeof why))) {
        CHECK_EQ(res.status, 599);
        CHECK_STR(res.reason, "Odd");
    }
    wbCgiResponseFree(&res);
    /* a long reason is cut to fit */
    char text[256];
    snprintf(text, sizeof text, "Status: 500 %0100d\n\n", 0);
    if (CHECK(parse_text(text, &res, why, sizeof why))) {
        CHECK_EQ(res.status, 500);
        CHECK_EQ(strlen(res.reason), 63u);
    }
    wbCgiResponseFree(&res);
}

TEST(cgi_parse_bad_status)
{
    CHECK_REFUSED("Status: 99\n\n", "line 1: bad Status");
    CHECK_REFUSED("Status: 600\n\n", "bad Status");
    CHECK_REFUSED("Status: 100 Continue\n\n", "bad Status");
    CHECK_REFUSED("Status: 199\n\n", "bad Status");
    CHECK_REFUSED("Status: 2000\n\n", "bad Status");
    CHECK_REFUSED("Status: 20x\n\n", "bad Status");
    CHECK_REFUSED("Status: OK\n\n", "bad Status");
    CHECK_REFUSED("Status:\n\n", "bad Status");
    CHECK_REFUSED("Status: -200\n\n", "bad Status");
    CHECK_REFUSED("Content-Type: a/b\nStatus: 200 OK\nStatus: 404\n\n",
                  "line 3: more than one Status header");
}

TEST(cgi_parse_location)
{
    wbCgiResponse res;
    char why[128] = "";
    if (CHECK(parse_text("Location: /elsewhere\n\n", &res, why, sizeof why))) {
        CHECK_EQ(res.status, 302);
        CHECK_STR(res.reason, "");
        if (CHECK_EQ(res.nheaders, 1u)) {
            CHECK_STR(res.headers[0].name, "Location");
            CHECK_STR(res.headers[0].value, "/elsewhere");
        }
    }
    wbCgiResponseFree(&res);
    /* an explicit Status wins */
    if (CHECK(parse_text("Location: https://x.example/\nStatus: 301 Moved Permanently\n\n", &res,
                         why, sizeof why))) {
        CHECK_EQ(res.status, 301);
        CHECK_STR(res.reason, "Moved Permanently");
    }
    wbCgiResponseFree(&res);
}

TEST(cgi_parse_body_with_blank_lines)
{
    static const char out[] = "Content-Type: text/plain\r\n\r\nline 1\r\n\r\n\nStatus: 500\n\n";
    wbCgiResponse res;
    char why[128] = "";
    if (CHECK(parse_text(out, &res, why, sizeof why))) {
        CHECK_EQ(res.status, 200);
        CHECK_EQ(res.nheaders, 1u);
        const char *body = "line 1\r\n\r\n\nStatus: 500\n\n";
        CHECK_EQ(res.body_len, strlen(body));
        CHECK(res.body_len == strlen(body) && memcmp(res.body, body, res.body_len) == 0);
    }
    wbCgiResponseFree(&res);
    /* binary body, NULs included, is the body's business */
    static const uint8_t bin[] = "Content-Type: application/octet-stream\n\n\0\1\2\n\n\377";
    if (CHECK(wbCgiParse(bin, sizeof bin - 1, &res, why, sizeof why))) {
        CHECK_EQ(res.body_len, 6u);
        CHECK(res.body_len == 6 && memcmp(res.body, "\0\1\2\n\n\377", 6) == 0);
    }
    wbCgiResponseFree(&res);
}

TEST(cgi_parse_headers_kept_in_order)
{
    static const char out[] = "X-One: 1\nSet-Cookie: a=1\nContent-Type: text/html; charset=utf-8\n"
                              "Set-Cookie: b=2\nX-Empty:\nX-Utf8: caf\xc3\xa9\nX-Tab: a\tb\n\n";
    wbCgiResponse res;
    char why[128] = "";
    if (!CHECK(parse_text(out, &res, why, sizeof why)))
        return;
    static const char *const want[][2] = {
        {"X-One", "1"},       {"Set-Cookie", "a=1"}, {"Content-Type", "text/html; charset=utf-8"},
        {"Set-Cookie", "b=2"}, {"X-Empty", ""},       {"X-Utf8", "caf\xc3\xa9"},
        {"X-Tab", "a\tb"},
    };
    if (CHECK_EQ(res.nheaders, 7u)) {
        for (size_t i = 0; i < 7; i++) {
            CHECK_STR(res.headers[i].name, want[i][0]);
            CHECK_STR(res.headers[i].value, want[i][1]);
        }
    }
    wbCgiResponseFree(&res);
}

TEST(cgi_parse_drops_hop_by_hop)
{
    static const char out[] = "Connection: close\nKeep-Alive: timeout=5\n"
                              "Transfer-Encoding: chunked\nContent-Length: 999\n"
                              "content-length: 1\nProxy-Connection: x\nTE: trailers\n"
                              "Upgrade: h2c\nContent-Type: text/plain\nX-Kept: y\n\nbody";
    wbCgiResponse res;
    char why[128] = "";
    if (!CHECK(parse_text(out, &res, why, sizeof why)))
        return;
    if (CHECK_EQ(res.nheaders, 2u)) {
        CHECK_STR(res.headers[0].name, "Content-Type");
        CHECK_STR(res.headers[1].name, "X-Kept");
    }
    CHECK_EQ(res.body_len, 4u);
    wbCgiResponseFree(&res);
    /* hop-by-hop headers do not count as the required ones */
    CHECK_REFUSED("Content-Length: 3\n\nabc", "no Content-Type, Location or Status header");
}

TEST(cgi_parse_refuses_bad_output)
{
    CHECK_REFUSED("", "the handler wrote nothing");
    CHECK_REFUSED("Content-Type: text/plain", "no blank line ending the headers");
    CHECK_REFUSED("Content-Type: text/plain\n", "no blank line ending the headers");
    CHECK_REFUSED("Content-Type: text/plain\r\n", "no blank line ending the headers");
    CHECK_REFUSED("Content-Type: text/plain\r\nhello", "no blank line ending the headers");
    CHECK_REFUSED("Content-Type: text/plain\r\nhello\n\n", "line 2: not a header (no ':')");
    CHECK_REFUSED("hello world\n\n", "line 1: not a header (no ':')");
    CHECK_REFUSED("\r\r\n\n", "line 1: not a header (no ':')");
    CHECK_REFUSED("Content-Type: a/b\n: value\n\n", "line 2: empty header name");
    CHECK_REFUSED("Content Type: a/b\n\n", "line 1: bad character in a header name");
    CHECK_REFUSED("Content-Type : a/b\n\n", "line 1: bad character in a header name");
    CHECK_REFUSED("Content-Type: a/b\n folded\n\n", "line 2: not a header");
    CHECK_REFUSED("Content-Type: a/b\n X-Folded: x\n\n", "line 2: bad character in a header name");
    CHECK_REFUSED("X-\xc3\xa9: 1\nContent-Type: a/b\n\n", "bad character in a header name");
    CHECK_REFUSED("Content-Type: a/b\r\r\n\n", "line 1: control character in the value of "
                                             "Content-Type");
    CHECK_REFUSED("Content-Type: a\rb\n\n", "control character");
    CHECK_REFUSED("Content-Type: a\x7f\n\n", "control character");
    CHECK_REFUSED("Content-Type: a\x1b[31m\n\n", "control character");
    CHECK_REFUSED("X-Hello: hi\n\nbody", "no Content-Type, Location or Status header");
    CHECK_REFUSED("\n\nbody", "no Content-Type, Location or Status header");
    CHECK_REFUSED("\r\nbody", "no Content-Type, Location or Status header");
}

TEST(cgi_parse_refuses_nul_in_headers)
{
    CHECK_REFUSED("Content-Type: text/pl\0ain\n\n", "line 1: control character");
    CHECK_REFUSED("Content\0-Type: text/plain\n\n", "line 1: bad character in a header name");
    CHECK_REFUSED("\0\n\n", "line 1: not a header");
    CHECK_REFUSED("Content-Type: a/b\nX: \0\n\n", "line 2: control character in the value of X");
}

TEST(cgi_parse_header_count_limit)
{
    char *out = malloc(101 * 16 + 64);
    if (!CHECK(out))
        return;
    size_t o = (size_t)sprintf(out, "Content-Type: a/b\n");
    for (int i = 1; i < 100; i++)
        o += (size_t)sprintf(out + o, "X-H%d: %d\n", i, i);
    o += (size_t)sprintf(out + o, "\nbody");
    wbCgiResponse res;
    char why[128] = "";
    if (CHECKF(wbCgiParse((uint8_t *)out, o, &res, why, sizeof why), "100 headers: %s", why))
        CHECK_EQ(res.nheaders, 100u);
    wbCgiResponseFree(&res);
    /* one more is refused, dropped headers and Status count too */
    o = (size_t)sprintf(out, "Status: 200\nConnection: close\n");
    for (int i = 2; i < 101; i++)
        o += (size_t)sprintf(out + o, "X-H%d: %d\n", i, i);
    o += (size_t)sprintf(out + o, "\nbody");
    check_refused(__FILE__, __LINE__, (uint8_t *)out, o, "more than 100 headers");
    free(out);
}

TEST(cgi_parse_header_size_limit)
{
    /* one header line of exactly 64 KiB (its LF included) is accepted */
    size_t big = 65536;
    uint8_t *out = malloc(big + 1024);
    if (!CHECK(out))
        return;
    memcpy(out, "Content-Type: ", 14);
    memset(out + 14, 'a', big - 15);
    out[big - 1] = '\n';
    memcpy(out + big, "\r\nbody", 6);
    wbCgiResponse res;
    char why[128] = "";
    uint8_t *copy = unitDup(out, big + 6);
    if (CHECKF(wbCgiParse(copy, big + 6, &res, why, sizeof why), "%s", why)) {
        CHECK_EQ(strlen(res.headers[0].value), big - 15);
        CHECK_EQ(res.body_len, 4u);
    }
    wbCgiResponseFree(&res);
    free(copy);
    /* one byte more is not */
    memcpy(out, "Content-Type: ", 14);
    memset(out + 14, 'a', big - 14);
    out[big] = '\n';
    memcpy(out + big + 1, "\nbody", 5);
    check_refused(__FILE__, __LINE__, out, big + 6, "headers over 64 KiB");
    /* many small lines adding up past 64 KiB */
    size_t o = 0;
    memcpy(out, "Content-Type: a/b\n", 18);
    o = 18;
    static const char small[] = "X: 012345678901234567890123456789012345678901234567890123\n";
    while (o < big + 10) {
        memcpy(out + o, small, sizeof small - 1);
        o += sizeof small - 1;
    }
    check_refused(__FILE__, __LINE__, out, o, "more than 100 headers"); /* the count first */
    free(out);

    /* huge output with no newline at all: refused without reading it all */
    size_t huge = 8u << 20;
    uint8_t *flood = malloc(huge);
    if (!CHECK(flood))
        return;
    memset(flood, 'x', huge);
    check_refused(__FILE__, __LINE__, flood, huge, "headers over 64 KiB");
    /* and huge output with a short header block is fine */
    memcpy(flood, "Content-Type: a/b\n\n", 19);
    if (CHECK(wbCgiParse(flood, huge, &res, why, sizeof why)))
        CHECK_EQ(res.body_len, huge - 19);
    wbCgiResponseFree(&res);
    free(flood);
}

TEST(cgi_parse_size_limit_with_few_long_lines)
{
    /* ten lines of 7000 bytes: 70,000 bytes of headers in 10 lines */
    size_t line = 7000, n = 10;
    uint8_t *out = malloc(line * n + 16);
    if (!CHECK(out))
        return;
    for (size_t i = 0; i < n; i++) {
        memcpy(out + i * line, "X-Long: ", 8);
        memset(out + i * line + 8, 'v', line - 9);
        out[i * line + line - 1] = '\n';
    }
    memcpy(out, "Content-Type: ", 14); /* the first line is Content-Type */
    memcpy(out + line * n, "\nbody", 5);
    check_refused(__FILE__, __LINE__, out, line * n + 5, "headers over 64 KiB");
    free(out);
}

TEST(cgi_parse_why_optional)
{
    wbCgiResponse res;
    CHECK(!wbCgiParse((const uint8_t *)"x", 1, &res, NULL, 0));
    char tiny[5];
    CHECK(!wbCgiParse((const uint8_t *)"x\n\n", 3, &res, tiny, sizeof tiny));
    CHECK_STR(tiny, "line");
    wbCgiResponseFree(&res);
    wbCgiResponseFree(NULL);
}
