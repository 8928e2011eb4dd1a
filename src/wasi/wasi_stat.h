/*
 * wasi_stat.h — host file metadata in its WASI forms: the filetype of a
 * st_mode, a struct stat written as the guest's 64-byte filestat, and the
 * (atim, mtim, fstflags) triple of the set_times calls as the two
 * timespecs of futimens / utimensat.
 */
#ifndef WASI_WASI_STAT_H
#define WASI_WASI_STAT_H

#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "wasi/guest_mem.h"

uint8_t wbWasiFiletype(mode_t mode);

/* Nanoseconds since the epoch (0 for earlier times). */
uint64_t wbWasiNanos(const struct timespec *ts);

/* Writes `st` as a filestat at ptr: EFAULT when it does not fit. */
uint16_t wbWasiPutFilestat(const wbGuestMem *m, uint64_t ptr, const struct stat *st);

/* Fills ts[0] (access) and ts[1] (modification) for fstflags: a time given,
 * UTIME_NOW, or UTIME_OMIT. EINVAL for unknown flags, for both a time and
 * _NOW of one timestamp, or a time too large for time_t. */
uint16_t wbWasiTimes(uint64_t atim, uint64_t mtim, uint32_t fstflags, struct timespec ts[2]);

#endif /* WASI_WASI_STAT_H */
