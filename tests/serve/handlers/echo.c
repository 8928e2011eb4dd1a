/*
 * echo.c — answers 200 with the request body echoed back byte for byte
 * (application/octet-stream; binary and large bodies alike), and describes
 * the request in headers:
 *   X-Body-Length: N      bytes read from stdin
 *   X-Runs: N             how many times this instance ran main (a fresh
 *                         sandbox per request: always 1)
 *   X-Env-NAME: VALUE     one per environment variable (control characters
 *                         as '?')
 */
#include "wagi.h"

extern char **environ;
static int runs; /* a global: survives only within one instance */

int main(void)
{
    runs++;
    size_t len;
    char *body = read_body(&len);
    printf("Content-Type: application/octet-stream\n");
    printf("X-Body-Length: %zu\n", len);
    printf("X-Runs: %d\n", runs);
    for (char **e = environ; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        fputs("X-Env-", stdout);
        for (const char *c = *e; c < eq; c++) /* keep the name a token */
            putchar((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                            (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'
                        ? *c
                        : '_');
        fputs(": ", stdout);
        print_header_value(eq + 1);
        putchar('\n');
    }
    putchar('\n');
    write_all(body, len);
    return 0;
}
