/*
 * request.c — the plain-data HTTP request of request.h: freeing one, and
 * looking up a header by name.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/request.h"

void wbRequestFree(wbRequest *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    free(r->target);
    free(r->path);
    free(r->query);
    free(r->body);
    free(r->host);
    memset(r, 0, sizeof *r);
}

const char *wbRequestHeader(const wbRequest *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (r->headers[i].name && strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}
