/*
 * routes.h — the routes file of `wasmbox serve --routes FILE`: which
 * handler module answers which path prefix, each with its own sandbox
 * policy. YAML (1.1, one document), read with libyaml. The format, in
 * full (docs/serve.md has the user's guide):
 *
 *     # routes.yaml
 *     defaults:                 # optional: applied to every route first
 *       timeout: 5s
 *       max-memory: 64MiB
 *     routes:
 *       - path: /hello          # prefix, matched on '/' boundaries
 *         module: hello-http.wasm   # relative to the routes file's folder
 *       - path: /files
 *         module: files.wasm
 *         dirs: ["static::/static"] # like --dir (HOST relative to the file's folder)
 *         dirs-ro: ["data::/data"]  # like --dir-ro
 *         env: {GREETING: hi, MODE: prod}   # or a list ["NAME=VALUE", "NAME"]
 *         fuel: 100000000
 *         timeout: 2s
 *         max-memory: 16MiB
 *         max-stack: 1MiB
 *
 * The top level is a mapping with `routes` (required: a non-empty list of
 * mappings) and `defaults` (optional: a mapping), in either order.
 *
 * A route has:
 *   path        required. Starts with '/'; printable ASCII without spaces,
 *               '?' or '#'; no empty, "." or ".." segments. Trailing '/'s
 *               are dropped ("/hello/" is "/hello"). Matched against the
 *               request's path as sent (not percent-decoded).
 *   module      required. The handler's .wasm file; a relative path is
 *               taken from the routes file's folder ("conf/routes.yaml":
 *               `module: a.wasm` is conf/a.wasm). Not opened here.
 *   and any of the policy keys, which `defaults` may hold too:
 *   dirs        a list of "HOST" or "HOST::GUEST", like --dir; a relative
 *               HOST is taken from the routes file's folder, GUEST
 *               defaults to HOST as written
 *   dirs-ro     the same, read-only, like --dir-ro
 *   env         a mapping {NAME: VALUE}, or a list of "NAME=VALUE" (or
 *               "NAME": the host's value, like --env NAME)
 *   fuel, timeout, max-memory, max-stack
 *               like the flags of `wasmbox run`, same forms and ranges
 *
 * Values are taken as text whatever their YAML style: `fuel: 1000000`,
 * `fuel: "1000000"` and `fuel: '1000000'` are the same; `MODE: ~` is the
 * text "~", and an empty value is "". Anchors and aliases work; the merge
 * key `<<` does not (it is an unknown key).
 *
 * Every route starts from `base` (the command line's --env/--dir/limits),
 * then the file's defaults, then its own keys: a limit replaces the one
 * before it; env adds to the defaults' (a NAME set again replaces its
 * value); dirs and dirs-ro add to them (the base's, the defaults', then the
 * route's, in that order: the guest's fds 3, 4, ...).
 *
 * Errors: invalid YAML, an empty file, a top level that is not a mapping, an
 * unknown key (at the top, in defaults, in a route), a key given twice in
 * one mapping, a missing or empty `routes`, a route that is not a mapping,
 * a route without path or module, a bad path, two routes with the same
 * path (after dropping trailing '/'s), a value of the wrong shape (a list
 * where one value is expected, ...), a value containing a NUL, and every
 * value a flag of `wasmbox run` would refuse.
 */
#ifndef WB_SERVE_ROUTES_H
#define WB_SERVE_ROUTES_H

#include <stddef.h>

#include "sandbox/policy.h"

typedef struct wbRoute {
    char *prefix;      /* "/hello"; "/" matches everything */
    char *module_path; /* resolved against the routes file's folder */
    wbPolicy policy;
} wbRoute;

typedef struct wbRoutes {
    wbRoute *routes;
    size_t n;
} wbRoutes;

/*
 * Reads a routes file. `base` is the policy every route starts from (the
 * command line's --env/--dir/limits; may be NULL), before the file's
 * defaults. Returns 1 with out filled (routes in the file's order; free
 * with wbRoutesFree), or 0 with out empty and "FILE:LINE: reason" (or
 * "FILE: reason" when no line applies: "routes.yaml: No such file or
 * directory") in why, e.g.
 *   routes.yaml:7: timeout '5x': expected a duration like 500ms, 5s, 1.5s or 2m
 *   routes.yaml:3: unknown key 'modul' in a route (expected path, module, ...)
 */
int wbRoutesLoad(const char *file, const wbPolicy *base, wbRoutes *out, char *why, size_t n);
/* Frees every route and leaves r empty. NULL is fine. */
void wbRoutesFree(wbRoutes *r);

/*
 * The route for `path` (the request's path, without its query): the
 * longest prefix that equals the path or is followed in it by '/'
 * ("/hello" matches "/hello", "/hello/x", not "/helloworld" or "/Hello";
 * "/" matches all). Returns its index, or -1 when none matches.
 */
long wbRoutesMatch(const wbRoutes *r, const char *path);

#endif /* WB_SERVE_ROUTES_H */
