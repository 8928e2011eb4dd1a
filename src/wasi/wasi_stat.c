/*
 * wasi_stat.c — conversions between host metadata and WASI's filetype,
 * filestat and timestamp forms (see wasi_stat.h).
 */

#include "wasi/abi.h"
#include "wasi/errno.h"
#include "wasi/wasi_stat.h"

uint8_t wbWasiFiletype(mode_t mode)
{
    if (S_ISREG(mode))
        return WASI_FILETYPE_REGULAR_FILE;
    if (S_ISDIR(mode))
        return WASI_FILETYPE_DIRECTORY;
    if (S_ISLNK(mode))
        return WASI_FILETYPE_SYMBOLIC_LINK;
    if (S_ISCHR(mode))
        return WASI_FILETYPE_CHARACTER_DEVICE;
    if (S_ISBLK(mode))
        return WASI_FILETYPE_BLOCK_DEVICE;
    if (S_ISSOCK(mode))
        return WASI_FILETYPE_SOCKET_STREAM;
    return WASI_FILETYPE_UNKNOWN; /* FIFOs */
}

uint64_t wbWasiNanos(const struct timespec *ts)
{
    if (ts->tv_sec < 0)
        return 0;
    uint64_t s = (uint64_t)ts->tv_sec;
    if (s > UINT64_MAX / 1000000000u - 1)
        return UINT64_MAX;
    return s * 1000000000u + (uint64_t)ts->tv_nsec;
}

uint16_t wbWasiPutFilestat(const wbGuestMem *m, uint64_t ptr, const struct stat *st)
{
    uint8_t *p = wbMemSpan(m, ptr, WASI_FILESTAT_SIZE);
    if (!p)
        return WASI_EFAULT;
    uint64_t f[8] = {
        (uint64_t)st->st_dev,
        (uint64_t)st->st_ino,
        wbWasiFiletype(st->st_mode),
        (uint64_t)st->st_nlink,
        st->st_size < 0 ? 0 : (uint64_t)st->st_size,
        wbWasiNanos(&st->st_atim),
        wbWasiNanos(&st->st_mtim),
        wbWasiNanos(&st->st_ctim),
    };
    /* filetype is a u8 at 16 followed by padding: zero the whole word */
    for (unsigned i = 0; i < 8; i++)
        wbMemPutU64(m, ptr + 8 * i, f[i]);
    return WASI_ESUCCESS;
}

/* One timestamp: `set` (a given time), `now`, or neither (left alone). */
static uint16_t one_time(uint64_t t, int set, int now, struct timespec *ts)
{
    if (set && now)
        return WASI_EINVAL;
    if (now) {
        ts->tv_sec = 0;
        ts->tv_nsec = UTIME_NOW;
    } else if (set) {
        uint64_t s = t / 1000000000u;
        if ((time_t)s < 0 || (uint64_t)(time_t)s != s)
            return WASI_EINVAL;
        ts->tv_sec = (time_t)s;
        ts->tv_nsec = (long)(t % 1000000000u);
    } else {
        ts->tv_sec = 0;
        ts->tv_nsec = UTIME_OMIT;
    }
    return WASI_ESUCCESS;
}

uint16_t wbWasiTimes(uint64_t atim, uint64_t mtim, uint32_t fstflags, struct timespec ts[2])
{
    if (fstflags & ~(uint32_t)WASI_FSTFLAGS_ALL)
        return WASI_EINVAL;
    uint16_t e = one_time(atim, !!(fstflags & WASI_FSTFLAGS_ATIM),
                          !!(fstflags & WASI_FSTFLAGS_ATIM_NOW), &ts[0]);
    if (!e)
        e = one_time(mtim, !!(fstflags & WASI_FSTFLAGS_MTIM),
                     !!(fstflags & WASI_FSTFLAGS_MTIM_NOW), &ts[1]);
    return e;
}
