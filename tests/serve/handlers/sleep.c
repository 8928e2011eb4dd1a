/*
 * sleep.c — sleeps ms=N milliseconds (default 1000) with nanosleep (WASI
 * poll_oneoff on a clock), then answers 200 "slept N ms QUERY_STRING\n".
 */
#include <time.h>

#include "wagi.h"

int main(void)
{
    long long ms = query_number("ms", 1000);
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    if (nanosleep(&ts, NULL) != 0) /* EINTR: the server's timeout woke us */
        return 1;
    const char *q = getenv("QUERY_STRING");
    printf("Content-Type: text/plain\n\nslept %lld ms %s\n", ms, q ? q : "");
    return 0;
}
