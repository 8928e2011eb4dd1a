/*
 * test_routes.c — the routes file of `wasmbox serve` (src/serve/routes.c):
 * the documented example, paths relative to the file's folder, defaults and
 * the command line's policy merged under each route, YAML value styles,
 * every error with its line, and matching request paths to routes.
 * Each test writes its files into a fresh mkdtemp folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/routes.h"
#include "unit.h"

/* A fresh folder under $TMPDIR (or /tmp); removed with remove_dir. */
static char *make_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = malloc(4096);
    snprintf(dir, 4096, "%s/wb-routes-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

/* Writes text to DIR/NAME; returns the path (malloc'd). */
static char *write_file(const char *dir, const char *name, const void *text, size_t len)
{
    char *path = malloc(4096);
    snprintf(path, 4096, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    return path;
}

/* Removes DIR and the files named in the NULL-terminated list. */
static void remove_dir(char *dir, const char *const *names)
{
    char path[4200];
    for (; names && *names; names++) {
        snprintf(path, sizeof path, "%s/%s", dir, *names);
        unlink(path);
    }
    rmdir(dir);
    free(dir);
}

static const char *const ROUTES_ONLY[] = {"routes.yaml", NULL};

/* Loads text as DIR/routes.yaml. */
static int load_text(const char *dir, const char *text, const wbPolicy *base, wbRoutes *out,
                     char *why, size_t n)
{
    char *path = write_file(dir, "routes.yaml", text, strlen(text));
    int ok = wbRoutesLoad(path, base, out, why, n);
    free(path);
    return ok;
}

/* Checks that text is refused with "DIR/routes.yaml:LINE: reason..." (line
 * > 0) or "DIR/routes.yaml: reason..." (line 0), reason starting with want. */
static void check_refused(const char *file, int line, const char *text, int want_line,
                          const char *want)
{
    char *dir = make_dir();
    if (!unitCheck(dir != NULL, file, line, "mkdtemp"))
        return;
    wbRoutes routes;
    char why[512] = "";
    int ok = load_text(dir, text, NULL, &routes, why, sizeof why);
    char prefix[4400];
    if (want_line)
        snprintf(prefix, sizeof prefix, "%s/routes.yaml:%d: %s", dir, want_line, want);
    else
        snprintf(prefix, sizeof prefix, "%s/routes.yaml: %s", dir, want);
    unitCheckf(!ok, file, line, "!wbRoutesLoad", "accepted:\n%s", text);
    unitCheckf(strncmp(why, prefix, strlen(prefix)) == 0, file, line, "why",
               "got \"%s\", want \"%s...\"", why, prefix);
    unitCheckf(routes.n == 0 && routes.routes == NULL, file, line, "out empty",
               "routes left after a refusal");
    wbRoutesFree(&routes);
    remove_dir(dir, ROUTES_ONLY);
}
#define CHECK_REFUSED(text, line, want) check_refused(__FILE__, __LINE__, text, line, want)

/* The path DIR/NAME, in a static buffer. */
static const char *in_dir(const char *dir, const char *name)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* ---------------------------------------------------------------- loading */

static const char EXAMPLE[] = "# routes.yaml\n"
                              "defaults:                 # optional: applied to every route first\n"
                              "  timeout: 5s\n"
                              "  max-memory: 64MiB\n"
                              "routes:\n"
                              "  - path: /hello          # prefix, matched on '/' boundaries\n"
                              "    module: hello-http.wasm   # relative to the routes file's folder\n"
                              "  - path: /files\n"
                              "    module: files.wasm\n"
                              "    dirs: [\"static::/static\"] # like --dir\n"
                              "    dirs-ro: [\"data::/data\"]  # like --dir-ro\n"
                              "    env: {GREETING: hi, MODE: prod}   # or a list\n"
                              "    fuel: 100000000\n"
                              "    timeout: 2s\n"
                              "    max-memory: 16MiB\n"
                              "    max-stack: 1MiB\n";

TEST(routes_header_example)
{
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    wbRoutes r;
    char why[512] = "";
    if (!CHECKF(load_text(dir, EXAMPLE, NULL, &r, why, sizeof why), "%s", why)) {
        remove_dir(dir, ROUTES_ONLY);
        return;
    }
    if (CHECK_EQ(r.n, 2u)) {
        wbRoute *hello = &r.routes[0], *files = &r.routes[1];
        CHECK_STR(hello->prefix, "/hello");
        CHECK_STR(hello->module_path, in_dir(dir, "hello-http.wasm"));
        CHECK(hello->policy.timeout_ns == 5000000000ull);
        CHECK_STR(hello->policy.timeout, "5s");
        CHECK(hello->policy.max_memory == 64ull << 20);
        CHECK(hello->policy.fuel == 0);
        CHECK(hello->policy.max_stack == 0);
        CHECK_EQ(hello->policy.ndirs, 0);
        CHECK_EQ(hello->policy.nenv, 0);

        CHECK_STR(files->prefix, "/files");
        CHECK_STR(files->module_path, in_dir(dir, "files.wasm"));
        if (CHECK_EQ(files->policy.ndirs, 2)) {
            CHECK_STR(files->policy.dirs[0].host_path, in_dir(dir, "static"));
            CHECK_STR(files->policy.dirs[0].guest_path, "/static");
            CHECK_EQ(files->policy.dirs[0].read_only, 0);
            CHECK_STR(files->policy.dirs[1].host_path, in_dir(dir, "data"));
            CHECK_STR(files->policy.dirs[1].guest_path, "/data");
            CHECK_EQ(files->policy.dirs[1].read_only, 1);
        }
        if (CHECK_EQ(files->policy.nenv, 2)) {
            CHECK_STR(files->policy.env[0], "GREETING=hi");
            CHECK_STR(files->policy.env[1], "MODE=prod");
        }
        CHECK(files->policy.fuel == 100000000);
        CHECK(files->policy.timeout_ns == 2000000000ull);
        CHECK_STR(files->policy.timeout, "2s");
        CHECK(files->policy.max_memory == 16ull << 20);
        CHECK(files->policy.max_stack == 1ull << 20);
    }
    wbRoutesFree(&r);
    CHECK(r.routes == NULL && r.n == 0);
    wbRoutesFree(&r);
    wbRoutesFree(NULL);
    remove_dir(dir, ROUTES_ONLY);
}

TEST(routes_defaults_and_base_merge)
{
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    wbPolicy base;
    wbPolicyInit(&base);
    char why[512] = "";
    CHECK(wbPolicyAddEnv(&base, "A=base", why, sizeof why));
    CHECK(wbPolicyAddEnv(&base, "KEEP=base", why, sizeof why));
    CHECK(wbPolicyAddDir(&base, "cli::/cli", 0, why, sizeof why));
    CHECK(wbPolicySetLimit(&base, "fuel", "5", why, sizeof why));
    CHECK(wbPolicySetLimit(&base, "max-stack", "2MiB", why, sizeof why));
    static const char text[] = "routes:\n"
                               "  - path: /a\n"
                               "    module: a.wasm\n"
                               "    env: [\"A=route\", \"C=route\"]\n"
                               "    dirs-ro: [/abs/r::/r]\n"
                               "    timeout: 1s\n"
                               "  - path: /b\n"
                               "    module: /abs/b.wasm\n"
                               "defaults:\n"
                               "  env: {B: dflt, A: dflt}\n"
                               "  dirs: [d]\n"
                               "  timeout: 9s\n"
                               "  fuel: 7\n";
    wbRoutes r;
    if (CHECKF(load_text(dir, text, &base, &r, why, sizeof why), "%s", why) && CHECK_EQ(r.n, 2u)) {
        wbPolicy *a = &r.routes[0].policy, *b = &r.routes[1].policy;
        /* route a: base, then defaults, then its own */
        if (CHECK_EQ(a->nenv, 4)) {
            CHECK_STR(a->env[0], "A=route");
            CHECK_STR(a->env[1], "KEEP=base");
            CHECK_STR(a->env[2], "B=dflt");
            CHECK_STR(a->env[3], "C=route");
        }
        if (CHECK_EQ(a->ndirs, 3)) {
            CHECK_STR(a->dirs[0].host_path, "cli"); /* the command line's: as given */
            CHECK_STR(a->dirs[1].host_path, in_dir(dir, "d"));
            CHECK_STR(a->dirs[1].guest_path, "d");
            CHECK_STR(a->dirs[2].host_path, "/abs/r"); /* absolute: as written */
            CHECK_EQ(a->dirs[2].read_only, 1);
        }
        CHECK(a->fuel == 7);
        CHECK(a->max_stack == 2ull << 20);
        CHECK_STR(a->timeout, "1s");
        /* route b: base and defaults only */
        CHECK_STR(r.routes[1].module_path, "/abs/b.wasm");
        if (CHECK_EQ(b->nenv, 3)) {
            CHECK_STR(b->env[0], "A=dflt");
            CHECK_STR(b->env[2], "B=dflt");
        }
        CHECK_EQ(b->ndirs, 2);
        CHECK_STR(b->timeout, "9s");
        CHECK(b->fuel == 7);
        /* routes do not share memory with the base or each other */
        CHECK(a->env != b->env && a->dirs[0].host_path != b->dirs[0].host_path);
        wbRoutesFree(&r);
    }
    /* the base is untouched */
    CHECK_EQ(base.nenv, 2);
    CHECK_STR(base.env[0], "A=base");
    CHECK_EQ(base.ndirs, 1);
    CHECK(base.timeout_ns == 0);
    wbPolicyFree(&base);
    remove_dir(dir, ROUTES_ONLY);
}

TEST(routes_value_styles)
{
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    static const char text[] = "routes:\n"
                               "  - {path: \"/q\", module: 'q.wasm', fuel: \"1000\", timeout: '250ms'}\n"
                               "  - path: /t\n"
                               "    module: >-\n"
                               "      t.wasm\n"
                               "    fuel: !!int 42\n"
                               "    max-memory: 1GiB\n"
                               "    env:\n"
                               "      EMPTY:\n"
                               "      TILDE: ~\n"
                               "      NUM: 08\n"
                               "      LIT: |\n"
                               "        two\n"
                               "        lines\n"
                               "  - &shared\n"
                               "    path: /\n"
                               "    module: root.wasm\n";
    wbRoutes r;
    char why[512] = "";
    if (CHECKF(load_text(dir, text, NULL, &r, why, sizeof why), "%s", why) && CHECK_EQ(r.n, 3u)) {
        CHECK_STR(r.routes[0].prefix, "/q");
        CHECK_STR(r.routes[0].module_path, in_dir(dir, "q.wasm"));
        CHECK(r.routes[0].policy.fuel == 1000);
        CHECK(r.routes[0].policy.timeout_ns == 250000000ull);
        CHECK_STR(r.routes[1].module_path, in_dir(dir, "t.wasm"));
        CHECK(r.routes[1].policy.fuel == 42);
        CHECK(r.routes[1].policy.max_memory == 1ull << 30);
        if (CHECK_EQ(r.routes[1].policy.nenv, 4)) {
            CHECK_STR(r.routes[1].policy.env[0], "EMPTY=");
            CHECK_STR(r.routes[1].policy.env[1], "TILDE=~");
            CHECK_STR(r.routes[1].policy.env[2], "NUM=08");
            CHECK_STR(r.routes[1].policy.env[3], "LIT=two\nlines\n");
        }
        CHECK_STR(r.routes[2].prefix, "/");
        wbRoutesFree(&r);
    }
    remove_dir(dir, ROUTES_ONLY);
}

TEST(routes_paths_normalised)
{
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    static const char text[] = "routes:\n"
                               "  - {path: /a/, module: a.wasm}\n"
                               "  - {path: //, module: root.wasm}\n"
                               "  - {path: /b/c~d_e.f-%20, module: b.wasm}\n";
    wbRoutes r;
    char why[512] = "";
    if (CHECKF(load_text(dir, text, NULL, &r, why, sizeof why), "%s", why) && CHECK_EQ(r.n, 3u)) {
        CHECK_STR(r.routes[0].prefix, "/a");
        CHECK_STR(r.routes[1].prefix, "/");
        CHECK_STR(r.routes[2].prefix, "/b/c~d_e.f-%20");
        wbRoutesFree(&r);
    }
    remove_dir(dir, ROUTES_ONLY);
}

TEST(routes_file_in_current_folder)
{
    char *dir = make_dir();
    char cwd[4096];
    if (!CHECK(dir) || !CHECK(getcwd(cwd, sizeof cwd)))
        return;
    char *path = write_file(dir, "routes.yaml", EXAMPLE, sizeof EXAMPLE - 1);
    free(path);
    if (!CHECK(chdir(dir) == 0))
        return;
    wbRoutes r;
    char why[512] = "";
    /* a file name without a folder: paths stay as written */
    if (CHECKF(wbRoutesLoad("routes.yaml", NULL, &r, why, sizeof why), "%s", why)) {
        CHECK_STR(r.routes[0].module_path, "hello-http.wasm");
        CHECK_STR(r.routes[1].policy.dirs[0].host_path, "static");
        wbRoutesFree(&r);
    }
    if (CHECKF(wbRoutesLoad("./routes.yaml", NULL, &r, why, sizeof why), "%s", why)) {
        CHECK_STR(r.routes[0].module_path, "./hello-http.wasm");
        wbRoutesFree(&r);
    }
    CHECK(chdir(cwd) == 0);
    remove_dir(dir, ROUTES_ONLY);
}

/* ----------------------------------------------------------------- errors */

TEST(routes_error_unknown_keys)
{
    CHECK_REFUSED("routes:\n  - path: /a\n    module: a.wasm\n    modul: x\n", 4,
                  "unknown key 'modul' in a route (expected path, module, dirs, dirs-ro, env, "
                  "fuel, timeout, max-memory, max-stack)");
    CHECK_REFUSED("defaults:\n  path: /x\nroutes:\n  - {path: /a, module: a.wasm}\n", 2,
                  "unknown key 'path' in defaults");
    CHECK_REFUSED("route:\n  - {path: /a, module: a.wasm}\n", 1,
                  "unknown key 'route' (expected defaults or routes)");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm}\nversion: 2\n", 3,
                  "unknown key 'version'");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, <<: {fuel: 1}}\n", 2,
                  "unknown key '<<'");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, [x]: 1}\n", 2,
                  "route: keys must be plain names");
}

TEST(routes_error_missing_parts)
{
    CHECK_REFUSED("routes:\n  - path: /a\n    fuel: 1\n", 2, "route /a without a module");
    CHECK_REFUSED("routes:\n  - module: a.wasm\n", 2, "route without a path");
    CHECK_REFUSED("routes:\n  - path: /a\n    module:\n", 3, "module: expected the path");
    CHECK_REFUSED("routes:\n  - path: /a\n    module: ''\n", 3, "module: expected the path");
    CHECK_REFUSED("defaults: {fuel: 1}\n", 1, "no 'routes' list");
    CHECK_REFUSED("routes: []\n", 1, "routes: the list is empty");
    CHECK_REFUSED("routes:\n", 1, "routes: expected a list of routes");
    CHECK_REFUSED("routes: {path: /a, module: a.wasm}\n", 1, "routes: expected a list");
}

TEST(routes_error_bad_paths)
{
    static const struct {
        const char *path, *reason;
    } bad[] = {
        {"hello", "must start with '/'"},
        {"''", "must start with '/'"},
        {"\"/a b\"", "must be printable ASCII without spaces"},
        {"\"/caf\\u00e9\"", "must be printable ASCII without spaces"},
        {"\"/a\\tb\"", "must be printable ASCII without spaces"},
        {"/a?x=1", "must not contain '?' or '#'"},
        {"\"/a#top\"", "must not contain '?' or '#'"},
        {"/a//b", "must not have empty, '.' or '..' segments"},
        {"/a/./b", "must not have empty, '.' or '..' segments"},
        {"/a/..", "must not have empty, '.' or '..' segments"},
        {"/..", "must not have empty, '.' or '..' segments"},
        {"[/a]", "path: expected a single value, not a list"},
        {"{a: b}", "path: expected a single value, not a mapping"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "routes:\n  - module: a.wasm\n    path: %s\n", bad[i].path);
        CHECK_REFUSED(text, 3, bad[i].path[0] == '[' || bad[i].path[0] == '{' ? "" : "path '");
        char *dir = make_dir();
        wbRoutes r;
        char why[512] = "";
        CHECK(!load_text(dir, text, NULL, &r, why, sizeof why));
        CHECKF(strstr(why, bad[i].reason) != NULL, "%s: got \"%s\"", bad[i].path, why);
        remove_dir(dir, ROUTES_ONLY);
    }
}

TEST(routes_error_duplicates)
{
    CHECK_REFUSED("routes:\n"
                  "  - {path: /a, module: a.wasm}\n"
                  "  - {path: /b, module: b.wasm}\n"
                  "  - path: /a/\n"
                  "    module: c.wasm\n",
                  4, "path '/a' is routed twice (first at line 2)");
    CHECK_REFUSED("routes:\n  - {path: /, module: a.wasm}\n  - {path: //, module: b.wasm}\n", 3,
                  "path '/' is routed twice (first at line 2)");
    CHECK_REFUSED("routes:\n  - path: /a\n    module: a.wasm\n    fuel: 1\n    fuel: 2\n", 5,
                  "route: duplicate key 'fuel' (first at line 4)");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm}\nroutes:\n  - {path: /b, module: b}\n",
                  3, "routes file: duplicate key 'routes' (first at line 1)");
    CHECK_REFUSED("defaults: {env: {A: 1, A: 2}}\nroutes:\n  - {path: /a, module: a.wasm}\n", 1,
                  "env: duplicate key 'A'");
}

TEST(routes_error_bad_values_with_lines)
{
    CHECK_REFUSED("routes:\n"
                  "  - path: /a\n"
                  "    module: a.wasm\n"
                  "    fuel: 1\n"
                  "    timeout: 5x\n",
                  5, "timeout '5x': expected a duration like 500ms, 5s, 1.5s or 2m");
    CHECK_REFUSED("defaults:\n  max-memory: 3x\nroutes:\n  - {path: /a, module: a.wasm}\n", 2,
                  "max-memory '3x': expected a size like 65536, 512KiB, 64MiB or 1GiB");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm,\n     max-memory: 5GiB}\n", 3,
                  "max-memory '5GiB': must be more than 0 and at most 4GiB");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, max-stack: 12}\n", 2,
                  "max-stack '12': must be at least 1KiB and at most 1GiB");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, fuel: 0}\n", 2,
                  "fuel '0': expected a whole number of at least 1");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, fuel: -3}\n", 2, "fuel '-3'");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, fuel: 1e6}\n", 2, "fuel '1e6'");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, timeout: 0}\n", 2,
                  "timeout '0': must be more than 0");
    /* a value with a line break is shown escaped, on one line */
    CHECK_REFUSED("routes:\n  - path: /a\n    module: a.wasm\n    timeout: |\n      5s\n", 4,
                  "timeout '5s\\n': expected a duration");
    CHECK_REFUSED("routes:\n  - path: /a\n    module: a.wasm\n    timeout: \"\\e[31m\"\n", 4,
                  "timeout '\\x1b[31m': expected a duration");
    CHECK_REFUSED("routes:\n  - path: /a\n    module: a.wasm\n    fuel:\n      - 1\n", 4,
                  "fuel: expected a single value, not a list");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, fuel: [1]}\n", 2,
                  "fuel: expected a single value, not a list");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, fuel:\n    }\n", 2,
                  "fuel '': expected a whole number");
    CHECK_REFUSED("routes:\n  - {path: /a, module: \"a\\0.wasm\"}\n", 2,
                  "module: contains a NUL character");
}

TEST(routes_error_bad_dirs_and_env)
{
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, dirs: static}\n", 2,
                  "dirs: expected a list like [\"static::/static\"]");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm,\n     dirs-ro: [ok, \"::/x\"]}\n", 3,
                  "dirs-ro '::/x': expected HOST or HOST::GUEST");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, dirs: [\"x::\"]}\n", 2,
                  "dirs 'x::': expected HOST or HOST::GUEST");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, dirs: [[x]]}\n", 2,
                  "dirs: expected a single value, not a list");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, env: X=1}\n", 2,
                  "env: expected a mapping {NAME: VALUE} or a list");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, env: [\"=x\"]}\n", 2,
                  "env '=x': expected NAME=VALUE or NAME");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, env: {\"A=B\": 1}}\n", 2,
                  "env: 'A=B' is not a variable name");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, env: {\"\": 1}}\n", 2,
                  "env: '' is not a variable name");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, env: {A: [1]}}\n", 2,
                  "A: expected a single value, not a list");
}

TEST(routes_error_not_a_mapping)
{
    CHECK_REFUSED("- path: /a\n  module: a.wasm\n", 1, "expected a mapping with a 'routes' list");
    CHECK_REFUSED("just text\n", 1, "expected a mapping with a 'routes' list");
    CHECK_REFUSED("routes:\n  - /a\n", 2, "a route must be a mapping with path and module");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm}\n  - [b]\n", 3,
                  "a route must be a mapping");
    CHECK_REFUSED("defaults: [fuel]\nroutes:\n  - {path: /a, module: a.wasm}\n", 1,
                  "defaults: expected a mapping");
}

TEST(routes_error_empty_and_bad_yaml)
{
    CHECK_REFUSED("", 0, "empty file (expected a mapping with a 'routes' list)");
    CHECK_REFUSED("# only a comment\n\n", 0, "empty file");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm\n", 3, "did not find expected");
    CHECK_REFUSED("routes:\n  - path: /a\n   module: a.wasm\n", 3, "");
    CHECK_REFUSED("routes:\n\t- path: /a\n", 2, "found character that cannot start any token");
    CHECK_REFUSED("routes: *nope\n", 1, "found undefined alias");
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm}\n---\nroutes: []\n", 4,
                  "a second YAML document");
    CHECK_REFUSED("routes: [\xff]\n", 0, "invalid ");
}

TEST(routes_error_file_missing)
{
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    wbRoutes r;
    char why[512] = "";
    char path[4200];
    snprintf(path, sizeof path, "%s/none.yaml", dir);
    CHECK(!wbRoutesLoad(path, NULL, &r, why, sizeof why));
    char want[4400];
    snprintf(want, sizeof want, "%s: No such file or directory", path);
    CHECK_STR(why, want);
    CHECK(r.n == 0 && r.routes == NULL);
    /* a folder is not a routes file */
    CHECK(!wbRoutesLoad(dir, NULL, &r, why, sizeof why));
    snprintf(want, sizeof want, "%s: Is a directory", dir);
    CHECK_STR(why, want);
    /* why may be small or absent */
    char tiny[6];
    CHECK(!wbRoutesLoad("/no/such/routes.yaml", NULL, &r, tiny, sizeof tiny));
    CHECK_STR(tiny, "/no/s");
    CHECK(!wbRoutesLoad("/no/such/routes.yaml", NULL, &r, NULL, 0));
    remove_dir(dir, NULL);
}

TEST(routes_error_aliases_do_not_loop)
{
    /* a list that contains itself: refused, not walked forever */
    CHECK_REFUSED("routes: &r [*r]\n", 1, "a route must be a mapping");
    CHECK_REFUSED("routes:\n  - &m {path: /a, module: a.wasm, env: *m}\n", 2,
                  "env: expected a single value, not a mapping");
    /* aliases of plain values work */
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    wbRoutes r;
    char why[512] = "";
    static const char text[] = "defaults: {timeout: &t 3s}\n"
                               "routes:\n"
                               "  - {path: /a, module: a.wasm, fuel: &f 10}\n"
                               "  - {path: /b, module: b.wasm, fuel: *f, max-memory: 1MiB}\n";
    if (CHECKF(load_text(dir, text, NULL, &r, why, sizeof why), "%s", why) && CHECK_EQ(r.n, 2u)) {
        CHECK(r.routes[1].policy.fuel == 10);
        CHECK_STR(r.routes[1].policy.timeout, "3s");
        wbRoutesFree(&r);
    }
    remove_dir(dir, ROUTES_ONLY);
}

/* --------------------------------------------------------------- matching */

/* Routes with these prefixes, no file needed. */
static wbRoutes make_routes(const char *const *prefixes, size_t n)
{
    wbRoutes r;
    r.n = n;
    r.routes = calloc(n, sizeof *r.routes);
    for (size_t i = 0; i < n; i++) {
        r.routes[i].prefix = strdup(prefixes[i]);
        r.routes[i].module_path = strdup("m.wasm");
        wbPolicyInit(&r.routes[i].policy);
    }
    return r;
}

TEST(routes_match_longest_prefix)
{
    static const char *const prefixes[] = {"/hello", "/api", "/api/v2", "/api/v2/users"};
    wbRoutes r = make_routes(prefixes, 4);
    static const struct {
        const char *path;
        long want;
    } cases[] = {
        {"/hello", 0},        {"/hello/", 0},         {"/hello/x/y", 0},    {"/helloworld", -1},
        {"/Hello", -1},       {"/hell", -1},          {"/", -1},            {"", -1},
        {"/api", 1},          {"/api/v1", 1},         {"/api/v2", 2},       {"/api/v2/", 2},
        {"/api/v20", 1},      {"/api/v2/users", 3},   {"/api/v2/users/7", 3}, {"/api/v2/usersx", 2},
        {"/apiv2", -1},       {"hello", -1},          {"//hello", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long got = wbRoutesMatch(&r, cases[i].path);
        CHECKF(got == cases[i].want, "'%s': got %ld, want %ld", cases[i].path, got, cases[i].want);
    }
    CHECK(wbRoutesMatch(&r, NULL) == -1);
    CHECK(wbRoutesMatch(NULL, "/hello") == -1);
    wbRoutesFree(&r);
    wbRoutes empty = {NULL, 0};
    CHECK(wbRoutesMatch(&empty, "/") == -1);
}

TEST(routes_match_root)
{
    static const char *const prefixes[] = {"/", "/static"};
    wbRoutes r = make_routes(prefixes, 2);
    CHECK(wbRoutesMatch(&r, "/") == 0);
    CHECK(wbRoutesMatch(&r, "/anything/at/all") == 0);
    CHECK(wbRoutesMatch(&r, "/staticfile") == 0);
    CHECK(wbRoutesMatch(&r, "/static") == 1);
    CHECK(wbRoutesMatch(&r, "/static/css/a.css") == 1);
    CHECK(wbRoutesMatch(&r, "") == 0); /* "/" matches all */
    wbRoutesFree(&r);
}

TEST(routes_match_loaded_file)
{
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    wbRoutes r;
    char why[512] = "";
    static const char text[] = "routes:\n"
                               "  - {path: /, module: root.wasm}\n"
                               "  - {path: /hello/, module: hello.wasm}\n"
                               "  - {path: /hello/deep, module: deep.wasm}\n";
    if (CHECKF(load_text(dir, text, NULL, &r, why, sizeof why), "%s", why)) {
        CHECK(wbRoutesMatch(&r, "/hello") == 1);
        CHECK(wbRoutesMatch(&r, "/hello/deep/er") == 2);
        CHECK(wbRoutesMatch(&r, "/hello/deeper") == 1);
        CHECK(wbRoutesMatch(&r, "/other") == 0);
        wbRoutesFree(&r);
    }
    remove_dir(dir, ROUTES_ONLY);
}

TEST(routes_error_long_values_are_cut)
{
    char text[512], want[256];
    char digits[101];
    memset(digits, '9', 100);
    digits[100] = '\0';
    snprintf(text, sizeof text, "routes:\n  - {path: /a, module: a.wasm, fuel: %s}\n", digits);
    snprintf(want, sizeof want, "fuel '%.61s...': expected a whole number", digits);
    CHECK_REFUSED(text, 2, want);
    CHECK_REFUSED("routes:\n  - {path: /a, module: a.wasm, \"x\\ny\": 1}\n", 2,
                  "unknown key 'x\\ny' in a route");
}

TEST(routes_folder_with_double_colon)
{
    char *dir = make_dir();
    if (!CHECK(dir))
        return;
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/a::b", dir);
    if (!CHECK(mkdir(sub, 0700) == 0))
        return;
    static const char text[] = "routes:\n"
                               "  - {path: /a, module: a.wasm, dirs: [\"/abs::/x\"]}\n"
                               "  - {path: /b, module: b.wasm, dirs: [rel]}\n";
    char *path = write_file(sub, "routes.yaml", text, sizeof text - 1);
    wbRoutes r;
    char why[8400] = "";
    CHECK(!wbRoutesLoad(path, NULL, &r, why, sizeof why));
    char want[8400];
    snprintf(want, sizeof want,
             "%s:3: dirs 'rel': the routes file's folder has '::' in its name, which a relative "
             "HOST cannot have",
             path);
    CHECK_STR(why, want);
    unlink(path);
    free(path);
    rmdir(sub);
    remove_dir(dir, NULL);
}
