/*
 * app.h — what `wasmbox serve` serves at one moment: the routes and their
 * handler modules, each read and compiled once. Reference-counted, so a
 * SIGHUP reload can swap in a new app while requests routed with the old
 * one finish on it.
 */
#ifndef WB_SERVE_APP_H
#define WB_SERVE_APP_H

#include <stddef.h>

#include "serve/routes.h"
#include "wasmbox.h"

typedef struct wbApp {
    wbRoutes routes;
    wb_module **modules; /* modules[i] serves routes.routes[i] (shared when the path is) */
    int refs;            /* atomic */
} wbApp;

/* Compiles every route's module and checks that its granted directories
 * open. Takes *routes over (emptied) in every case. NULL with the reason in
 * why when a module cannot be read, decoded or validated, or a directory
 * cannot be opened. */
wbApp *wbAppNew(wbRoutes *routes, char *why, size_t n);

void wbAppRetain(wbApp *app);
/* Drops a reference; the last frees the app. Any thread. */
void wbAppRelease(wbApp *app);

#endif /* WB_SERVE_APP_H */
