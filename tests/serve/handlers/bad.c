/*
 * bad.c — malformed output, of the kind named by the query string (the
 * server must answer 502 to every one):
 *   noblank     headers, then end of output without the blank line
 *   nocolon     a "header" line without ':'
 *   empty       no output at all
 *   norequired  a blank line ends the headers but none of Content-Type,
 *               Location or Status is there
 *   badstatus   "Status: abc"
 *   status999   "Status: 999 Too Big"
 *   control     a header value with a control character (\001)
 *   badname     a header name with a space in it
 *   toomany     150 headers
 *   huge        one 70 KiB header (over the 64 KiB of headers allowed)
 */
#include "wagi.h"

int main(void)
{
    const char *kind = getenv("QUERY_STRING");
    kind = kind ? kind : "";
    if (!strcmp(kind, "noblank")) {
        printf("Content-Type: text/plain\nX-Other: 1\n");
    } else if (!strcmp(kind, "nocolon")) {
        printf("Content-Type: text/plain\nthis is not a header\n\nbody\n");
    } else if (!strcmp(kind, "empty")) {
        /* nothing */
    } else if (!strcmp(kind, "norequired")) {
        printf("X-Thing: 1\n\nbody\n");
    } else if (!strcmp(kind, "badstatus")) {
        printf("Status: abc\nContent-Type: text/plain\n\nbody\n");
    } else if (!strcmp(kind, "status999")) {
        printf("Status: 999 Too Big\nContent-Type: text/plain\n\nbody\n");
    } else if (!strcmp(kind, "control")) {
        printf("Content-Type: text/plain\nX-Bad: a\001b\n\nbody\n");
    } else if (!strcmp(kind, "badname")) {
        printf("Content-Type: text/plain\nBad Name: x\n\nbody\n");
    } else if (!strcmp(kind, "toomany")) {
        printf("Content-Type: text/plain\n");
        for (int i = 0; i < 150; i++)
            printf("X-H%d: %d\n", i, i);
        printf("\nbody\n");
    } else if (!strcmp(kind, "huge")) {
        printf("Content-Type: text/plain\nX-Huge: ");
        for (int i = 0; i < 70 * 1024; i++)
            putchar('a' + i % 26);
        printf("\n\nbody\n");
    } else {
        printf("Content-Type: text/plain\n\nunknown kind '%s'\n", kind);
    }
    return 0;
}
