/*
 * fuzz_cgi.c — libFuzzer target for WAGI (src/serve/cgi.c), both ways:
 *
 * - the input is a handler's stdout, parsed by wbCgiParse: a response it
 *   accepts has a status 200..599, a short reason, only headers a server
 *   may pass on (token names, no Status and no hop-by-hop ones, values
 *   without control characters or outer blanks) and a body that is the
 *   rest of the input; a refusal says why and holds nothing;
 * - the same input, cut at '\n', is a request given to wbCgiEnv: lines
 *   0-7 are the method (its 24 bytes not always NUL-terminated), target,
 *   path, query, host, remote address, server address and route prefix,
 *   line 8 the version and ports (its first bytes), then header name and
 *   value lines up to a "--" line, then the route's extra variables; the
 *   last line is also the body. Every variable must be NAME=VALUE with a
 *   distinct, non-empty NAME, and their count as reported.
 *
 * Any violation aborts. Built by `make fuzz FUZZ_TARGET=cgi` and, with
 * replay_main.c, into build/asan/fuzz-cgi-replay for `make test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/cgi.h"
#include "serve/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUST(cond)                                                                 \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "fuzz_cgi.c:%d: invariant failed: %s\n", __LINE__, #cond); \
            abort();                                                               \
        }                                                                          \
    } while (0)

#define MAX_LINES 256

/* ------------------------------------------------------------ response */

static void check_parse(const uint8_t *data, size_t size)
{
    static const char *const never[] = {"Status", "Connection", "Keep-Alive",
                                        "Transfer-Encoding", "Content-Length",
                                        "Proxy-Connection", "TE", "Upgrade"};
    wbCgiResponse res;
    char why[200];
    why[0] = '\0';
    if (wbCgiParse(data, size, &res, why, sizeof why)) {
        MUST(res.status >= 200 && res.status <= 599);
        MUST(memchr(res.reason, '\0', sizeof res.reason) != NULL);
        MUST(res.body >= data && res.body <= data + size);
        MUST(res.body + res.body_len == data + size);
        MUST(res.nheaders <= 100);
        for (size_t i = 0; i < res.nheaders; i++) {
            const char *name = res.headers[i].name, *value = res.headers[i].value;
            MUST(name && value && name[0]);
            for (size_t k = 0; k < sizeof never / sizeof never[0]; k++)
                MUST(strcasecmp(name, never[k]) != 0);
            for (const char *c = name; *c; c++)
                MUST(*c > ' ' && *c < 0x7f && *c != ':');
            for (const char *c = value; *c; c++)
                MUST((unsigned char)*c >= ' ' || *c == '\t');
            size_t vlen = strlen(value);
            MUST(!strchr(value, 0x7f));
            MUST(vlen == 0 || (value[0] != ' ' && value[0] != '\t' && value[vlen - 1] != ' ' &&
                               value[vlen - 1] != '\t'));
        }
    } else {
        MUST(why[0] != '\0');
        MUST(res.nheaders == 0 && res.headers == NULL);
    }
    wbCgiResponseFree(&res);
    MUST(res.nheaders == 0 && res.headers == NULL);
}

/* ------------------------------------------------------------ environment */

typedef struct Lines {
    char *at[MAX_LINES]; /* NUL-terminated copies */
    size_t len[MAX_LINES];
    size_t n;
} Lines;

static void split_lines(const uint8_t *data, size_t size, Lines *l)
{
    l->n = 0;
    size_t pos = 0;
    while (pos <= size && l->n < MAX_LINES) {
        const uint8_t *lf = pos < size ? memchr(data + pos, '\n', size - pos) : NULL;
        size_t end = lf ? (size_t)(lf - data) : size;
        char *copy = malloc(end - pos + 1);
        MUST(copy);
        memcpy(copy, data + pos, end - pos);
        copy[end - pos] = '\0';
        l->at[l->n] = copy;
        l->len[l->n++] = end - pos;
        if (!lf)
            break;
        pos = end + 1;
    }
}

static const char *line(const Lines *l, size_t i)
{
    return i < l->n ? l->at[i] : NULL;
}

static void check_env(const uint8_t *data, size_t size)
{
    Lines l;
    split_lines(data, size, &l);
    wbRequest r;
    memset(&r, 0, sizeof r);
    /* the fixed-size fields filled to the brim, unterminated when long */
    if (l.n > 0)
        memcpy(r.method, l.at[0], l.len[0] < sizeof r.method ? l.len[0] : sizeof r.method);
    r.target = (char *)line(&l, 1);
    r.path = (char *)line(&l, 2);
    r.query = (char *)line(&l, 3);
    r.host = (char *)line(&l, 4);
    if (l.n > 5)
        memcpy(r.remote_addr, l.at[5],
               l.len[5] < sizeof r.remote_addr ? l.len[5] : sizeof r.remote_addr);
    if (l.n > 6)
        memcpy(r.server_addr, l.at[6],
               l.len[6] < sizeof r.server_addr ? l.len[6] : sizeof r.server_addr);
    const char *prefix = line(&l, 7);
    if (l.n > 8) {
        const uint8_t *v = (const uint8_t *)l.at[8];
        size_t n = l.len[8];
        r.http_major = n > 0 ? v[0] % 4 : 1;
        r.http_minor = n > 1 ? v[1] % 4 : 1;
        r.remote_port = n > 3 ? v[2] << 8 | v[3] : 0;
        r.server_port = n > 5 ? v[4] << 8 | v[5] : 8080;
    }
    wbHeader headers[MAX_LINES / 2];
    size_t i = 9;
    while (i + 1 < l.n && strcmp(l.at[i], "--") != 0) {
        headers[r.nheaders].name = l.at[i];
        headers[r.nheaders].value = l.at[i + 1];
        r.nheaders++;
        i += 2;
    }
    r.headers = r.nheaders ? headers : NULL;
    if (i < l.n && strcmp(l.at[i], "--") == 0)
        i++;
    const char *const *extra = i < l.n ? (const char *const *)&l.at[i] : NULL;
    int nextra = i < l.n ? (int)(l.n - i) : 0;
    if (l.n > 0) {
        r.body = (uint8_t *)l.at[l.n - 1];
        r.body_len = l.len[l.n - 1];
    }

    size_t count = 12345;
    char **env = wbCgiEnv(&r, prefix, extra, nextra, &count);
    MUST(env); /* NULL only when out of memory */
    size_t k = 0;
    for (; env[k]; k++) {
        const char *eq = strchr(env[k], '=');
        MUST(eq && eq != env[k]);
        for (size_t j = 0; j < k; j++) {
            size_t nlen = (size_t)(eq - env[k]);
            MUST(!(strncmp(env[j], env[k], nlen) == 0 && env[j][nlen] == '='));
        }
    }
    MUST(k == count);
    wbCgiEnvFree(env);
    for (size_t j = 0; j < l.n; j++)
        free(l.at[j]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_parse(data, size);
    check_env(data, size);
    return 0;
}
