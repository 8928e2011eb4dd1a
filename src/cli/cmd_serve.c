/*
 * cmd_serve.c — `wasmbox serve [OPTIONS] MODULE | --routes FILE`: answers
 * HTTP requests with WAGI handler modules, each request in a fresh
 * sandbox, behind a fixed pool of workers (src/serve). This file only
 * reads the options, loads the routes and hands over to wbServe.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sandbox/policy.h"
#include "serve/app.h"
#include "serve/routes.h"
#include "serve/server.h"

#define DEFAULT_TIMEOUT "30s"

static void usage(FILE *out)
{
    fprintf(out,
"usage: wasmbox serve [OPTIONS] MODULE\n"
"       wasmbox serve [OPTIONS] --routes FILE\n"
"\n"
"Serves HTTP with WAGI handlers: every request runs MODULE's _start in a\n"
"fresh sandbox, with the request in its environment (REQUEST_METHOD,\n"
"PATH_INFO, QUERY_STRING, HTTP_* headers, ...) and its body on stdin; the\n"
"handler writes CGI headers (Content-Type:, Status:, Location:), a blank\n"
"line and the body on stdout.\n"
"\n"
"Server:\n"
"  --listen ADDR:PORT     where to listen (default 127.0.0.1:8080; port 0: any free port)\n"
"  --admin ADDR:PORT      serve Prometheus metrics at /metrics there (default: off)\n"
"  --routes FILE          path prefixes -> modules, each with its own limits (YAML;\n"
"                         see docs/serve.md)\n"
"  --workers N            worker threads running handlers (default: one per core)\n"
"  --queue N              requests waiting for a worker before 503 (default 64 per worker)\n"
"  --max-connections N    open client connections before 503 (default 1024)\n"
"  --max-body SIZE        request body limit, else 413 (default 1MiB)\n"
"  --max-headers SIZE     request line + headers limit, else 431 (default 16KiB)\n"
"  --max-response SIZE    handler output limit, else 502 (default 16MiB)\n"
"  --read-timeout DUR     a request must arrive whole within this, else 408 (default 10s)\n"
"  --idle-timeout DUR     keep-alive connections idle this long are closed (default 5s)\n"
"  --write-timeout DUR    a client must take response bytes within this (default 10s)\n"
"  --grace DUR            on SIGTERM/SIGINT, time to finish requests in flight (default 10s)\n"
"  --quiet                no access log (handler failures still go to stderr)\n"
"  --interpreter          run handlers in the interpreter instead of native code\n"
"\n"
"Per request (defaults for every route of --routes):\n"
"  --dir HOST[::GUEST]    grant a host directory (read-write) as GUEST\n"
"  --dir-ro HOST[::GUEST] grant it read-only\n"
"  --env NAME=VALUE       set a variable; --env NAME passes the host's value\n"
"  --max-memory SIZE      linear memory limit (default 4GiB)\n"
"  --fuel N               instruction budget per request (default: unlimited)\n"
"  --timeout DUR          wall-clock limit per request (default " DEFAULT_TIMEOUT ")\n"
"  --max-stack SIZE       value stack limit (default 8MiB)\n"
"\n"
"Responses wasmbox makes: 500 handler trap, memory limit, stack exhaustion\n"
"or non-zero exit; 502 malformed handler output; 504 timeout or fuel\n"
"exhausted; 404 no route; 503 queue full or shutting down (Retry-After: 1);\n"
"400 malformed request; 408 request too slow; 413 body too large; 431\n"
"headers too large. One access log line per request on stdout.\n"
"Signals: SIGTERM/SIGINT stop accepting, finish requests in flight (up to\n"
"--grace) and exit 0; SIGHUP reloads the routes file (or MODULE).\n"
"\n"
"SIZE: 65536, 512KiB, 64MiB, 1GiB.  DUR: 500ms, 5s, 1.5s, 2m.\n");
}

typedef struct ServeOptions {
    wbServeConfig cfg;
    wbPolicy policy;       /* per request, the base of every route */
    const char *routes;    /* --routes FILE */
    const char *module;    /* MODULE */
} ServeOptions;

static int option_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int option_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wasmbox serve: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nRun 'wasmbox serve --help' for the options.\n");
    va_end(ap);
    return WB_EXIT_USAGE;
}

/* A whole number in [min, max]. */
static int parse_number(const char *opt, const char *value, uint64_t min, uint64_t max,
                        uint64_t *out)
{
    if (!wbParseCount(value, out) || *out < min || *out > max)
        return option_error("%s '%s': expected a whole number from %llu to %llu", opt, value,
                            (unsigned long long)min, (unsigned long long)max);
    return WB_EXIT_OK;
}

static int parse_size(const char *opt, const char *value, uint64_t min, uint64_t max,
                      size_t *out)
{
    uint64_t v;
    if (!wbParseSize(value, &v) || v < min || v > max)
        return option_error("%s '%s': expected a size like 64KiB or 16MiB, from %llu bytes "
                            "to %llu", opt, value, (unsigned long long)min,
                            (unsigned long long)max);
    *out = (size_t)v;
    return WB_EXIT_OK;
}

static int parse_duration(const char *opt, const char *value, uint64_t *out)
{
    if (!wbParseDuration(value, out) || *out == 0)
        return option_error("%s '%s': expected a duration above 0 like 500ms, 5s or 2m", opt,
                            value);
    return WB_EXIT_OK;
}

static const char *const aValued[] = {
    "--listen",   "--admin",        "--routes",        "--workers",      "--queue",
    "--max-connections", "--max-body", "--max-headers", "--max-response", "--read-timeout",
    "--idle-timeout", "--write-timeout", "--grace",   "--dir",          "--dir-ro",
    "--env",      "--max-memory",   "--fuel",          "--timeout",      "--max-stack"};

static int apply(ServeOptions *o, const char *opt, const char *value)
{
    wbServeConfig *c = &o->cfg;
    uint64_t n;
    char why[200];
    int st = WB_EXIT_OK;
    if (strcmp(opt, "--listen") == 0 || strcmp(opt, "--admin") == 0) {
        struct sockaddr_storage sa;
        socklen_t salen;
        if (!wbServeParseAddress(value, &sa, &salen, why, sizeof why))
            return option_error("%s '%s': %s", opt, value, why);
        *(opt[2] == 'l' ? &c->listen : &c->admin) = value;
    } else if (strcmp(opt, "--routes") == 0)
        o->routes = value;
    else if (strcmp(opt, "--workers") == 0) {
        if ((st = parse_number(opt, value, 1, 1024, &n)) == WB_EXIT_OK)
            c->workers = (unsigned)n;
    } else if (strcmp(opt, "--queue") == 0) {
        if ((st = parse_number(opt, value, 1, 1000000, &n)) == WB_EXIT_OK)
            c->queue = (size_t)n;
    } else if (strcmp(opt, "--max-connections") == 0) {
        if ((st = parse_number(opt, value, 1, 1000000, &n)) == WB_EXIT_OK)
            c->max_connections = (unsigned)n;
    } else if (strcmp(opt, "--max-body") == 0)
        st = parse_size(opt, value, 0, 1ull << 32, &c->max_body);
    else if (strcmp(opt, "--max-headers") == 0)
        st = parse_size(opt, value, 256, 1ull << 24, &c->max_headers);
    else if (strcmp(opt, "--max-response") == 0)
        st = parse_size(opt, value, 64, 1ull << 32, &c->max_response);
    else if (strcmp(opt, "--read-timeout") == 0)
        st = parse_duration(opt, value, &c->read_timeout_ns);
    else if (strcmp(opt, "--idle-timeout") == 0)
        st = parse_duration(opt, value, &c->idle_timeout_ns);
    else if (strcmp(opt, "--write-timeout") == 0)
        st = parse_duration(opt, value, &c->write_timeout_ns);
    else if (strcmp(opt, "--grace") == 0)
        st = parse_duration(opt, value, &c->grace_ns);
    else if (strcmp(opt, "--dir") == 0 || strcmp(opt, "--dir-ro") == 0) {
        if (!wbPolicyAddDir(&o->policy, value, opt[5] == '-', why, sizeof why))
            st = option_error("%s '%s': %s", opt, value, why);
    } else if (strcmp(opt, "--env") == 0) {
        if (!wbPolicyAddEnv(&o->policy, value, why, sizeof why))
            st = option_error("%s '%s': %s", opt, value, why);
    } else if (!wbPolicySetLimit(&o->policy, opt + 2, value, why, sizeof why)) {
        st = option_error("%s '%s': %s", opt, value, why);
    }
    return st;
}

/* Reads argv into o. WB_EXIT_OK, or a usage error's status (--help: the
 * help is printed and *done set). */
static int parse_options(ServeOptions *o, int argc, char **argv, int *done)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (wbCliIsHelp(a)) {
            usage(stdout);
            *done = 1;
            return WB_EXIT_OK;
        }
        if (strcmp(a, "--quiet") == 0) {
            o->cfg.quiet = 1;
            continue;
        }
        if (strcmp(a, "--interpreter") == 0) {
            wb_set_tier(WB_TIER_INTERPRETER);
            continue;
        }
        if (a[0] != '-' || a[1] == '\0') {
            if (o->module)
                return option_error("more than one MODULE ('%s' and '%s')", o->module, a);
            o->module = a;
            continue;
        }
        const char *opt = NULL, *value = NULL;
        for (size_t k = 0; k < sizeof aValued / sizeof aValued[0] && !opt; k++) {
            size_t len = strlen(aValued[k]);
            if (strncmp(a, aValued[k], len) != 0)
                continue;
            if (a[len] == '=') {
                opt = aValued[k];
                value = a + len + 1;
            } else if (a[len] == '\0') {
                opt = aValued[k];
                if (i + 1 >= argc)
                    return option_error("%s needs a value", opt);
                value = argv[++i];
            }
        }
        if (!opt)
            return option_error("unknown option '%s'", a);
        int st = apply(o, opt, value);
        if (st != WB_EXIT_OK)
            return st;
    }
    if (!o->module && !o->routes) {
        fprintf(stderr, "wasmbox serve: no MODULE and no --routes FILE given\n");
        usage(stderr);
        return WB_EXIT_USAGE;
    }
    if (o->module && o->routes)
        return option_error("give either MODULE or --routes FILE, not both");
    return WB_EXIT_OK;
}

/* The routes of a single MODULE: "/" → MODULE with the command line's policy. */
static int single_route(const ServeOptions *o, wbRoutes *out, char *why, size_t n)
{
    memset(out, 0, sizeof *out);
    out->routes = calloc(1, sizeof *out->routes);
    if (!out->routes) {
        snprintf(why, n, "out of memory");
        return 0;
    }
    out->n = 1;
    wbRoute *r = &out->routes[0];
    r->prefix = strdup("/");
    r->module_path = strdup(o->module);
    if (!r->prefix || !r->module_path || !wbPolicyCopy(&r->policy, &o->policy)) {
        snprintf(why, n, "out of memory");
        wbRoutesFree(out);
        return 0;
    }
    return 1;
}

/* Loads the routes (file or MODULE) and compiles their modules. */
static wbApp *load_app(void *arg, char *why, size_t n)
{
    const ServeOptions *o = arg;
    wbRoutes routes;
    int ok = o->routes ? wbRoutesLoad(o->routes, &o->policy, &routes, why, n)
                       : single_route(o, &routes, why, n);
    if (!ok)
        return NULL;
    if (routes.n == 0) {
        snprintf(why, n, "%s: no routes", o->routes);
        wbRoutesFree(&routes);
        return NULL;
    }
    return wbAppNew(&routes, why, n);
}

int wbCmdServe(int argc, char **argv)
{
    ServeOptions o;
    memset(&o, 0, sizeof o);
    wbPolicyInit(&o.policy);
    char why[512];
    if (!wbPolicySetLimit(&o.policy, "timeout", DEFAULT_TIMEOUT, why, sizeof why)) {
        fprintf(stderr, "wasmbox serve: %s\n", why);
        return WB_EXIT_FAILURE;
    }
    wbServeConfig *c = &o.cfg;
    c->listen = "127.0.0.1:8080";
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    c->workers = cores > 0 && cores <= 1024 ? (unsigned)cores : 1;
    c->max_connections = 1024;
    c->max_body = 1u << 20;
    c->max_headers = 16u << 10;
    c->max_response = 16u << 20;
    c->read_timeout_ns = 10000000000ull;
    c->idle_timeout_ns = 5000000000ull;
    c->write_timeout_ns = 10000000000ull;
    c->grace_ns = 10000000000ull;
    int done = 0;
    int status = parse_options(&o, argc, argv, &done);
    if (status != WB_EXIT_OK || done) {
        wbPolicyFree(&o.policy);
        return status;
    }
    if (!c->queue)
        c->queue = 64 * (size_t)c->workers;
    c->app = load_app(&o, why, sizeof why);
    if (!c->app) {
        fprintf(stderr, "wasmbox serve: %s\n", why);
        wbPolicyFree(&o.policy);
        return WB_EXIT_USAGE;
    }
    c->reload = load_app;
    c->reload_arg = &o;
    status = wbServe(c);
    wbPolicyFree(&o.policy);
    return status;
}
