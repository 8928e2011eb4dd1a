/*
 * hello-http.c — the smallest handler for `wasmbox serve`: an ordinary C
 * program that speaks WAGI (CGI for WebAssembly). The server runs it in a
 * fresh sandbox for every request, with the request in its environment
 * (REQUEST_METHOD, PATH_INFO, QUERY_STRING, HTTP_* headers...) and the
 * request body on stdin; what it prints on stdout is the response: header
 * lines, a blank line, then the body.
 *
 *   clang --target=wasm32-wasi --sysroot=/usr -O2 examples/hello-http.c \
 *       -o build/examples/hello-http.wasm
 *   wasmbox serve build/examples/hello-http.wasm
 *   curl http://127.0.0.1:8080/world      # Hello from wasmbox!
 *                                          # You asked for /world
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *path = getenv("PATH_INFO");
    printf("Content-Type: text/plain\n"); /* or Status: 404 Not Found, Location: ... */
    printf("\n");
    printf("Hello from wasmbox!\n");
    printf("You asked for %s\n", path && *path ? path : "/");
    return 0;
}
