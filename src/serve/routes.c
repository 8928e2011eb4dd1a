/*
 * routes.c — the routes file of `wasmbox serve` (routes.h): loaded with
 * libyaml's document API into a tree, then walked by hand — a top mapping
 * (`defaults`, `routes`), a list of route mappings, and inside them only
 * scalars, lists of scalars and one mapping (`env`). Errors name the file
 * and the line of the node at fault (libyaml's marks count from 0).
 * Matching a request path to a route is a linear scan for the longest
 * prefix: route tables are small.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "serve/routes.h"

typedef struct Loader {
    const char *file;
    const char *folder; /* the routes file's folder, with its '/' ("conf/"), or "" */
    size_t folder_len;
    yaml_document_t *doc;
    char *why;
    size_t n;
} Loader;

#define SHOW_MAX 72 /* room for show(): 61 bytes, an escape, "..." */

/* The keys a route may have besides path and module, and `defaults` may. */
static const char POLICY_KEYS[] = "dirs, dirs-ro, env, fuel, timeout, max-memory, max-stack";

/* Sets why to "FILE:LINE: ..." (line counting from 1), or "FILE: ..."
 * when line is 0, and returns 0. */
static int vfail(char *why, size_t n, const char *file, size_t line, const char *fmt, va_list ap)
{
    if (!why || !n)
        return 0;
    int k = line ? snprintf(why, n, "%s:%zu: ", file, line) : snprintf(why, n, "%s: ", file);
    if (k >= 0 && (size_t)k < n)
        vsnprintf(why + k, n - (size_t)k, fmt, ap);
    return 0;
}

static int fail_line(char *why, size_t n, const char *file, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail_line(char *why, size_t n, const char *file, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(why, n, file, line, fmt, ap);
    va_end(ap);
    return 0;
}

/* Sets why to "FILE:LINE: ..." with the line of node, and returns 0. */
static int fail_at(Loader *L, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(Loader *L, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(L->why, L->n, L->file, node->start_mark.line + 1, fmt, ap);
    va_end(ap);
    return 0;
}

static yaml_node_t *node_at(const Loader *L, int id)
{
    return yaml_document_get_node(L->doc, id);
}

/* Text from the file, for a one-line message: at most 60 bytes, control
 * characters escaped ("5s\\n"), "..." when cut. Returns buf. */
static const char *show(const char *text, char buf[SHOW_MAX])
{
    size_t o = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (o > 60) {
            memcpy(buf + o, "...", 4);
            return buf;
        }
        if (*c == '\n')
            o += (size_t)snprintf(buf + o, SHOW_MAX - o, "\\n");
        else if (*c == '\t')
            o += (size_t)snprintf(buf + o, SHOW_MAX - o, "\\t");
        else if (*c < 0x20 || *c == 0x7f)
            o += (size_t)snprintf(buf + o, SHOW_MAX - o, "\\x%02x", *c);
        else
            buf[o++] = (char)*c;
    }
    buf[o] = '\0';
    return buf;
}

/* The text of a scalar node, or NULL (why set, with the line of `at`) when
 * the node is not a scalar or holds a NUL ("\0" in a double-quoted YAML
 * string), which C strings would silently cut. `what` names the value. */
static const char *scalar_text(Loader *L, const yaml_node_t *node, const yaml_node_t *at,
                               const char *what)
{
    char b[SHOW_MAX];
    if (node->type != YAML_SCALAR_NODE) {
        fail_at(L, at, "%s: expected a single value, not a %s", show(what, b),
                node->type == YAML_MAPPING_NODE ? "mapping" : "list");
        return NULL;
    }
    const char *s = (const char *)node->data.scalar.value;
    if (strlen(s) != node->data.scalar.length) {
        fail_at(L, at, "%s: contains a NUL character", show(what, b));
        return NULL;
    }
    return s;
}

/* Checks that a mapping has no key twice (YAML forbids it; libyaml lets it
 * through). Keys must be scalars. */
static int check_keys(Loader *L, const yaml_node_t *map, const char *where)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *key = node_at(L, p->key);
        if (!key || key->type != YAML_SCALAR_NODE)
            return fail_at(L, key ? key : map, "%s: keys must be plain names", where);
        const char *k = scalar_text(L, key, key, where);
        if (!k)
            return 0;
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *earlier = node_at(L, q->key);
            char b[SHOW_MAX];
            if (strcmp((const char *)earlier->data.scalar.value, k) == 0)
                return fail_at(L, key, "%s: duplicate key '%s' (first at line %zu)", where,
                               show(k, b), earlier->start_mark.line + 1);
        }
    }
    return 1;
}

/* A path from the routes file, relative to its folder: a new string. */
static char *resolve(const Loader *L, const char *path)
{
    size_t plen = strlen(path);
    size_t flen = path[0] == '/' ? 0 : L->folder_len;
    char *s = malloc(flen + plen + 1);
    if (s) {
        memcpy(s, L->folder, flen);
        memcpy(s + flen, path, plen + 1);
    }
    return s;
}

/* dirs / dirs-ro: a list of "HOST" or "HOST::GUEST", HOST relative to the
 * routes file's folder and GUEST defaulting to HOST as written. */
static int apply_dirs(Loader *L, wbPolicy *p, const char *key, const yaml_node_t *at,
                      const yaml_node_t *list)
{
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, at, "%s: expected a list like [\"static::/static\"]", key);
    for (yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++) {
        yaml_node_t *item = node_at(L, *it);
        const char *spec = scalar_text(L, item, item, key);
        if (!spec)
            return 0;
        char why[160], b[SHOW_MAX];
        const char *sep = strstr(spec, "::");
        size_t hostlen = sep ? (size_t)(sep - spec) : strlen(spec);
        const char *guest = sep ? sep + 2 : spec;
        if (hostlen == 0 || *guest == '\0')
            return fail_at(L, item, "%s '%s': expected HOST or HOST::GUEST", key, show(spec, b));
        if (spec[0] != '/' && strstr(L->folder, "::"))
            return fail_at(L, item,
                           "%s '%s': the routes file's folder has '::' in its name, which a "
                           "relative HOST cannot have",
                           key, show(spec, b));
        /* "FOLDER/HOST::GUEST" */
        size_t flen = spec[0] == '/' ? 0 : L->folder_len, glen = strlen(guest);
        char *full = malloc(flen + hostlen + 2 + glen + 1);
        if (!full)
            return fail_at(L, item, "out of memory");
        memcpy(full, L->folder, flen);
        memcpy(full + flen, spec, hostlen);
        memcpy(full + flen + hostlen, "::", 2);
        memcpy(full + flen + hostlen + 2, guest, glen + 1);
        int ok = wbPolicyAddDir(p, full, strcmp(key, "dirs-ro") == 0, why, sizeof why);
        free(full);
        if (!ok)
            return fail_at(L, item, "%s '%s': %s", key, show(spec, b), why);
    }
    return 1;
}

/* env: a mapping {NAME: VALUE} or a list ["NAME=VALUE", "NAME"]. */
static int apply_env(Loader *L, wbPolicy *p, const yaml_node_t *at, const yaml_node_t *env)
{
    char why[160], b[SHOW_MAX];
    if (env->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = env->data.sequence.items.start;
             it < env->data.sequence.items.top; it++) {
            yaml_node_t *item = node_at(L, *it);
            const char *spec = scalar_text(L, item, item, "env");
            if (!spec)
                return 0;
            if (!wbPolicyAddEnv(p, spec, why, sizeof why))
                return fail_at(L, item, "env '%s': %s", show(spec, b), why);
        }
        return 1;
    }
    if (env->type != YAML_MAPPING_NODE)
        return fail_at(L, at, "env: expected a mapping {NAME: VALUE} or a list [\"NAME=VALUE\"]");
    if (!check_keys(L, env, "env"))
        return 0;
    for (yaml_node_pair_t *pair = env->data.mapping.pairs.start;
         pair < env->data.mapping.pairs.top; pair++) {
        yaml_node_t *key = node_at(L, pair->key), *value = node_at(L, pair->value);
        const char *name = scalar_text(L, key, key, "env");
        if (!name)
            return 0;
        if (name[0] == '\0' || strchr(name, '='))
            return fail_at(L, key, "env: '%s' is not a variable name", show(name, b));
        const char *text = scalar_text(L, value, key, name);
        if (!text)
            return 0;
        size_t len = strlen(name) + 1 + strlen(text) + 1;
        char *spec = malloc(len);
        if (!spec)
            return fail_at(L, key, "out of memory");
        snprintf(spec, len, "%s=%s", name, text);
        int ok = wbPolicyAddEnv(p, spec, why, sizeof why);
        free(spec);
        if (!ok)
            return fail_at(L, key, "env %s: %s", show(name, b), why);
    }
    return 1;
}

/* One policy key of a route or of defaults. Returns 1, 0 on an error, or
 * -1 when key is not a policy key. */
static int apply_key(Loader *L, wbPolicy *p, const yaml_node_t *knode, const yaml_node_t *value)
{
    const char *key = (const char *)knode->data.scalar.value;
    if (strcmp(key, "dirs") == 0 || strcmp(key, "dirs-ro") == 0)
        return apply_dirs(L, p, key, knode, value);
    if (strcmp(key, "env") == 0)
        return apply_env(L, p, knode, value);
    if (strcmp(key, "fuel") == 0 || strcmp(key, "timeout") == 0 ||
        strcmp(key, "max-memory") == 0 || strcmp(key, "max-stack") == 0) {
        const char *text = scalar_text(L, value, knode, key);
        if (!text)
            return 0;
        char why[160], b[SHOW_MAX];
        if (!wbPolicySetLimit(p, key, text, why, sizeof why))
            return fail_at(L, knode, "%s '%s': %s", key, show(text, b), why);
        return 1;
    }
    return -1;
}

/* Why a route path is refused, or NULL. */
static const char *bad_path(const char *path)
{
    if (path[0] != '/')
        return "must start with '/'";
    for (const char *c = path; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (u <= ' ' || u >= 0x7f)
            return "must be printable ASCII without spaces (percent-encode the rest)";
        if (u == '?' || u == '#')
            return "must not contain '?' or '#'";
    }
    /* segments: none empty (but a trailing one), none "." or ".." */
    for (const char *seg = path + 1; *seg;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if ((len == 0 && end && end[1]) || (len == 1 && seg[0] == '.') ||
            (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return "must not have empty, '.' or '..' segments";
        if (!end)
            break;
        seg = end + 1;
    }
    return NULL;
}

/* The path without trailing '/'s ("/" stays): a new string. */
static char *normalize_path(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, path, len);
        s[len] = '\0';
    }
    return s;
}

/* Reads one route mapping into r (its policy starts as a copy of defaults). */
static int load_route(Loader *L, const yaml_node_t *map, const wbPolicy *defaults, wbRoute *r,
                      const yaml_node_t **path_node)
{
    if (map->type != YAML_MAPPING_NODE)
        return fail_at(L, map, "a route must be a mapping with path and module");
    if (!check_keys(L, map, "route"))
        return 0;
    if (!wbPolicyCopy(&r->policy, defaults))
        return fail_at(L, map, "out of memory");
    for (yaml_node_pair_t *pair = map->data.mapping.pairs.start;
         pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *key = node_at(L, pair->key), *value = node_at(L, pair->value);
        const char *k = (const char *)key->data.scalar.value;
        if (strcmp(k, "path") == 0) {
            const char *text = scalar_text(L, value, key, "path");
            if (!text)
                return 0;
            const char *bad = bad_path(text);
            char b[SHOW_MAX];
            if (bad)
                return fail_at(L, key, "path '%s' %s", show(text, b), bad);
            free(r->prefix);
            r->prefix = normalize_path(text);
            if (!r->prefix)
                return fail_at(L, key, "out of memory");
            *path_node = key;
        } else if (strcmp(k, "module") == 0) {
            const char *text = scalar_text(L, value, key, "module");
            if (!text)
                return 0;
            if (!*text)
                return fail_at(L, key, "module: expected the path of a .wasm file");
            free(r->module_path);
            r->module_path = resolve(L, text);
            if (!r->module_path)
                return fail_at(L, key, "out of memory");
        } else {
            int st = apply_key(L, &r->policy, key, value);
            char b[SHOW_MAX];
            if (st < 0)
                return fail_at(L, key, "unknown key '%s' in a route (expected path, module, %s)",
                               show(k, b), POLICY_KEYS);
            if (!st)
                return 0;
        }
    }
    if (!r->prefix)
        return fail_at(L, map, "route without a path");
    if (!r->module_path)
        return fail_at(L, map, "route %s without a module", r->prefix); /* prefix is printable */
    return 1;
}

static int load_tree(Loader *L, const wbPolicy *base, wbRoutes *out)
{
    yaml_node_t *root = yaml_document_get_root_node(L->doc);
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(L, root, "expected a mapping with a 'routes' list (and 'defaults')");
    if (!check_keys(L, root, "routes file"))
        return 0;
    const yaml_node_t *defaults = NULL, *routes = NULL;
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        yaml_node_t *key = node_at(L, pair->key), *value = node_at(L, pair->value);
        const char *k = (const char *)key->data.scalar.value;
        if (strcmp(k, "defaults") == 0)
            defaults = value;
        else if (strcmp(k, "routes") == 0)
            routes = value;
        else
            return fail_at(L, key, "unknown key '%s' (expected defaults or routes)",
                           show(k, (char[SHOW_MAX]){0}));
    }
    if (!routes)
        return fail_at(L, root, "no 'routes' list");
    if (routes->type != YAML_SEQUENCE_NODE)
        return fail_at(L, routes, "routes: expected a list of routes");
    size_t count = (size_t)(routes->data.sequence.items.top - routes->data.sequence.items.start);
    if (count == 0)
        return fail_at(L, routes, "routes: the list is empty");

    /* the defaults, on top of the command line's policy */
    wbPolicy dflt;
    int ok = base ? wbPolicyCopy(&dflt, base) : (wbPolicyInit(&dflt), 1);
    if (!ok)
        return fail_at(L, root, "out of memory");
    if (defaults && defaults->type != YAML_MAPPING_NODE) {
        ok = fail_at(L, defaults, "defaults: expected a mapping");
    } else if (defaults) {
        ok = check_keys(L, defaults, "defaults");
        for (yaml_node_pair_t *pair = defaults->data.mapping.pairs.start;
             ok && pair < defaults->data.mapping.pairs.top; pair++) {
            yaml_node_t *key = node_at(L, pair->key), *value = node_at(L, pair->value);
            const char *k = (const char *)key->data.scalar.value;
            int st = apply_key(L, &dflt, key, value);
            if (st < 0)
                ok = fail_at(L, key, "unknown key '%s' in defaults (expected %s)",
                             show(k, (char[SHOW_MAX]){0}), POLICY_KEYS);
            else
                ok = st;
        }
    }

    const yaml_node_t **paths = calloc(count, sizeof *paths);
    out->routes = calloc(count, sizeof *out->routes);
    if (ok && (!paths || !out->routes))
        ok = fail_at(L, routes, "out of memory");
    for (size_t i = 0; ok && i < count; i++) {
        yaml_node_t *item = node_at(L, routes->data.sequence.items.start[i]);
        wbRoute *r = &out->routes[i];
        wbPolicyInit(&r->policy);
        ok = load_route(L, item, &dflt, r, &paths[i]);
        out->n = i + 1; /* freed with the rest, whole or half made */
        for (size_t j = 0; ok && j < i; j++)
            if (strcmp(out->routes[j].prefix, r->prefix) == 0)
                ok = fail_at(L, paths[i], "path '%s' is routed twice (first at line %zu)",
                             r->prefix, paths[j]->start_mark.line + 1);
    }
    free(paths);
    wbPolicyFree(&dflt);
    return ok;
}

/* Why libyaml could not load the file. */
static void parser_error(const yaml_parser_t *parser, const char *file, char *why, size_t n)
{
    const char *problem = parser->problem ? parser->problem : "not valid YAML";
    if (parser->error == YAML_MEMORY_ERROR)
        fail_line(why, n, file, 0, "out of memory");
    else if (parser->error == YAML_READER_ERROR) /* bad encoding: no line known */
        fail_line(why, n, file, 0, "%s at byte %zu", problem, parser->problem_offset);
    else if (parser->context)
        fail_line(why, n, file, parser->problem_mark.line + 1, "%s (%s at line %zu)", problem,
                  parser->context, parser->context_mark.line + 1);
    else
        fail_line(why, n, file, parser->problem_mark.line + 1, "%s", problem);
}

int wbRoutesLoad(const char *file, const wbPolicy *base, wbRoutes *out, char *why, size_t n)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(file, "rb");
    if (!f)
        return fail_line(why, n, file, 0, "%s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return fail_line(why, n, file, 0, "%s", strerror(EISDIR));
    }

    /* paths in the file are relative to its folder */
    const char *slash = strrchr(file, '/');
    size_t flen = slash ? (size_t)(slash - file) + 1 : 0;
    char *folder = malloc(flen + 1);
    if (!folder) {
        fclose(f);
        return fail_line(why, n, file, 0, "out of memory");
    }
    memcpy(folder, file, flen);
    folder[flen] = '\0';

    yaml_parser_t parser;
    yaml_document_t doc;
    int ok = 0, have_doc = 0;
    if (!yaml_parser_initialize(&parser)) {
        free(folder);
        fclose(f);
        return fail_line(why, n, file, 0, "out of memory");
    }
    yaml_parser_set_input_file(&parser, f);
    Loader L = {file, folder, flen, &doc, why, n};
    if (!yaml_parser_load(&parser, &doc)) {
        parser_error(&parser, file, why, n);
        goto done;
    }
    have_doc = 1;
    if (!yaml_document_get_root_node(&doc)) {
        fail_line(why, n, file, 0, "empty file (expected a mapping with a 'routes' list)");
        goto done;
    }
    /* a second document would be ignored: refuse it instead */
    yaml_document_t next;
    if (!yaml_parser_load(&parser, &next)) {
        parser_error(&parser, file, why, n);
        goto done;
    }
    yaml_node_t *second = yaml_document_get_root_node(&next);
    if (second) {
        fail_at(&L, second, "a second YAML document (one is expected)");
        yaml_document_delete(&next);
        goto done;
    }
    yaml_document_delete(&next);
    ok = load_tree(&L, base, out);
done:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    free(folder);
    if (!ok)
        wbRoutesFree(out);
    return ok;
}

void wbRoutesFree(wbRoutes *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->routes[i].prefix);
        free(r->routes[i].module_path);
        wbPolicyFree(&r->routes[i].policy);
    }
    free(r->routes);
    r->routes = NULL;
    r->n = 0;
}

long wbRoutesMatch(const wbRoutes *r, const char *path)
{
    long best = -1;
    size_t best_len = 0;
    if (!r || !path)
        return -1;
    for (size_t i = 0; i < r->n; i++) {
        const char *prefix = r->routes[i].prefix;
        size_t len = strlen(prefix);
        int match;
        if (strcmp(prefix, "/") == 0)
            match = 1;
        else
            match = strncmp(path, prefix, len) == 0 && (path[len] == '\0' || path[len] == '/');
        if (match && (best < 0 || len > best_len)) {
            best = (long)i;
            best_len = len;
        }
    }
    return best;
}
