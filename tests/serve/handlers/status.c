/*
 * status.c — answers with the status and headers its query asks for:
 *   code=NNN        a "Status: NNN REASON" header (REASON from reason=,
 *                   default "Custom")
 *   location=URL    a "Location: URL" header (alone, the server makes it 302)
 *   header=VALUE    an "X-Custom: VALUE" header
 *   hop=1           also sets the hop-by-hop headers a handler may not
 *                   (Content-Length: 3, Connection: close, Transfer-Encoding:
 *                   chunked, Keep-Alive): the server must drop them
 * The body is "status handler: QUERY_STRING\n", text/plain.
 */
#include "wagi.h"

int main(void)
{
    const char *v;
    if ((v = query_param("code"))) {
        long code = strtol(v, NULL, 10);
        v = query_param("reason");
        printf("Status: %ld %s\n", code, v ? v : "Custom");
    }
    if ((v = query_param("location")))
        printf("Location: %s\n", v);
    if ((v = query_param("header")))
        printf("X-Custom: %s\n", v);
    if (query_param("hop")) {
        printf("Content-Length: 3\n");
        printf("Connection: close\n");
        printf("Transfer-Encoding: chunked\n");
        printf("Keep-Alive: timeout=1000\n");
    }
    printf("Content-Type: text/plain\n\n");
    const char *q = getenv("QUERY_STRING");
    printf("status handler: %s\n", q ? q : "");
    return 0;
}
