/*
 * libc.c — files through wasi-libc's POSIX layer, as ordinary programs use
 * them: fopen/fgets/fprintf, opendir/readdir, stat, mkdir, rename, unlink,
 * symlink/readlink. argv[2] is the directory to work in: "/sandbox" when
 * run with --dir sandbox::/sandbox, "." with --dir sandbox::. (libc then
 * resolves relative paths against that preopen).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static char path_buf[512];

static const char *at(const char *base, const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", base, name);
    return path_buf;
}

static void files(int argc, char **argv)
{
    CHECK(argc == 2);
    if (argc != 2)
        return;
    const char *base = argv[1];
    char line[128] = "";
    FILE *f = fopen(at(base, "hello.txt"), "r");
    CHECK(f != NULL);
    if (f) {
        CHECK(fgets(line, sizeof line, f) != NULL);
        CHECK_STR(line, "hello, sandbox\n");
        fclose(f);
    }
    f = fopen(at(base, "out.txt"), "w");
    CHECK(f != NULL);
    if (f) {
        CHECK(fprintf(f, "written by libc: %d\n", 42) > 0);
        CHECK_EQ(fclose(f), 0);
    }
    struct stat st;
    CHECK_EQ(stat(at(base, "out.txt"), &st), 0);
    CHECK_EQ(st.st_size, 20);
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(stat(at(base, "dir"), &st), 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK_EQ(stat(at(base, "missing"), &st), -1);
    CHECK_EQ(errno, ENOENT);

    CHECK_EQ(mkdir(at(base, "newdir"), 0755), 0);
    char from[512], to[512];
    snprintf(from, sizeof from, "%s/out.txt", base);
    snprintf(to, sizeof to, "%s/newdir/moved.txt", base);
    CHECK_EQ(rename(from, to), 0);
    CHECK_EQ(symlink("moved.txt", at(base, "newdir/link")), 0);
    char target[64] = "";
    CHECK_EQ(readlink(at(base, "newdir/link"), target, sizeof target - 1), 9);
    CHECK_STR(target, "moved.txt");
    CHECK_EQ(unlink(at(base, "data.bin")), 0);
    CHECK_EQ(rmdir(at(base, "empty")), 0);

    int entries = 0, saw_a = 0;
    DIR *d = opendir(at(base, "dir"));
    CHECK(d != NULL);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            entries++;
            saw_a |= strcmp(e->d_name, "a.txt") == 0;
        }
        closedir(d);
    }
    CHECK(saw_a);
    CHECK(entries >= 3);
    int fd = open(at(base, "newdir/moved.txt"), O_RDONLY);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK_EQ(lseek(fd, 0, SEEK_END), 20);
        close(fd);
    }
    printf("base %s done\n", base);
}

static const TestCase cases[] = {
    {"files", files},
};

int main(int argc, char **argv)
{
    return RUN_CASES(cases);
}
