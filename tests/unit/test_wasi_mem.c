/*
 * test_wasi_mem.c — the WASI host's safety layers, without a guest
 * compiler: the bounds-checked guest-memory marshalling (every access at
 * and past the end of memory, ranges that wrap, iovec arrays that wrap or
 * are huge, little-endian layout), the errno mapping, the descriptor table,
 * and confined path resolution run against a directory tree made here
 * (symlinks "../x", absolute ones, chains, loops, a hard link, ".." at the
 * top), once through openat2 and once through the component walk. Last,
 * a few hand-assembled modules run through wb_wasi_define / wb_wasi_run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "wasi/abi.h"
#include "wasi/errno.h"
#include "wasi/fd_table.h"
#include "wasi/guest_mem.h"
#include "wasi/path.h"
#include "wasmbox_wasi.h"

/* ------------------------------------------------------------ guest memory */

/* A guest memory of exactly n bytes, so ASan catches any access past it. */
static wbGuestMem mem_new(size_t n)
{
    wbGuestMem m;
    m.base = calloc(n ? n : 1, 1);
    m.size = n;
    return m;
}

TEST(wasi_mem_check_bounds)
{
    wbGuestMem m = mem_new(4096);
    CHECK_EQ(wbMemCheck(&m, 0, 0), WASI_ESUCCESS);
    CHECK_EQ(wbMemCheck(&m, 0, 4096), WASI_ESUCCESS);
    CHECK_EQ(wbMemCheck(&m, 4096, 0), WASI_ESUCCESS); /* empty, at the end */
    CHECK_EQ(wbMemCheck(&m, 4095, 1), WASI_ESUCCESS);
    CHECK_EQ(wbMemCheck(&m, 4096, 1), WASI_EFAULT);
    CHECK_EQ(wbMemCheck(&m, 4097, 0), WASI_EFAULT);
    CHECK_EQ(wbMemCheck(&m, 0, 4097), WASI_EFAULT);
    CHECK_EQ(wbMemCheck(&m, 1, 4096), WASI_EFAULT);
    CHECK_EQ(wbMemCheck(&m, 0xfffffff0u, 0x20), WASI_EFAULT);     /* wraps in 32 bits */
    CHECK_EQ(wbMemCheck(&m, 16, 0xffffffffu), WASI_EFAULT);
    CHECK_EQ(wbMemCheck(&m, UINT64_MAX, 2), WASI_EFAULT);         /* wraps in 64 bits */
    CHECK_EQ(wbMemCheck(&m, 2, UINT64_MAX), WASI_EFAULT);
    CHECK_EQ(wbMemCheck(&m, UINT64_MAX, UINT64_MAX), WASI_EFAULT);
    CHECK(wbMemSpan(&m, 4096, 0) == m.base + 4096);
    CHECK(wbMemSpan(&m, 4000, 97) == NULL);
    free(m.base);
}

TEST(wasi_mem_no_memory)
{
    wbGuestMem m = wbMemOf(NULL); /* a guest without a memory export */
    CHECK(m.base == NULL);
    CHECK_EQ(m.size, 0);
    CHECK_EQ(wbMemCheck(&m, 0, 0), WASI_EFAULT);
    uint32_t v;
    CHECK_EQ(wbMemGetU32(&m, 0, &v), WASI_EFAULT);
    CHECK_EQ(wbMemPutU8(&m, 0, 1), WASI_EFAULT);
    wbIovecs io;
    CHECK_EQ(wbMemIovecs(&m, 0, 0, &io), WASI_EFAULT);
}

TEST(wasi_mem_get_put_at_the_end)
{
    wbGuestMem m = mem_new(64);
    CHECK_EQ(wbMemPutU8(&m, 63, 0xab), WASI_ESUCCESS);
    CHECK_EQ(wbMemPutU8(&m, 64, 0xab), WASI_EFAULT);
    CHECK_EQ(wbMemPutU16(&m, 62, 0x1234), WASI_ESUCCESS);
    CHECK_EQ(wbMemPutU16(&m, 63, 0x1234), WASI_EFAULT);
    CHECK_EQ(wbMemPutU32(&m, 60, 0xdeadbeef), WASI_ESUCCESS);
    CHECK_EQ(wbMemPutU32(&m, 61, 0xdeadbeef), WASI_EFAULT);
    CHECK_EQ(wbMemPutU64(&m, 56, 0x0102030405060708ull), WASI_ESUCCESS);
    CHECK_EQ(wbMemPutU64(&m, 57, 1), WASI_EFAULT);
    CHECK_EQ(wbMemPutU64(&m, 0xfffffffcu, 1), WASI_EFAULT);
    /* little-endian, unaligned */
    CHECK_EQ(wbMemPutU32(&m, 1, 0x11223344), WASI_ESUCCESS);
    CHECK_EQ(m.base[1], 0x44);
    CHECK_EQ(m.base[4], 0x11);
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    CHECK_EQ(wbMemGetU32(&m, 1, &u32), WASI_ESUCCESS);
    CHECK_EQ(u32, 0x11223344u);
    CHECK_EQ(wbMemGetU16(&m, 2, &u16), WASI_ESUCCESS);
    CHECK_EQ(u16, 0x2233u);
    CHECK_EQ(wbMemGetU64(&m, 56, &u64), WASI_ESUCCESS);
    CHECK_EQ(u64, 0x0102030405060708ull);
    CHECK_EQ(m.base[56], 0x08);
    CHECK_EQ(wbMemGetU8(&m, 63, &u8), WASI_ESUCCESS);
    CHECK_EQ(wbMemGetU8(&m, 64, &u8), WASI_EFAULT);
    CHECK_EQ(wbMemGetU16(&m, 63, &u16), WASI_EFAULT);
    CHECK_EQ(wbMemGetU32(&m, 61, &u32), WASI_EFAULT);
    CHECK_EQ(wbMemGetU64(&m, 57, &u64), WASI_EFAULT);
    free(m.base);
}

TEST(wasi_mem_copy_in_out)
{
    wbGuestMem m = mem_new(32);
    CHECK_EQ(wbMemWrite(&m, 28, "abcd", 4), WASI_ESUCCESS);
    CHECK_EQ(wbMemWrite(&m, 29, "XXXX", 4), WASI_EFAULT);
    CHECK(memcmp(m.base + 28, "abcd", 4) == 0); /* nothing written on EFAULT */
    char buf[8] = {0};
    CHECK_EQ(wbMemRead(&m, 28, buf, 4), WASI_ESUCCESS);
    CHECK_STR(buf, "abcd");
    CHECK_EQ(wbMemRead(&m, 30, buf, 4), WASI_EFAULT);
    CHECK_EQ(wbMemRead(&m, 32, buf, 0), WASI_ESUCCESS);
    char *s = NULL;
    memcpy(m.base, "a\0b", 3);
    CHECK_EQ(wbMemString(&m, 0, 3, &s), WASI_ESUCCESS);
    if (CHECK(s)) {
        CHECK(memcmp(s, "a\0b\0", 4) == 0); /* the NUL stays for the caller to judge */
        free(s);
    }
    CHECK_EQ(wbMemString(&m, 30, 3, &s), WASI_EFAULT);
    CHECK(s == NULL);
    CHECK_EQ(wbMemString(&m, 16, 0xffffffffu, &s), WASI_EFAULT);
    CHECK_EQ(wbMemString(&m, 32, 0, &s), WASI_ESUCCESS);
    if (CHECK(s)) {
        CHECK_STR(s, "");
        free(s);
    }
    free(m.base);
}

/* Writes iovec i (buf, len) of an array at `at`. */
static void put_iov(wbGuestMem *m, uint64_t at, unsigned i, uint32_t buf, uint32_t len)
{
    wbMemPutU32(m, at + 8 * i, buf);
    wbMemPutU32(m, at + 8 * i + 4, len);
}

TEST(wasi_mem_iovecs)
{
    wbGuestMem m = mem_new(65536);
    static wbIovecs io; /* 16 KiB: not on the stack */
    put_iov(&m, 0, 0, 100, 5);
    put_iov(&m, 0, 1, 200, 0); /* empty: validated, left out */
    put_iov(&m, 0, 2, 300, 7);
    CHECK_EQ(wbMemIovecs(&m, 0, 3, &io), WASI_ESUCCESS);
    CHECK_EQ(io.n, 2);
    CHECK_EQ(io.total, 12);
    CHECK(io.v[0].iov_base == m.base + 100 && io.v[0].iov_len == 5);
    CHECK(io.v[1].iov_base == m.base + 300 && io.v[1].iov_len == 7);
    CHECK_EQ(wbMemIovecs(&m, 0, 0, &io), WASI_ESUCCESS);
    CHECK_EQ(io.n, 0);
    /* a buffer reaching exactly the end; one byte more; one that wraps */
    put_iov(&m, 0, 0, 65536 - 16, 16);
    CHECK_EQ(wbMemIovecs(&m, 0, 1, &io), WASI_ESUCCESS);
    put_iov(&m, 0, 0, 65536 - 16, 17);
    CHECK_EQ(wbMemIovecs(&m, 0, 1, &io), WASI_EFAULT);
    CHECK_EQ(io.n, 0);
    put_iov(&m, 0, 0, 0xfffffff0u, 0x20);
    CHECK_EQ(wbMemIovecs(&m, 0, 1, &io), WASI_EFAULT);
    put_iov(&m, 0, 0, 16, 0xffffffffu);
    CHECK_EQ(wbMemIovecs(&m, 0, 1, &io), WASI_EFAULT);
    put_iov(&m, 0, 0, 65537, 0); /* empty, but past the end */
    CHECK_EQ(wbMemIovecs(&m, 0, 1, &io), WASI_EFAULT);
    /* a bad entry after good ones fails the whole array */
    put_iov(&m, 0, 0, 100, 5);
    put_iov(&m, 0, 1, 65530, 7);
    CHECK_EQ(wbMemIovecs(&m, 0, 2, &io), WASI_EFAULT);
    /* the array itself at and past the end, wrapping, or huge */
    put_iov(&m, 65536 - 8, 0, 100, 5);
    CHECK_EQ(wbMemIovecs(&m, 65536 - 8, 1, &io), WASI_ESUCCESS);
    CHECK_EQ(wbMemIovecs(&m, 65536 - 4, 1, &io), WASI_EFAULT);
    CHECK_EQ(wbMemIovecs(&m, 65536 - 8, 2, &io), WASI_EFAULT);
    CHECK_EQ(wbMemIovecs(&m, 0xfffffff8u, 2, &io), WASI_EFAULT);
    CHECK_EQ(wbMemIovecs(&m, 0, 0xffffffffu, &io), WASI_EFAULT);
    CHECK_EQ(wbMemIovecs(&m, 0, 0x20000000u, &io), WASI_EFAULT); /* count * 8 wraps 32 bits */
    CHECK_EQ(wbMemIovecs(&m, 0, UINT64_MAX / 4, &io), WASI_EFAULT); /* and 64 bits */
    free(m.base);
}

TEST(wasi_mem_iovecs_capped)
{
    wbGuestMem m = mem_new(65536);
    static wbIovecs io;
    /* more buffers than one host call takes: a prefix, all validated */
    unsigned n = WB_MEM_IOV_MAX + 100;
    for (unsigned i = 0; i < n; i++)
        put_iov(&m, 0, i, 40000, 10);
    CHECK_EQ(wbMemIovecs(&m, 0, n, &io), WASI_ESUCCESS);
    CHECK_EQ(io.n, WB_MEM_IOV_MAX);
    CHECK_EQ(io.total, 10u * WB_MEM_IOV_MAX);
    put_iov(&m, 0, n - 1, 65535, 2);
    CHECK_EQ(wbMemIovecs(&m, 0, n, &io), WASI_EFAULT);
    /* buffers adding up past what one call moves (a 4 GiB memory, of which
     * only the array is ever read) */
    wbGuestMem big = {m.base, (uint64_t)1 << 32};
    for (unsigned i = 0; i < 3; i++)
        put_iov(&big, 0, i, 100, 0xfffff000u);
    CHECK_EQ(wbMemIovecs(&big, 0, 3, &io), WASI_ESUCCESS);
    CHECK_EQ(io.n, 1);
    CHECK_EQ(io.total, WB_MEM_IO_MAX);
    CHECK_EQ(io.v[0].iov_len, WB_MEM_IO_MAX);
    free(m.base);
}

/* ------------------------------------------------------------ errno, fds */

TEST(wasi_errno_values)
{
    CHECK_EQ(WASI_ESUCCESS, 0);
    CHECK_EQ(WASI_E2BIG, 1);
    CHECK_EQ(WASI_EBADF, 8);
    CHECK_EQ(WASI_EEXIST, 20);
    CHECK_EQ(WASI_EFAULT, 21);
    CHECK_EQ(WASI_EINVAL, 28);
    CHECK_EQ(WASI_ENOENT, 44);
    CHECK_EQ(WASI_ENOSYS, 52);
    CHECK_EQ(WASI_ENOTSUP, 58);
    CHECK_EQ(WASI_EXDEV, 75);
    CHECK_EQ(WASI_ENOTCAPABLE, 76);
    CHECK_EQ(wbWasiErrno(0), WASI_ESUCCESS);
    CHECK_EQ(wbWasiErrno(ENOENT), WASI_ENOENT);
    CHECK_EQ(wbWasiErrno(EACCES), WASI_EACCES);
    CHECK_EQ(wbWasiErrno(ELOOP), WASI_ELOOP);
    CHECK_EQ(wbWasiErrno(ENOTEMPTY), WASI_ENOTEMPTY);
    CHECK_EQ(wbWasiErrno(EAGAIN), WASI_EAGAIN);
    CHECK_EQ(wbWasiErrno(EWOULDBLOCK), WASI_EAGAIN);
    CHECK_EQ(wbWasiErrno(EOPNOTSUPP), WASI_ENOTSUP);
    CHECK_EQ(wbWasiErrno(ESPIPE), WASI_ESPIPE);
    CHECK_EQ(wbWasiErrno(EXDEV), WASI_EXDEV);
    CHECK_EQ(wbWasiErrno(-1), WASI_EIO);
    CHECK_EQ(wbWasiErrno(100000), WASI_EIO);
}

static wbFd null_fd(void)
{
    return wbFdDescribe(open("/dev/null", O_RDWR | O_CLOEXEC));
}

TEST(wasi_fd_table)
{
    wbFdTable t;
    wbFdTableInit(&t);
    wbFd *e;
    CHECK_EQ(wbFdGet(&t, 0, 0, &e), WASI_EBADF);
    CHECK_EQ(wbFdGet(&t, UINT32_MAX, 0, &e), WASI_EBADF);
    uint32_t a = 99, b = 99, c = 99;
    CHECK_EQ(wbFdPut(&t, 1, null_fd()), WASI_ESUCCESS);
    CHECK_EQ(wbFdPut(&t, 1, null_fd()), WASI_EBADF); /* taken: the entry is closed */
    CHECK_EQ(wbFdAdd(&t, null_fd(), &a), WASI_ESUCCESS);
    CHECK_EQ(a, 0); /* the lowest free number */
    CHECK_EQ(wbFdAdd(&t, null_fd(), &b), WASI_ESUCCESS);
    CHECK_EQ(b, 2);
    CHECK_EQ(wbFdGet(&t, 2, 0, &e), WASI_ESUCCESS);
    if (CHECK(e)) {
        CHECK_EQ(e->filetype, WASI_FILETYPE_CHARACTER_DEVICE);
        CHECK_EQ(wbFdGet(&t, 2, WASI_RIGHTS_FD_READ | WASI_RIGHTS_FD_WRITE, &e), WASI_ESUCCESS);
        e->base = WASI_RIGHTS_FD_READ;
        CHECK_EQ(wbFdGet(&t, 2, WASI_RIGHTS_FD_WRITE, &e), WASI_ENOTCAPABLE);
        CHECK(e == NULL);
    }
    CHECK_EQ(wbFdClose(&t, 0), WASI_ESUCCESS);
    CHECK_EQ(wbFdClose(&t, 0), WASI_EBADF);
    CHECK_EQ(wbFdGet(&t, 0, 0, &e), WASI_EBADF);
    CHECK_EQ(wbFdAdd(&t, null_fd(), &c), WASI_ESUCCESS);
    CHECK_EQ(c, 0); /* reused */
    /* renumber: both must be open; `from` is gone after */
    CHECK_EQ(wbFdRenumber(&t, 2, 7), WASI_EBADF);
    CHECK_EQ(wbFdRenumber(&t, 7, 2), WASI_EBADF);
    CHECK_EQ(wbFdRenumber(&t, 2, 2), WASI_ESUCCESS);
    CHECK_EQ(wbFdRenumber(&t, 2, 0), WASI_ESUCCESS);
    CHECK_EQ(wbFdGet(&t, 2, 0, &e), WASI_EBADF);
    CHECK_EQ(wbFdGet(&t, 0, WASI_RIGHTS_FD_WRITE, &e), WASI_ENOTCAPABLE); /* moved with it */
    CHECK_EQ(wbFdPut(&t, WB_FD_MAX, null_fd()), WASI_EMFILE);
    wbFdTableFree(&t);
    wbFdTableFree(&t); /* idempotent */
}

/* ------------------------------------------------------------ paths */

/* The test tree, under a fresh temporary directory:
 *   outside/secret.txt          "TOP SECRET"
 *   root/                       the preopen
 *     file.txt                  "inside"
 *     dir/sub/deep.txt          "deep"
 *     dir/up -> ../file.txt     (stays inside)
 *     dirlink -> dir
 *     esc -> ../outside/secret.txt
 *     updir -> ..
 *     abs -> /etc/passwd
 *     absdir -> TMP/outside     (absolute)
 *     chain1 -> chain2 -> dir/sub/deep.txt
 *     chainesc1 -> chainesc2 -> dir/../../outside/secret.txt
 *     loop1 <-> loop2
 *     dangle -> created.txt     (missing)
 *     dangle_esc -> ../outside/new.txt
 *     hard                      a hard link to outside/secret.txt */
static char zTmp[64];

static void put_file(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", zTmp, rel);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void put_link(const char *target, const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", zTmp, rel);
    if (symlink(target, p) != 0)
        unitCheckf(false, __FILE__, __LINE__, "symlink", "%s: %s", p, strerror(errno));
}

static int make_tree(void)
{
    strcpy(zTmp, "/tmp/wb_wasi_test_XXXXXX");
    if (!mkdtemp(zTmp))
        return -1;
    const char *dirs[] = {"outside", "root", "root/dir", "root/dir/sub"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", zTmp, dirs[i]);
        mkdir(p, 0755);
    }
    put_file("outside/secret.txt", "TOP SECRET");
    put_file("root/file.txt", "inside");
    put_file("root/dir/sub/deep.txt", "deep");
    put_link("../file.txt", "root/dir/up");
    put_link("dir", "root/dirlink");
    put_link("../outside/secret.txt", "root/esc");
    put_link("..", "root/updir");
    put_link("/etc/passwd", "root/abs");
    char absdir[128];
    snprintf(absdir, sizeof absdir, "%s/outside", zTmp);
    put_link(absdir, "root/absdir");
    put_link("chain2", "root/chain1");
    put_link("dir/sub/deep.txt", "root/chain2");
    put_link("chainesc2", "root/chainesc1");
    put_link("dir/../../outside/secret.txt", "root/chainesc2");
    put_link("loop2", "root/loop1");
    put_link("loop1", "root/loop2");
    put_link("created.txt", "root/dangle");
    put_link("../outside/new.txt", "root/dangle_esc");
    char from[256], to[256];
    snprintf(from, sizeof from, "%s/outside/secret.txt", zTmp);
    snprintf(to, sizeof to, "%s/root/hard", zTmp);
    if (link(from, to) != 0)
        return -1;
    char root[256];
    snprintf(root, sizeof root, "%s/root", zTmp);
    return open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Removes everything under dirfd/name, then it. */
static void remove_tree(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        DIR *d = fdopendir(fd);
        struct dirent *de;
        while (d && (de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                remove_tree(fd, de->d_name);
        if (d)
            closedir(d);
        else
            close(fd);
        unlinkat(dirfd, name, AT_REMOVEDIR);
    } else {
        unlinkat(dirfd, name, 0);
    }
}

static int exists(const char *rel)
{
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", zTmp, rel);
    return lstat(p, &st) == 0;
}

/* Opens path beneath root; returns the errno and, on success, the first
 * bytes of the file in buf. */
static uint16_t open_read(int root, const char *path, int follow, char *buf, size_t n)
{
    int fd = -1;
    buf[0] = '\0';
    uint16_t e = wbPathOpen(root, path, strlen(path), O_RDONLY, 0, follow, &fd);
    if (e == WASI_ESUCCESS) {
        ssize_t got = read(fd, buf, n - 1);
        buf[got > 0 ? got : 0] = '\0';
        close(fd);
    }
    return e;
}

/* The resolution rules, checked in the current mode (openat2 or walk). */
static void path_rules(int root, const char *mode)
{
    char buf[64];
#define OPENS(path, follow, text)                                                        \
    CHECKF(open_read(root, path, follow, buf, sizeof buf) == WASI_ESUCCESS &&            \
               strcmp(buf, text) == 0,                                                   \
           "%s: %s read \"%s\"", mode, path, buf)
#define FAILS(path, follow, err)                                                         \
    do {                                                                                 \
        uint16_t e_ = open_read(root, path, follow, buf, sizeof buf);                    \
        CHECKF(e_ == (err), "%s: %s gave %u, want %u (read \"%s\")", mode, path, e_,     \
               (unsigned)(err), buf);                                                    \
    } while (0)
    OPENS("file.txt", 0, "inside");
    OPENS("./file.txt", 0, "inside");
    OPENS("dir/../file.txt", 0, "inside");
    OPENS("dir/sub/../../file.txt", 0, "inside");
    OPENS("dir//sub///deep.txt", 0, "deep");
    OPENS("dir/up", 1, "inside");          /* a symlink with ".." that stays inside */
    OPENS("dirlink/sub/deep.txt", 0, "deep");
    OPENS("dirlink/up", 1, "inside");
    OPENS("chain1", 1, "deep");
    OPENS("hard", 0, "TOP SECRET");        /* a hard link is a file inside */
    /* leaving the root, one way or another */
    FAILS("..", 0, WASI_ENOTCAPABLE);
    FAILS("../outside/secret.txt", 0, WASI_ENOTCAPABLE);
    FAILS("dir/../../outside/secret.txt", 0, WASI_ENOTCAPABLE);
    FAILS("dir/sub/../../../outside/secret.txt", 1, WASI_ENOTCAPABLE);
    FAILS("../root/file.txt", 0, WASI_ENOTCAPABLE); /* even to come back */
    FAILS("/etc/passwd", 1, WASI_ENOTCAPABLE);
    FAILS("/", 1, WASI_ENOTCAPABLE);
    FAILS("esc", 1, WASI_ENOTCAPABLE);
    FAILS("abs", 1, WASI_ENOTCAPABLE);
    FAILS("absdir/secret.txt", 0, WASI_ENOTCAPABLE);
    FAILS("updir/outside/secret.txt", 0, WASI_ENOTCAPABLE);
    FAILS("updir", 1, WASI_ENOTCAPABLE);
    FAILS("chainesc1", 1, WASI_ENOTCAPABLE);
    FAILS("dirlink/../../outside/secret.txt", 0, WASI_ENOTCAPABLE);
    /* without follow, a final symlink is not opened */
    FAILS("esc", 0, WASI_ELOOP);
    FAILS("chain1", 0, WASI_ELOOP);
    FAILS("loop1", 1, WASI_ELOOP);
    /* malformed or missing */
    FAILS("", 0, WASI_ENOENT);
    FAILS("missing", 0, WASI_ENOENT);
    FAILS("missing/x", 0, WASI_ENOENT);
    FAILS("file.txt/x", 0, WASI_ENOTDIR);
    FAILS("file.txt/", 0, WASI_ENOTDIR);
    {
        int fd = -1;
        CHECKF(wbPathOpen(root, "file.txt\0x", 10, O_RDONLY, 0, 0, &fd) == WASI_EINVAL, "%s: NUL",
               mode);
        static char long_path[WB_PATH_MAX + 2];
        memset(long_path, 'a', WB_PATH_MAX + 1);
        CHECKF(wbPathOpen(root, long_path, WB_PATH_MAX + 1, O_RDONLY, 0, 0, &fd) ==
                   WASI_ENAMETOOLONG,
               "%s: long path", mode);
    }
    /* creating through symlinks: inside follows, outside never */
    int fd = -1;
    uint16_t e = wbPathOpen(root, "dangle_esc", 10, O_WRONLY | O_CREAT, 0644, 1, &fd);
    CHECKF(e == WASI_ENOTCAPABLE, "%s: create through dangle_esc gave %u", mode, e);
    CHECKF(!exists("outside/new.txt"), "%s: created outside", mode);
    e = wbPathOpen(root, "dangle", 6, O_WRONLY | O_CREAT | O_EXCL, 0644, 1, &fd);
    CHECKF(e == WASI_EEXIST, "%s: O_EXCL through a symlink gave %u", mode, e);
    e = wbPathOpen(root, "dangle", 6, O_WRONLY | O_CREAT, 0644, 1, &fd);
    CHECKF(e == WASI_ESUCCESS && exists("root/created.txt"), "%s: create through dangle gave %u",
           mode, e);
    if (e == WASI_ESUCCESS)
        close(fd);
    char p[256];
    snprintf(p, sizeof p, "%s/root/created.txt", zTmp);
    unlink(p);
    /* a directory fd inside is a root of its own */
    int sub = -1;
    e = wbPathOpen(root, "dir", 3, O_RDONLY | O_DIRECTORY, 0, 0, &sub);
    if (CHECKF(e == WASI_ESUCCESS, "%s: dir gave %u", mode, e)) {
        int r = root;
        root = sub; /* the FAILS / OPENS macros read `root` */
        OPENS("sub/deep.txt", 0, "deep");
        OPENS("sub/../sub/deep.txt", 0, "deep");
        FAILS("..", 0, WASI_ENOTCAPABLE);
        FAILS("../file.txt", 0, WASI_ENOTCAPABLE);
        FAILS("up", 1, WASI_ENOTCAPABLE); /* fine from root, not from dir */
        root = r;
        close(sub);
    }
}

TEST(wasi_path_open_confined)
{
    int fds = unitCountFds();
    int root = make_tree();
    if (!CHECK(root >= 0))
        return;
    wbPathForceWalk(0);
    path_rules(root, wbPathHasOpenat2() ? "openat2" : "walk (no openat2)");
    wbPathForceWalk(1);
    path_rules(root, "walk");
    wbPathForceWalk(0);
    close(root);
    remove_tree(AT_FDCWD, zTmp);
    CHECK_EQ(unitCountFds(), fds);
}

/* The parent directory and last name of a path, in the current mode. */
static void resolve_rules(int root, const char *mode)
{
    wbPathAt at;
    struct stat a, b;
    uint16_t e = wbPathResolve(root, "dir/sub/deep.txt", 16, 0, &at);
    if (CHECKF(e == WASI_ESUCCESS, "%s: gave %u", mode, e)) {
        CHECK_STR(at.name, "deep.txt");
        CHECK_EQ(at.must_dir, 0);
        char p[256];
        snprintf(p, sizeof p, "%s/root/dir/sub", zTmp);
        CHECK(fstat(at.dirfd, &a) == 0 && stat(p, &b) == 0 && a.st_ino == b.st_ino);
        wbPathAtClose(&at);
        CHECK_EQ(at.dirfd, -1);
    }
    e = wbPathResolve(root, "file.txt", 8, 0, &at);
    if (CHECKF(e == WASI_ESUCCESS, "%s: gave %u", mode, e)) {
        CHECK_STR(at.name, "file.txt");
        CHECK(fstat(at.dirfd, &a) == 0 && fstat(root, &b) == 0 && a.st_ino == b.st_ino);
        wbPathAtClose(&at);
    }
    /* ".." and "." at the end name the directory itself, as "." in it */
    e = wbPathResolve(root, "dir/sub/..", 10, 0, &at);
    if (CHECKF(e == WASI_ESUCCESS, "%s: gave %u", mode, e)) {
        CHECK_STR(at.name, ".");
        char p[256];
        snprintf(p, sizeof p, "%s/root/dir", zTmp);
        CHECK(fstat(at.dirfd, &a) == 0 && stat(p, &b) == 0 && a.st_ino == b.st_ino);
        wbPathAtClose(&at);
    }
    e = wbPathResolve(root, "dir/", 4, 0, &at);
    if (CHECKF(e == WASI_ESUCCESS, "%s: gave %u", mode, e)) {
        CHECK_STR(at.name, "dir");
        CHECK_EQ(at.must_dir, 1);
        wbPathAtClose(&at);
    }
    /* the last component is left alone without follow, replaced with */
    e = wbPathResolve(root, "esc", 3, 0, &at);
    if (CHECKF(e == WASI_ESUCCESS, "%s: gave %u", mode, e)) {
        CHECK_STR(at.name, "esc");
        wbPathAtClose(&at);
    }
    e = wbPathResolve(root, "chain1", 6, 1, &at);
    if (CHECKF(e == WASI_ESUCCESS, "%s: gave %u", mode, e)) {
        CHECK_STR(at.name, "deep.txt");
        wbPathAtClose(&at);
    }
    e = wbPathResolve(root, "dir/up", 6, 1, &at);
    if (CHECKF(e == WASI_ESUCCESS, "%s: gave %u", mode, e)) {
        CHECK_STR(at.name, "file.txt");
        wbPathAtClose(&at);
    }
    const char *bad[] = {"..", "../x", "dir/../..", "/etc", "esc/x", "updir/root", "absdir/secret.txt"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e = wbPathResolve(root, bad[i], strlen(bad[i]), 0, &at);
        CHECKF(e == WASI_ENOTCAPABLE && at.dirfd == -1, "%s: %s gave %u", mode, bad[i], e);
    }
    const char *bad_follow[] = {"esc", "abs", "chainesc1", "updir"};
    for (size_t i = 0; i < sizeof bad_follow / sizeof bad_follow[0]; i++) {
        e = wbPathResolve(root, bad_follow[i], strlen(bad_follow[i]), 1, &at);
        CHECKF(e == WASI_ENOTCAPABLE, "%s: %s (follow) gave %u", mode, bad_follow[i], e);
    }
    e = wbPathResolve(root, "loop1", 5, 1, &at);
    CHECKF(e == WASI_ELOOP, "%s: loop gave %u", mode, e);
    char name[WB_NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    e = wbPathResolve(root, name, strlen(name), 0, &at);
    CHECKF(e == WASI_ENAMETOOLONG, "%s: long name gave %u", mode, e);
}

TEST(wasi_path_resolve_parent)
{
    int fds = unitCountFds();
    int root = make_tree();
    if (!CHECK(root >= 0))
        return;
    wbPathForceWalk(0);
    resolve_rules(root, "openat2");
    wbPathForceWalk(1);
    resolve_rules(root, "walk");
    wbPathForceWalk(0);
    close(root);
    remove_tree(AT_FDCWD, zTmp);
    CHECK_EQ(unitCountFds(), fds);
}

/* ------------------------------------------------------------ whole modules */

/* Hand-assembled with wat2wasm.
 * kModA: imports fd_write and proc_exit; _start writes "hi" to fd 1, then
 *        proc_exit(300).
 * kModB: a memory, no _start.
 * kModC: _start stores args_sizes_get's results at 0 and 4 and its errno
 *        at 8, then returns.
 * kModD: imports fd_write with a wrong signature (i32 i64 i32 i32). */
static const uint8_t kModA[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60,
    0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60,
    0x00, 0x00, 0x02, 0x46, 0x02, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73,
    0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76,
    0x69, 0x65, 0x77, 0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74,
    0x65, 0x00, 0x00, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61,
    0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65,
    0x77, 0x31, 0x09, 0x70, 0x72, 0x6f, 0x63, 0x5f, 0x65, 0x78, 0x69, 0x74,
    0x00, 0x01, 0x03, 0x02, 0x01, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x13, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x06,
    0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x02, 0x0a, 0x1d, 0x01, 0x1b,
    0x00, 0x41, 0xe4, 0x00, 0x41, 0x01, 0x41, 0x08, 0x41, 0x01, 0x41, 0xe8,
    0x00, 0x10, 0x00, 0x36, 0x02, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x10,
    0x01, 0x00, 0x0b, 0x0b, 0x18, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x12, 0x2c,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02,
    0x00, 0x00, 0x00, 0x68, 0x69,
};
static const uint8_t kModB[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00,
    0x01, 0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02,
    0x00,
};
static const uint8_t kModC[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x29, 0x01, 0x16,
    0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f,
    0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0e, 0x61,
    0x72, 0x67, 0x73, 0x5f, 0x73, 0x69, 0x7a, 0x65, 0x73, 0x5f, 0x67, 0x65,
    0x74, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01,
    0x07, 0x13, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
    0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x01, 0x0a, 0x0f, 0x01,
    0x0d, 0x00, 0x41, 0x08, 0x41, 0x00, 0x41, 0x04, 0x10, 0x00, 0x36, 0x02,
    0x00, 0x0b,
};
static const uint8_t kModD[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x01, 0x60,
    0x04, 0x7f, 0x7e, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x23, 0x01, 0x16, 0x77,
    0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74,
    0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x08, 0x66, 0x64,
    0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00,
    0x01, 0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02,
    0x00,
};

/* Instantiates `bytes` linked with a WASI context whose stdout is `out`. */
static wb_status run_module(const uint8_t *bytes, size_t n, int out, int *code, wb_error *err,
                            wb_wasi **wasi_out, wb_store **store_out, wb_module **mod_out,
                            wb_instance **inst_out)
{
    const char *argv[] = {"prog", "arg1"};
    wb_wasi_config cfg = {.argc = 2, .argv = argv, .stdin_fd = -1, .stdout_fd = out,
                          .stderr_fd = -1};
    *wasi_out = NULL;
    *store_out = NULL;
    *mod_out = NULL;
    wb_status st = wb_module_new(bytes, n, mod_out, err);
    if (st == WB_OK)
        st = wb_wasi_new(&cfg, wasi_out, err);
    if (st != WB_OK)
        return st;
    *store_out = wb_store_new(NULL);
    wb_linker *l = wb_linker_new(*store_out);
    st = wb_wasi_define(*wasi_out, l);
    if (st == WB_OK)
        st = wb_instance_new(*store_out, *mod_out, l, inst_out, err);
    wb_linker_delete(l);
    if (st == WB_OK)
        st = wb_wasi_run(*wasi_out, *inst_out, code, err);
    return st;
}

static void run_done(wb_wasi *w, wb_store *s, wb_module *m)
{
    wb_store_delete(s);
    wb_wasi_delete(w);
    wb_module_delete(m);
}

TEST(wasi_run_proc_exit)
{
    int fds = unitCountFds();
    int p[2];
    if (!CHECK(pipe(p) == 0))
        return;
    wb_error err;
    wb_wasi *w;
    wb_store *s;
    wb_module *m;
    wb_instance *inst;
    int code = -1;
    CHECK_EQ(run_module(kModA, sizeof kModA, p[1], &code, &err, &w, &s, &m, &inst), WB_OK);
    CHECK_EQ(code, 300); /* kept as given */
    CHECK_EQ(err.status, WB_OK);
    int again = 0;
    CHECK_EQ(wb_wasi_exit_code(w, &again), 1);
    CHECK_EQ(again, 300);
    run_done(w, s, m);
    close(p[1]);
    char buf[8] = {0};
    CHECK_EQ(read(p[0], buf, sizeof buf - 1), 2);
    CHECK_STR(buf, "hi");
    close(p[0]);
    CHECK_EQ(unitCountFds(), fds); /* the context closed its duplicate of stdout */
}

TEST(wasi_run_returns)
{
    wb_error err;
    wb_wasi *w;
    wb_store *s;
    wb_module *m;
    wb_instance *inst;
    int code = -1;
    CHECK_EQ(run_module(kModC, sizeof kModC, 1, &code, &err, &w, &s, &m, &inst), WB_OK);
    CHECK_EQ(code, 0);
    CHECK_EQ(wb_wasi_exit_code(w, NULL), 0);
    wb_extern mem;
    if (CHECK(wb_instance_export(inst, "memory", &mem))) {
        const uint8_t *d = wb_memory_data(mem.of.memory);
        CHECK_EQ(d[0], 2);                 /* argc */
        CHECK_EQ(d[4], 5 + 5);             /* "prog\0arg1\0" */
        CHECK_EQ(d[8], WASI_ESUCCESS);
    }
    run_done(w, s, m);
}

TEST(wasi_run_no_start)
{
    wb_error err;
    wb_wasi *w;
    wb_store *s;
    wb_module *m;
    wb_instance *inst;
    int code = -1;
    CHECK_EQ(run_module(kModB, sizeof kModB, 1, &code, &err, &w, &s, &m, &inst), WB_ERR_ARG);
    CHECK_STR(err.message, "module has no _start export");
    run_done(w, s, m);
}

TEST(wasi_run_signature_checked)
{
    wb_error err;
    wb_wasi *w;
    wb_store *s;
    wb_module *m;
    wb_instance *inst;
    int code = -1;
    /* fd_write imported as (i32 i64 i32 i32) -> i32: not what WASI defines */
    CHECK_EQ(run_module(kModD, sizeof kModD, 1, &code, &err, &w, &s, &m, &inst), WB_ERR_LINK);
    run_done(w, s, m);
}

TEST(wasi_new_bad_config)
{
    wb_error err;
    wb_wasi *w = (wb_wasi *)&err;
    const char *argv[] = {"prog", NULL};
    wb_wasi_config cfg = {.argc = 2, .argv = argv, .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
    CHECK_EQ(wb_wasi_new(&cfg, &w, &err), WB_ERR_ARG);
    CHECK(w == NULL);
    wb_wasi_dir dir = {"/nonexistent/wasmbox/dir", "/data", 0};
    wb_wasi_config cfg2 = {.ndirs = 1, .dirs = &dir, .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
    CHECK_EQ(wb_wasi_new(&cfg2, &w, &err), WB_ERR_IO);
    CHECK(strstr(err.detail, "/nonexistent/wasmbox/dir") != NULL);
    CHECK_EQ(wb_wasi_new(NULL, &w, &err), WB_ERR_ARG);
    wb_wasi_delete(NULL);
}

/* Every host descriptor a context holds is close-on-exec: none leaks into
 * a process the embedder starts. */
TEST(wasi_new_cloexec)
{
    int before[1024] = {0};
    for (int fd = 0; fd < 1024; fd++)
        before[fd] = fcntl(fd, F_GETFD) >= 0;
    wb_wasi_dir dir = {"/tmp", "/tmp", 1};
    wb_wasi_config cfg = {.ndirs = 1, .dirs = &dir, .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
    wb_wasi *w = NULL;
    wb_error err;
    if (!CHECK_EQ(wb_wasi_new(&cfg, &w, &err), WB_OK))
        return;
    int added = 0;
    for (int fd = 0; fd < 1024; fd++) {
        int fl = fcntl(fd, F_GETFD);
        if (fl >= 0 && !before[fd]) {
            added++;
            CHECKF(fl & FD_CLOEXEC, "fd %d", fd);
        }
    }
    CHECK_EQ(added, 4); /* stdio and the preopen */
    wb_wasi_delete(w);
    for (int fd = 0; fd < 1024; fd++)
        CHECKF((fcntl(fd, F_GETFD) >= 0) == before[fd], "fd %d", fd);
}
