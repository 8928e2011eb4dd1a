/*
 * response.c — HTTP/1.1 response heads (response.h) and the job helpers
 * of job.h that build on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/job.h"
#include "serve/response.h"

const char *wbHttpReason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}

/* The Date header's value for now, cached per thread for the second. */
static const char *http_date(void)
{
    static _Thread_local char text[40];
    static _Thread_local time_t made = -1;
    time_t now = time(NULL);
    if (now != made) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        made = now;
    }
    return text;
}

char *wbResponseHead(int status, const char *reason, const wbHeader *headers, size_t nheaders,
                     const char *extra, size_t body_len, size_t *len)
{
    if (!reason || !*reason)
        reason = wbHttpReason(status);
    size_t need = 160 + strlen(reason) + (extra ? strlen(extra) + 2 : 0);
    for (size_t i = 0; i < nheaders; i++)
        need += strlen(headers[i].name) + strlen(headers[i].value) + 4;
    char *head = malloc(need);
    if (!head)
        return NULL;
    /* 204 and 304 have no body, and no Content-Length either (RFC 9110) */
    int bodiless = status == 204 || status == 304;
    int n = snprintf(head, need, "HTTP/1.1 %d %s\r\nServer: wasmbox\r\nDate: %s\r\n", status,
                     reason, http_date());
    if (!bodiless)
        n += snprintf(head + n, need - (size_t)n, "Content-Length: %zu\r\n", body_len);
    size_t at = (size_t)n;
    for (size_t i = 0; i < nheaders; i++)
        at += (size_t)snprintf(head + at, need - at, "%s: %s\r\n", headers[i].name,
                               headers[i].value);
    if (extra)
        at += (size_t)snprintf(head + at, need - at, "%s\r\n", extra);
    *len = at;
    return head;
}

void wbServeJobFree(wbServeJob *job)
{
    if (!job)
        return;
    wbRequestFree(&job->req);
    free(job->head);
    free(job->body);
    if (job->app)
        wbAppRelease(job->app);
    free(job);
}

int wbServeJobError(wbServeJob *job, int status, const char *message, const char *extra_header)
{
    free(job->head);
    free(job->body);
    job->head = NULL;
    job->body = NULL;
    job->head_len = job->body_len = 0;
    job->status = status;
    size_t cap = strlen(message) + 64;
    char *body = malloc(cap);
    if (!body)
        return 0;
    int n = snprintf(body, cap, "%d %s: %s\n", status, wbHttpReason(status), message);
    wbHeader type = {"Content-Type", "text/plain; charset=utf-8"};
    job->head = wbResponseHead(status, NULL, &type, 1, extra_header, (size_t)n, &job->head_len);
    if (!job->head) {
        free(body);
        return 0;
    }
    job->body = (uint8_t *)body;
    job->body_len = (size_t)n;
    return 1;
}
