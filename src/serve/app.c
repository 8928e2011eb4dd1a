/*
 * app.c — loading the handler modules of a set of routes (app.h): each
 * distinct file is read and compiled once, checked to be a WASI command.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve/app.h"

/* Reads a whole file; NULL with the reason in why. */
static uint8_t *read_file(const char *path, size_t *size, char *why, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, n, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        uint8_t *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        snprintf(why, n, "%s: %s", path, buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    *size = len;
    return buf;
}

static wb_module *compile(const char *path, char *why, size_t n)
{
    size_t size;
    uint8_t *bytes = read_file(path, &size, why, n);
    if (!bytes)
        return NULL;
    wb_module *m = NULL;
    wb_error err;
    if (wb_module_new(bytes, size, &m, &err) != WB_OK) {
        char line[256];
        snprintf(why, n, "%s: %s", path, wb_error_format(&err, line, sizeof line));
    }
    free(bytes);
    return m;
}

/* Every granted directory must open now, not fail each request later. */
static int check_dirs(const wbRoute *r, char *why, size_t n)
{
    for (int i = 0; i < r->policy.ndirs; i++) {
        const char *path = r->policy.dirs[i].host_path;
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(why, n, "route %s: cannot grant directory %s: %s", r->prefix, path,
                     strerror(errno));
            return 0;
        }
        close(fd);
    }
    return 1;
}

wbApp *wbAppNew(wbRoutes *routes, char *why, size_t n)
{
    wbApp *app = calloc(1, sizeof *app);
    if (app) {
        app->routes = *routes;
        app->modules = calloc(routes->n ? routes->n : 1, sizeof *app->modules);
    }
    memset(routes, 0, sizeof *routes);
    if (!app || !app->modules) {
        snprintf(why, n, "out of memory");
        goto fail;
    }
    app->refs = 1;
    for (size_t i = 0; i < app->routes.n; i++) {
        const char *path = app->routes.routes[i].module_path;
        if (!check_dirs(&app->routes.routes[i], why, n))
            goto fail;
        for (size_t j = 0; j < i && !app->modules[i]; j++)
            if (strcmp(app->routes.routes[j].module_path, path) == 0)
                app->modules[i] = app->modules[j];
        if (app->modules[i])
            continue;
        app->modules[i] = compile(path, why, n);
        if (!app->modules[i])
            goto fail;
    }
    return app;
fail:
    if (app) {
        app->refs = 1;
        wbAppRelease(app);
    }
    return NULL;
}

void wbAppRetain(wbApp *app)
{
    __atomic_add_fetch(&app->refs, 1, __ATOMIC_RELAXED);
}

void wbAppRelease(wbApp *app)
{
    if (!app || __atomic_sub_fetch(&app->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    for (size_t i = 0; app->modules && i < app->routes.n; i++) {
        wb_module *m = app->modules[i];
        if (!m)
            continue;
        for (size_t j = i; j < app->routes.n; j++)
            if (app->modules[j] == m)
                app->modules[j] = NULL;
        wb_module_delete(m);
    }
    free(app->modules);
    wbRoutesFree(&app->routes);
    free(app);
}
