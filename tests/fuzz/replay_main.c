/*
 * replay_main.c — a main() for fuzz targets built without libFuzzer (gcc):
 * feeds each file named on the command line, and each file inside a
 * directory named there, to LLVMFuzzerTestOneInput, once.
 *
 *     fuzz-replay tests/fuzz/corpus tests/fuzz/regressions crash-1234
 *
 * In a directory, hidden files and README* are skipped, and files are taken
 * in name order. Each input is copied into a buffer of exactly its size, as
 * libFuzzer does, so a read past the end is caught.
 *
 * The inputs run in a child process, one after the other; the child tells
 * this process which input it starts and which it finished. An input passes
 * when the call returns without leaking (under ASan each input is followed
 * by a leak check) within TIMEOUT_SECONDS. When the child dies on an input
 * (a sanitizer report, a signal, a timeout), that input is named and counted
 * as failed, and a new child goes on with the next one, so one run lists
 * every failing input. Ends with "N passed, N failed" (an unreadable file
 * fails too); exits 1 when something failed or no input was found.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TIMEOUT_SECONDS 10 /* as `make fuzz` gives libFuzzer */

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_ASAN
/* From <sanitizer/lsan_interface.h>: reports leaks, returns nonzero if any. */
int __lsan_do_recoverable_leak_check(void);
#endif

/* ---------------------------------------------------------------- inputs */

typedef struct Inputs {
    char **azPath;
    size_t n, nAlloc;
} Inputs;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fputs("fuzz-replay: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static void add_input(Inputs *in, const char *dir, const char *name)
{
    if (in->n == in->nAlloc) {
        in->nAlloc = in->nAlloc ? 2 * in->nAlloc : 256;
        in->azPath = xrealloc(in->azPath, in->nAlloc * sizeof *in->azPath);
    }
    size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *path = xrealloc(NULL, len);
    snprintf(path, len, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
    in->azPath[in->n++] = path;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files of `dir`, in name order. */
static bool add_dir(Inputs *in, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "fuzz-replay: %s: %s\n", dir, strerror(errno));
        return false;
    }
    size_t first = in->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0)
            continue;
        add_input(in, dir, e->d_name);
        struct stat st;
        if (stat(in->azPath[in->n - 1], &st) != 0 || !S_ISREG(st.st_mode))
            free(in->azPath[--in->n]);
    }
    closedir(d);
    qsort(in->azPath + first, in->n - first, sizeof *in->azPath, by_name);
    return true;
}

/* ---------------------------------------------------------------- child */

/* What the child tells the parent, through a pipe, about input `index`. */
enum { REC_START, REC_PASS, REC_UNREADABLE, REC_LEAK };
typedef struct Record {
    uint32_t index, kind;
} Record;

static void tell(int fd, size_t index, uint32_t kind)
{
    Record r = {(uint32_t)index, kind};
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(3); /* the parent is gone */
}

/* Reads the whole file into a malloc'ed block of exactly its size (a
 * 1-byte block for an empty file, so the pointer is never NULL). */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *data = NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && st.st_size >= 0) {
        *size = (size_t)st.st_size;
        data = malloc(*size ? *size : 1);
        if (data && fread(data, 1, *size, f) != *size) {
            free(data);
            data = NULL;
            errno = EIO;
        }
    }
    fclose(f);
    return data;
}

/* Replays inputs [from, n) in this process, reporting each on fd. */
static void child(const Inputs *in, size_t from, int fd)
{
    for (size_t i = from; i < in->n; i++) {
        tell(fd, i, REC_START);
        size_t size = 0;
        uint8_t *data = read_file(in->azPath[i], &size);
        if (!data) {
            fprintf(stderr, "fuzz-replay: %s: cannot read: %s\n", in->azPath[i],
                    strerror(errno));
            tell(fd, i, REC_UNREADABLE);
            continue;
        }
        alarm(TIMEOUT_SECONDS);
        LLVMFuzzerTestOneInput(data, size);
        alarm(0);
        free(data);
#ifdef HAVE_ASAN
        if (__lsan_do_recoverable_leak_check()) {
            tell(fd, i, REC_LEAK);
            _exit(1); /* a fresh child goes on, with a clean slate */
        }
#endif
        tell(fd, i, REC_PASS);
    }
    exit(0);
}

/* ---------------------------------------------------------------- parent */

static unsigned long nPassed, nFailed;

/* Replays inputs [from, n) in one child; returns where the next child
 * starts (n when done). */
static size_t supervise(const Inputs *in, size_t from)
{
    int fds[2];
    fflush(stdout);
    fflush(stderr);
    pid_t pid = -1;
    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        fprintf(stderr, "fuzz-replay: cannot start a child: %s\n", strerror(errno));
        exit(2);
    }
    if (pid == 0) {
        close(fds[0]);
        child(in, from, fds[1]);
    }
    close(fds[1]);

    Record r;
    size_t current = from;
    uint32_t last = REC_PASS;
    ssize_t got;
    while ((got = read(fds[0], &r, sizeof r)) == (ssize_t)sizeof r ||
           (got < 0 && errno == EINTR)) {
        if (got < 0)
            continue;
        current = r.index;
        last = r.kind;
        if (r.kind == REC_PASS) {
            nPassed++;
        } else if (r.kind == REC_UNREADABLE) {
            nFailed++;
        } else if (r.kind == REC_LEAK) {
            nFailed++;
            fprintf(stderr, "fuzz-replay: FAILED %s: leaked memory (the report above)\n",
                    in->azPath[current]);
        }
    }
    close(fds[0]);

    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (last == REC_START) { /* died on this input */
        char why[80];
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
            snprintf(why, sizeof why, "timed out after %d s", TIMEOUT_SECONDS);
        else if (WIFSIGNALED(status))
            snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
        else
            snprintf(why, sizeof why, "exit status %d, see the report above",
                     WEXITSTATUS(status));
        nFailed++;
        fprintf(stderr, "fuzz-replay: FAILED %s: %s\n", in->azPath[current], why);
        return current + 1;
    }
    if (last == REC_LEAK)
        return current + 1;
    if (!clean) { /* every input passed, and then the process failed */
        nFailed++;
        fprintf(stderr, "fuzz-replay: FAILED at exit, after %s (status 0x%x)\n",
                in->azPath[current], (unsigned)status);
    }
    return in->n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    Inputs in = {NULL, 0, 0};
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!add_dir(&in, argv[i]))
                nFailed++;
        } else {
            add_input(&in, NULL, argv[i]); /* a missing file fails as unreadable */
        }
    }
    for (size_t next = 0; next < in.n;)
        next = supervise(&in, next);
    for (size_t i = 0; i < in.n; i++)
        free(in.azPath[i]);
    free(in.azPath);
    printf("%lu passed, %lu failed\n", nPassed, nFailed);
    return (nFailed || nPassed == 0) ? 1 : 0;
}
