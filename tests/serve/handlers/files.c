/*
 * files.c — file access from a handler, through the directory the route
 * grants as /data:
 *   name=PATH    answers 200 with /data/PATH's contents (text/plain), or
 *                404 "cannot open /data/PATH: REASON"
 *   write=PATH   tries to create /data/PATH: 201 when it could, else
 *                403 "cannot create /data/PATH: REASON"
 */
#include <errno.h>

#include "wagi.h"

int main(void)
{
    char path[4200];
    const char *v;
    if ((v = query_param("write"))) {
        snprintf(path, sizeof path, "/data/%s", v);
        FILE *f = fopen(path, "w");
        if (!f) {
            printf("Status: 403 Forbidden\nContent-Type: text/plain\n\ncannot create %s: %s\n",
                   path, strerror(errno));
            return 0;
        }
        fputs("written by files.wasm\n", f);
        fclose(f);
        printf("Status: 201 Created\nContent-Type: text/plain\n\ncreated %s\n", path);
        return 0;
    }
    v = query_param("name");
    snprintf(path, sizeof path, "/data/%s", v ? v : "");
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("Status: 404 Not Found\nContent-Type: text/plain\n\ncannot open %s: %s\n", path,
               strerror(errno));
        return 0;
    }
    printf("Content-Type: text/plain\n\n");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}
