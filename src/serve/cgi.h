/*
 * cgi.h — WAGI, the CGI-style interface (RFC 3875) between `wasmbox serve`
 * and a handler module: the environment a request becomes, and the parse
 * of what the handler wrote on stdout into an HTTP response.
 */
#ifndef WB_SERVE_CGI_H
#define WB_SERVE_CGI_H

#include <stddef.h>
#include <stdint.h>

#include "serve/request.h"

/*
 * The request's CGI meta-variables, as "NAME=VALUE" strings (malloc'd,
 * NULL-terminated array; *count set to their number when count is not
 * NULL), in this order:
 *
 *   REQUEST_METHOD     the method ("GET")
 *   SCRIPT_NAME        the route prefix without a trailing '/' ("/api";
 *                      "" for "/")
 *   PATH_INFO          the path after SCRIPT_NAME, not percent-decoded
 *                      ("/api/x/y" → "/x/y", "/api" → ""); the whole path
 *                      if it is not under the prefix
 *   PATH_TRANSLATED    = PATH_INFO
 *   QUERY_STRING       after '?', as sent; "" when none
 *   SERVER_NAME        req->host, or req->server_addr when it is empty
 *   SERVER_PORT        req->server_port
 *   SERVER_PROTOCOL    the request's version, "HTTP/1.1" or "HTTP/1.0"
 *                      ("HTTP/1.1" when http_major is 0)
 *   SERVER_SOFTWARE    "wasmbox/" WB_VERSION
 *   GATEWAY_INTERFACE  "CGI/1.1"
 *   REMOTE_ADDR, REMOTE_HOST (= REMOTE_ADDR), REMOTE_PORT
 *   CONTENT_TYPE       the Content-Type header, only when there is one
 *   CONTENT_LENGTH     body_len (the de-chunked body's size), only when
 *                      the body is not empty or the request has a
 *                      Content-Length or Transfer-Encoding header
 *   X_FULL_URL         "http://HOST:PORT/target" (an IPv6 HOST in [])
 *   X_MATCHED_ROUTE    the route prefix as given
 *   HTTP_NAME          one per request header name: upper-cased, '-' → '_';
 *                      headers repeated (in any case) are joined with ", "
 *                      in the order sent. Not passed: Content-Type and
 *                      Content-Length (see above), Transfer-Encoding (the
 *                      handler reads the body de-chunked), Authorization and
 *                      Proxy-Authorization (credentials stay with the
 *                      server, RFC 3875 4.1.18), Proxy (HTTP_PROXY would
 *                      set HTTP clients' proxy: "httpoxy"), and names with
 *                      anything but letters, digits and '-' ("X_User"
 *                      would pose as "X-User" once mapped).
 *
 * Then the route's own `extra` variables ("NAME=VALUE"; other strings are
 * ignored), which replace request-derived ones of the same name, in place
 * (a later extra of the same NAME wins too). Returns NULL when out of
 * memory. Free with wbCgiEnvFree.
 */
char **wbCgiEnv(const wbRequest *req, const char *route_prefix, const char *const *extra,
                int nextra, size_t *count);
void wbCgiEnvFree(char **env);

/* A handler's response, parsed. */
typedef struct wbCgiResponse {
    int status;          /* from Status:, 302 with Location: and no Status:, else 200 */
    char reason[64];     /* reason phrase from Status: ("Not Found"), or "" */
    wbHeader *headers;   /* every header except Status:, in order, to send as is */
    size_t nheaders;
    const uint8_t *body; /* points into the buffer given to wbCgiParse */
    size_t body_len;
} wbCgiResponse;

/*
 * Parses a handler's stdout: header lines ("Name: value", ended by LF or
 * CRLF; blanks around the value removed), an empty line, then the body
 * (everything after it, blank lines included). Requires at least one of
 * Content-Type, Location or Status; a Status value is a 3-digit code
 * 200..599 optionally followed by a reason phrase (kept to 63 bytes). 1xx
 * codes are refused: sent as the answer they are interim, and the client
 * would read the handler's body as the next response.
 *
 * Refuses, returning 0 with a one-line reason in why (with the line number
 * where there is one: "line 3: not a header (no ':')"): empty output; no
 * blank line ending the headers; a line without ':'; an empty or non-token
 * header name (so no blanks before the ':', no folded lines); a header
 * value with control characters other than tab (NUL, a lone CR, DEL); a
 * bad Status, or two; none of the three required headers; more than 100
 * header lines, or over 64 KiB of them (line ends included, the blank line
 * not). At most those 64 KiB are scanned, however long the output.
 *
 * Headers about the connection or framing, which the server owns, are
 * dropped silently: Connection, Keep-Alive, Transfer-Encoding,
 * Content-Length (the server frames the body itself), Proxy-Connection,
 * TE and Upgrade. Every other header is kept in order, repeated ones too.
 * Returns 1 on success; free with wbCgiResponseFree (after a failure res
 * holds nothing, and freeing it is harmless).
 */
int wbCgiParse(const uint8_t *out, size_t len, wbCgiResponse *res, char *why, size_t n);
void wbCgiResponseFree(wbCgiResponse *res);

#endif /* WB_SERVE_CGI_H */
