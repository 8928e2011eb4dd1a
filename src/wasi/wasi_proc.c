/*
 * wasi_proc.c — the process-level WASI functions: args and environ,
 * proc_exit / proc_raise, sched_yield, random_get, and the socket calls
 * (no descriptor the guest can hold is a socket it may use).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "wasi/errno.h"
#include "wasi/wasi_impl.h"

/* Writes n strings as args_get / environ_get do: pointers (u32 each) at
 * `ptrs`, the NUL-terminated strings packed from `buf`. */
static uint16_t put_strings(wbWasiCall *c, char *const *v, int n, uint64_t bytes, uint32_t ptrs,
                            uint32_t buf)
{
    uint16_t err = wbMemCheck(&c->mem, ptrs, (uint64_t)n * 4);
    if (!err)
        err = wbMemCheck(&c->mem, buf, bytes);
    if (err)
        return err;
    uint64_t off = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        wbMemPutU32(&c->mem, ptrs + 4 * (uint64_t)i, (uint32_t)(buf + off));
        wbMemWrite(&c->mem, buf + off, v[i], len);
        off += len;
    }
    return WASI_ESUCCESS;
}

static uint16_t put_sizes(wbWasiCall *c, uint32_t count, uint64_t bytes)
{
    uint32_t p_count = WB_ARG32(c, 0), p_bytes = WB_ARG32(c, 1);
    uint16_t err = wbMemCheck(&c->mem, p_count, 4);
    if (!err)
        err = wbMemCheck(&c->mem, p_bytes, 4);
    if (err)
        return err;
    wbMemPutU32(&c->mem, p_count, count);
    wbMemPutU32(&c->mem, p_bytes, (uint32_t)bytes);
    return WASI_ESUCCESS;
}

/* args_get(argv: ptr, argv_buf: ptr) */
static uint16_t args_get(wbWasiCall *c)
{
    const wbWasiStrings *a = &c->wasi->args;
    return put_strings(c, a->v, a->n, a->bytes, WB_ARG32(c, 0), WB_ARG32(c, 1));
}

/* args_sizes_get() -> (argc, argv_buf_size) */
static uint16_t args_sizes_get(wbWasiCall *c)
{
    return put_sizes(c, (uint32_t)c->wasi->args.n, c->wasi->args.bytes);
}

/* environ_get(environ: ptr, environ_buf: ptr) */
static uint16_t environ_get(wbWasiCall *c)
{
    const wbWasiStrings *e = &c->wasi->env;
    return put_strings(c, e->v, e->n, e->bytes, WB_ARG32(c, 0), WB_ARG32(c, 1));
}

/* environ_sizes_get() -> (count, buf_size) */
static uint16_t environ_sizes_get(wbWasiCall *c)
{
    return put_sizes(c, (uint32_t)c->wasi->env.n, c->wasi->env.bytes);
}

/* proc_exit(rval: exitcode): records the code and stops the guest. */
static uint16_t proc_exit(wbWasiCall *c)
{
    c->wasi->exited = 1;
    c->wasi->exit_code = (int)WB_ARG32(c, 0);
    c->status = WB_ERR_EXIT;
    c->trap = "exit";
    return WASI_ESUCCESS;
}

/* proc_raise(sig): the sandbox has no signals to deliver. */
static uint16_t proc_raise(wbWasiCall *c)
{
    (void)c;
    return WASI_ENOSYS;
}

static uint16_t sched_yield_(wbWasiCall *c)
{
    (void)c;
    sched_yield();
    return WASI_ESUCCESS;
}

/* Fills n bytes at p from the kernel's CSPRNG. */
static uint16_t fill_random(uint8_t *p, size_t n)
{
    while (n) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (errno != ENOSYS)
                return wbWasiErrno(errno);
            /* kernels before 3.17 */
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return wbWasiErrno(errno);
            while (n) {
                got = read(fd, p, n);
                if (got <= 0) {
                    if (got < 0 && errno == EINTR)
                        continue;
                    close(fd);
                    return WASI_EIO;
                }
                p += got;
                n -= (size_t)got;
            }
            close(fd);
            return WASI_ESUCCESS;
        }
        p += got;
        n -= (size_t)got;
    }
    return WASI_ESUCCESS;
}

/* random_get(buf: ptr, buf_len: size) */
static uint16_t random_get(wbWasiCall *c)
{
    uint32_t len = WB_ARG32(c, 1);
    uint8_t *p = wbMemSpan(&c->mem, WB_ARG32(c, 0), len);
    if (!p)
        return WASI_EFAULT;
    return fill_random(p, len);
}

/* The socket calls: a descriptor that is not open, or not a socket, is
 * EBADF; a socket (only possible as stdio) is not supported. */
static uint16_t sock_check(wbWasiCall *c, uint64_t need)
{
    wbFd *e;
    uint16_t err = wbFdGet(&c->wasi->fds, WB_ARG32(c, 0), 0, &e);
    if (err)
        return err;
    if (e->filetype != WASI_FILETYPE_SOCKET_STREAM && e->filetype != WASI_FILETYPE_SOCKET_DGRAM)
        return WASI_EBADF;
    if ((e->base & need) != need)
        return WASI_ENOTCAPABLE;
    return WASI_ENOTSUP;
}

/* sock_accept(fd, flags) -> fd */
static uint16_t sock_accept(wbWasiCall *c)
{
    return sock_check(c, WASI_RIGHTS_SOCK_ACCEPT);
}

/* sock_recv(fd, ri_data: iovec array, ri_flags) -> (size, roflags) */
static uint16_t sock_recv(wbWasiCall *c)
{
    return sock_check(c, WASI_RIGHTS_FD_READ);
}

/* sock_send(fd, si_data: ciovec array, si_flags) -> size */
static uint16_t sock_send(wbWasiCall *c)
{
    return sock_check(c, WASI_RIGHTS_FD_WRITE);
}

/* sock_shutdown(fd, how) */
static uint16_t sock_shutdown(wbWasiCall *c)
{
    return sock_check(c, WASI_RIGHTS_SOCK_SHUTDOWN);
}

const wbWasiFunc wbWasiProcFuncs[] = {
    {"args_get", "ii", 0, args_get},
    {"args_sizes_get", "ii", 0, args_sizes_get},
    {"environ_get", "ii", 0, environ_get},
    {"environ_sizes_get", "ii", 0, environ_sizes_get},
    {"proc_exit", "i", 1, proc_exit},
    {"proc_raise", "i", 0, proc_raise},
    {"sched_yield", "", 0, sched_yield_},
    {"random_get", "ii", 0, random_get},
    {"sock_accept", "iii", 0, sock_accept},
    {"sock_recv", "iiiiii", 0, sock_recv},
    {"sock_send", "iiiii", 0, sock_send},
    {"sock_shutdown", "ii", 0, sock_shutdown},
};
const size_t wbWasiProcFuncCount = sizeof wbWasiProcFuncs / sizeof wbWasiProcFuncs[0];
