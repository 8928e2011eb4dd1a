/*
 * convert.c — turns a .wast script into wast2json's JSON plus module files,
 * in OUT/NAME/NAME.json. A conversion is skipped while the JSON is at least
 * as new as the .wast; a failed one leaves no JSON behind.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spec.h"

#define WAST2JSON "wast2json"

extern char **environ;

bool spec_have_wast2json(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char dir[4096];
        if (n == 0) {
            strcpy(dir, ".");
        } else if (n < sizeof dir) {
            memcpy(dir, path, n);
            dir[n] = '\0';
        } else {
            dir[0] = '\0';
        }
        if (dir[0]) {
            char *exe = spec_path_join(dir, WAST2JSON);
            bool found = exe && access(exe, X_OK) == 0;
            free(exe);
            if (found)
                return true;
        }
        path += n;
        if (*path == ':')
            path++;
    }
    return false;
}

static bool older(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec ||
           (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Runs `wast2json wast -o json`; true if it exited 0. */
static bool run_wast2json(const char *wast, const char *json, char *why)
{
    char *argv[] = {WAST2JSON, (char *)wast, "-o", (char *)json, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, WAST2JSON, NULL, NULL, argv, environ);
    if (rc != 0) {
        snprintf(why, SPEC_WHY_MAX, "cannot run " WAST2JSON ": %s",
                 strerror(rc));
        return false;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(why, SPEC_WHY_MAX, "waiting for " WAST2JSON ": %s",
                     strerror(errno));
            return false;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    if (WIFSIGNALED(status))
        snprintf(why, SPEC_WHY_MAX, WAST2JSON " was killed by signal %d",
                 WTERMSIG(status));
    else
        snprintf(why, SPEC_WHY_MAX, WAST2JSON " failed (exit status %d)",
                 WEXITSTATUS(status));
    return false;
}

char *spec_convert(const char *suite, const char *out, const char *wast,
                   char *why)
{
    size_t stem_len = strlen(wast) - 5; /* without ".wast" */
    char *stem = malloc(stem_len + 6);
    char *wast_path = spec_path_join(suite, wast);
    char *dir = NULL, *json = NULL;
    if (stem) {
        memcpy(stem, wast, stem_len);
        stem[stem_len] = '\0';
        dir = spec_path_join(out, stem);
        strcpy(stem + stem_len, ".json");
    }
    if (dir)
        json = spec_path_join(dir, stem);
    if (!stem || !wast_path || !dir || !json) {
        snprintf(why, SPEC_WHY_MAX, "out of memory");
        goto fail;
    }

    struct stat src, dst;
    if (stat(wast_path, &src) != 0) {
        snprintf(why, SPEC_WHY_MAX, "cannot stat %s: %s", wast_path,
                 strerror(errno));
        goto fail;
    }
    if (stat(json, &dst) == 0 && !older(&dst.st_mtim, &src.st_mtim))
        goto done; /* up to date */
    if (!spec_mkdir_p(dir)) {
        snprintf(why, SPEC_WHY_MAX, "cannot create %s: %s", dir,
                 strerror(errno));
        goto fail;
    }
    if (!run_wast2json(wast_path, json, why)) {
        remove(json); /* never leave a partial JSON that looks fresh */
        goto fail;
    }
done:
    free(stem);
    free(wast_path);
    free(dir);
    return json;
fail:
    free(stem);
    free(wast_path);
    free(dir);
    free(json);
    return NULL;
}
