/*
 * response.h — writing HTTP/1.1 responses: reason phrases, the Date
 * header's text, and the head of a response.
 */
#ifndef WB_SERVE_RESPONSE_H
#define WB_SERVE_RESPONSE_H

#include <stddef.h>

#include "serve/request.h"

/* "OK", "Not Found", ...; "" for a code without a standard phrase. */
const char *wbHttpReason(int status);

/*
 * A response head: status line (reason: `reason` when not empty, else the
 * standard phrase), Server, Date, Content-Length: body_len, then `headers`
 * and, when not NULL, `extra` (one "Name: value" line without CRLF). No
 * Connection header and no final blank line. malloc'd; NULL when out of
 * memory.
 */
char *wbResponseHead(int status, const char *reason, const wbHeader *headers, size_t nheaders,
                     const char *extra, size_t body_len, size_t *len);

#endif /* WB_SERVE_RESPONSE_H */
