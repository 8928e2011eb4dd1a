/*
 * timeit.c — the timing helper of scripts/bench.sh (not a benchmark):
 * runs a command, times its wall clock with CLOCK_MONOTONIC and reads its
 * peak resident set size from wait4()'s rusage, so each number belongs to
 * that one child process and has microsecond resolution (GNU time's %e has
 * 10 ms).
 *
 * Usage: timeit [-n RUNS] [-t SECONDS] [-o OUT] [-e ERR] -- COMMAND [ARGS...]
 *   Runs COMMAND RUNS times (default 1), one after another, with stdin from
 *   /dev/null, stdout written to OUT and stderr to ERR (each truncated at
 *   every run; default /dev/null); a run that takes longer than SECONDS
 *   (default: no limit) is killed. Prints one line per run on stdout:
 *       WALL_MICROSECONDS PEAK_RSS_KIB STATUS
 *   STATUS is the exit code, or 128+N when signal N killed the command.
 *   (127 also when COMMAND could not be started: the reason is in ERR.)
 *   Exits 0 after the runs, 127 when fork fails, 2 on a usage error.
 */
#define _GNU_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: timeit [-n RUNS] [-t SECONDS] [-o OUT] [-e ERR] -- COMMAND [ARGS...]\n");
    exit(2);
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Points fd at path (opened with flags), in the child. */
static void redirect(int fd, const char *path, int flags)
{
    int f = open(path, flags, 0644);
    if (f < 0 || dup2(f, fd) < 0) {
        fprintf(stderr, "timeit: %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    if (f != fd)
        close(f);
}

int main(int argc, char **argv)
{
    long runs = 1, limit = 0;
    const char *out = "/dev/null", *err = "/dev/null";
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            char *end;
            runs = strtol(argv[++i], &end, 10);
            if (*end || runs < 1)
                usage();
        } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            char *end;
            limit = strtol(argv[++i], &end, 10);
            if (*end || limit < 0)
                usage();
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
            err = argv[++i];
        } else {
            usage();
        }
    }
    if (i >= argc)
        usage();
    char **cmd = argv + i;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    for (long r = 0; r < runs; r++) {
        fflush(stdout);
        long long start = now_us();
        pid_t pid = fork();
        if (pid < 0) {
            perror("timeit: fork");
            return 127;
        }
        if (pid == 0) {
            redirect(0, "/dev/null", O_RDONLY);
            redirect(1, out, O_WRONLY | O_CREAT | O_TRUNC);
            redirect(2, err, O_WRONLY | O_CREAT | O_TRUNC);
            execvp(cmd[0], cmd);
            fprintf(stderr, "timeit: %s: %s\n", cmd[0], strerror(errno));
            _exit(127);
        }
        timed_out = 0;
        alarm((unsigned)limit);
        int status;
        struct rusage ru;
        while (wait4(pid, &status, 0, &ru) < 0) {
            if (errno != EINTR) {
                perror("timeit: wait4");
                return 127;
            }
            if (timed_out)
                kill(pid, SIGKILL);
        }
        alarm(0);
        long long wall = now_us() - start;
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        printf("%lld %ld %d\n", wall, ru.ru_maxrss, code);
    }
    return 0;
}
