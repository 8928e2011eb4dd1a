/*
 * guest_mem.c — bounds-checked access to guest memory (see guest_mem.h).
 * One check, wbMemSpan, guards every access: memory sizes are at most 2^32
 * bytes and pointers and lengths at most 2^32 - 1 each as the guest passes
 * them, but the check is written to stay exact for any 64-bit values.
 */
#include <stdlib.h>
#include <string.h>

#include "wasi/errno.h"
#include "wasi/abi.h"
#include "wasi/guest_mem.h"

wbGuestMem wbMemOf(const wb_instance *caller)
{
    wbGuestMem m = {NULL, 0};
    wb_extern ext;
    if (caller && wb_instance_export(caller, "memory", &ext) && ext.kind == WB_EXTERN_MEMORY) {
        m.base = wb_memory_data(ext.of.memory);
        m.size = m.base ? wb_memory_size(ext.of.memory) : 0;
    }
    return m;
}

uint8_t *wbMemSpan(const wbGuestMem *m, uint64_t ptr, uint64_t len)
{
    /* ptr <= size and len <= size - ptr: no sum that could wrap */
    if (!m->base || ptr > m->size || len > m->size - ptr)
        return NULL;
    return m->base + ptr;
}

uint16_t wbMemCheck(const wbGuestMem *m, uint64_t ptr, uint64_t len)
{
    return wbMemSpan(m, ptr, len) ? WASI_ESUCCESS : WASI_EFAULT;
}

/* Little-endian loads and stores of n bytes. */
static uint64_t load_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void store_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint16_t get_le(const wbGuestMem *m, uint64_t ptr, unsigned n, uint64_t *out)
{
    const uint8_t *p = wbMemSpan(m, ptr, n);
    if (!p)
        return WASI_EFAULT;
    *out = load_le(p, n);
    return WASI_ESUCCESS;
}

static uint16_t put_le(const wbGuestMem *m, uint64_t ptr, unsigned n, uint64_t v)
{
    uint8_t *p = wbMemSpan(m, ptr, n);
    if (!p)
        return WASI_EFAULT;
    store_le(p, v, n);
    return WASI_ESUCCESS;
}

uint16_t wbMemGetU8(const wbGuestMem *m, uint64_t ptr, uint8_t *out)
{
    uint64_t v = 0;
    uint16_t e = get_le(m, ptr, 1, &v);
    *out = (uint8_t)v;
    return e;
}

uint16_t wbMemGetU16(const wbGuestMem *m, uint64_t ptr, uint16_t *out)
{
    uint64_t v = 0;
    uint16_t e = get_le(m, ptr, 2, &v);
    *out = (uint16_t)v;
    return e;
}

uint16_t wbMemGetU32(const wbGuestMem *m, uint64_t ptr, uint32_t *out)
{
    uint64_t v = 0;
    uint16_t e = get_le(m, ptr, 4, &v);
    *out = (uint32_t)v;
    return e;
}

uint16_t wbMemGetU64(const wbGuestMem *m, uint64_t ptr, uint64_t *out)
{
    *out = 0;
    return get_le(m, ptr, 8, out);
}

uint16_t wbMemPutU8(const wbGuestMem *m, uint64_t ptr, uint8_t v)
{
    return put_le(m, ptr, 1, v);
}

uint16_t wbMemPutU16(const wbGuestMem *m, uint64_t ptr, uint16_t v)
{
    return put_le(m, ptr, 2, v);
}

uint16_t wbMemPutU32(const wbGuestMem *m, uint64_t ptr, uint32_t v)
{
    return put_le(m, ptr, 4, v);
}

uint16_t wbMemPutU64(const wbGuestMem *m, uint64_t ptr, uint64_t v)
{
    return put_le(m, ptr, 8, v);
}

uint16_t wbMemRead(const wbGuestMem *m, uint64_t ptr, void *dst, uint64_t len)
{
    const uint8_t *p = wbMemSpan(m, ptr, len);
    if (!p)
        return WASI_EFAULT;
    if (len)
        memmove(dst, p, (size_t)len);
    return WASI_ESUCCESS;
}

uint16_t wbMemWrite(const wbGuestMem *m, uint64_t ptr, const void *src, uint64_t len)
{
    uint8_t *p = wbMemSpan(m, ptr, len);
    if (!p)
        return WASI_EFAULT;
    if (len)
        memmove(p, src, (size_t)len);
    return WASI_ESUCCESS;
}

uint16_t wbMemString(const wbGuestMem *m, uint64_t ptr, uint64_t len, char **out)
{
    *out = NULL;
    const uint8_t *p = wbMemSpan(m, ptr, len);
    if (!p)
        return WASI_EFAULT;
    if (len >= SIZE_MAX)
        return WASI_ENOMEM;
    char *s = malloc((size_t)len + 1);
    if (!s)
        return WASI_ENOMEM;
    if (len)
        memcpy(s, p, (size_t)len);
    s[len] = '\0';
    *out = s;
    return WASI_ESUCCESS;
}

uint16_t wbMemIovecs(const wbGuestMem *m, uint64_t iovs, uint64_t count, wbIovecs *out)
{
    out->n = 0;
    out->total = 0;
    if (count > UINT64_MAX / WASI_IOVEC_SIZE)
        return WASI_EFAULT;
    const uint8_t *arr = wbMemSpan(m, iovs, count * WASI_IOVEC_SIZE);
    if (!arr)
        return WASI_EFAULT;
    /* validate every entry before taking any */
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *e = arr + i * WASI_IOVEC_SIZE;
        if (!wbMemSpan(m, load_le(e, 4), load_le(e + 4, 4)))
            return WASI_EFAULT;
    }
    for (uint64_t i = 0; i < count && out->n < WB_MEM_IOV_MAX && out->total < WB_MEM_IO_MAX; i++) {
        const uint8_t *e = arr + i * WASI_IOVEC_SIZE;
        uint64_t len = load_le(e + 4, 4);
        if (len == 0)
            continue;
        if (len > WB_MEM_IO_MAX - out->total)
            len = WB_MEM_IO_MAX - out->total;
        out->v[out->n].iov_base = m->base + load_le(e, 4);
        out->v[out->n].iov_len = (size_t)len;
        out->n++;
        out->total += len;
    }
    return WASI_ESUCCESS;
}
