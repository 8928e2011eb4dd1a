/*
 * abi.h — the wasi_snapshot_preview1 ABI as the host sees it: the numbering
 * of every enum and flag set (filetype, fdflags, oflags, lookupflags,
 * whence, clockid, eventtype, subclockflags, fstflags, advice, rights) and
 * the byte offsets and sizes of the structs a guest passes in memory. The
 * values are those of the witx definitions (typenames.witx), as wasi-libc's
 * <wasi/api.h> spells them; the guest's structs are always read and written
 * field by field at these offsets, never through a host struct.
 */
#ifndef WASI_ABI_H
#define WASI_ABI_H

#include <stdint.h>

/* filetype (u8) */
#define WASI_FILETYPE_UNKNOWN 0
#define WASI_FILETYPE_BLOCK_DEVICE 1
#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_FILETYPE_DIRECTORY 3
#define WASI_FILETYPE_REGULAR_FILE 4
#define WASI_FILETYPE_SOCKET_DGRAM 5
#define WASI_FILETYPE_SOCKET_STREAM 6
#define WASI_FILETYPE_SYMBOLIC_LINK 7

/* fdflags (u16) */
#define WASI_FDFLAGS_APPEND 0x1u
#define WASI_FDFLAGS_DSYNC 0x2u
#define WASI_FDFLAGS_NONBLOCK 0x4u
#define WASI_FDFLAGS_RSYNC 0x8u
#define WASI_FDFLAGS_SYNC 0x10u
#define WASI_FDFLAGS_ALL 0x1Fu

/* oflags (u16) */
#define WASI_OFLAGS_CREAT 0x1u
#define WASI_OFLAGS_DIRECTORY 0x2u
#define WASI_OFLAGS_EXCL 0x4u
#define WASI_OFLAGS_TRUNC 0x8u
#define WASI_OFLAGS_ALL 0xFu

/* lookupflags (u32) */
#define WASI_LOOKUPFLAGS_SYMLINK_FOLLOW 0x1u

/* whence (u8) */
#define WASI_WHENCE_SET 0
#define WASI_WHENCE_CUR 1
#define WASI_WHENCE_END 2

/* clockid (u32) */
#define WASI_CLOCKID_REALTIME 0
#define WASI_CLOCKID_MONOTONIC 1
#define WASI_CLOCKID_PROCESS_CPUTIME_ID 2
#define WASI_CLOCKID_THREAD_CPUTIME_ID 3

/* eventtype (u8) */
#define WASI_EVENTTYPE_CLOCK 0
#define WASI_EVENTTYPE_FD_READ 1
#define WASI_EVENTTYPE_FD_WRITE 2

/* eventrwflags (u16) */
#define WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP 0x1u

/* subclockflags (u16) */
#define WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME 0x1u

/* fstflags (u16) */
#define WASI_FSTFLAGS_ATIM 0x1u
#define WASI_FSTFLAGS_ATIM_NOW 0x2u
#define WASI_FSTFLAGS_MTIM 0x4u
#define WASI_FSTFLAGS_MTIM_NOW 0x8u
#define WASI_FSTFLAGS_ALL 0xFu

/* advice (u8) */
#define WASI_ADVICE_NORMAL 0
#define WASI_ADVICE_SEQUENTIAL 1
#define WASI_ADVICE_RANDOM 2
#define WASI_ADVICE_WILLNEED 3
#define WASI_ADVICE_DONTNEED 4
#define WASI_ADVICE_NOREUSE 5

/* preopentype (u8) */
#define WASI_PREOPENTYPE_DIR 0

/* rights (u64) */
#define WASI_RIGHT(n) ((uint64_t)1 << (n))
#define WASI_RIGHTS_FD_DATASYNC WASI_RIGHT(0)
#define WASI_RIGHTS_FD_READ WASI_RIGHT(1)
#define WASI_RIGHTS_FD_SEEK WASI_RIGHT(2)
#define WASI_RIGHTS_FD_FDSTAT_SET_FLAGS WASI_RIGHT(3)
#define WASI_RIGHTS_FD_SYNC WASI_RIGHT(4)
#define WASI_RIGHTS_FD_TELL WASI_RIGHT(5)
#define WASI_RIGHTS_FD_WRITE WASI_RIGHT(6)
#define WASI_RIGHTS_FD_ADVISE WASI_RIGHT(7)
#define WASI_RIGHTS_FD_ALLOCATE WASI_RIGHT(8)
#define WASI_RIGHTS_PATH_CREATE_DIRECTORY WASI_RIGHT(9)
#define WASI_RIGHTS_PATH_CREATE_FILE WASI_RIGHT(10)
#define WASI_RIGHTS_PATH_LINK_SOURCE WASI_RIGHT(11)
#define WASI_RIGHTS_PATH_LINK_TARGET WASI_RIGHT(12)
#define WASI_RIGHTS_PATH_OPEN WASI_RIGHT(13)
#define WASI_RIGHTS_FD_READDIR WASI_RIGHT(14)
#define WASI_RIGHTS_PATH_READLINK WASI_RIGHT(15)
#define WASI_RIGHTS_PATH_RENAME_SOURCE WASI_RIGHT(16)
#define WASI_RIGHTS_PATH_RENAME_TARGET WASI_RIGHT(17)
#define WASI_RIGHTS_PATH_FILESTAT_GET WASI_RIGHT(18)
#define WASI_RIGHTS_PATH_FILESTAT_SET_SIZE WASI_RIGHT(19)
#define WASI_RIGHTS_PATH_FILESTAT_SET_TIMES WASI_RIGHT(20)
#define WASI_RIGHTS_FD_FILESTAT_GET WASI_RIGHT(21)
#define WASI_RIGHTS_FD_FILESTAT_SET_SIZE WASI_RIGHT(22)
#define WASI_RIGHTS_FD_FILESTAT_SET_TIMES WASI_RIGHT(23)
#define WASI_RIGHTS_PATH_SYMLINK WASI_RIGHT(24)
#define WASI_RIGHTS_PATH_REMOVE_DIRECTORY WASI_RIGHT(25)
#define WASI_RIGHTS_PATH_UNLINK_FILE WASI_RIGHT(26)
#define WASI_RIGHTS_POLL_FD_READWRITE WASI_RIGHT(27)
#define WASI_RIGHTS_SOCK_SHUTDOWN WASI_RIGHT(28)
#define WASI_RIGHTS_SOCK_ACCEPT WASI_RIGHT(29)
#define WASI_RIGHTS_ALL (WASI_RIGHT(30) - 1)

/* Struct layouts: sizes and field offsets in guest memory (little-endian). */
#define WASI_IOVEC_SIZE 8        /* buf u32 @0, buf_len u32 @4 */
#define WASI_PRESTAT_SIZE 8      /* tag u8 @0, pr_name_len u32 @4 */
#define WASI_FDSTAT_SIZE 24      /* filetype u8 @0, flags u16 @2, base u64 @8, inheriting u64 @16 */
#define WASI_FILESTAT_SIZE 64    /* dev @0, ino @8, filetype u8 @16, nlink @24, size @32,
                                    atim @40, mtim @48, ctim @56 (u64 unless noted) */
#define WASI_DIRENT_SIZE 24      /* d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20 */
#define WASI_SUBSCRIPTION_SIZE 48 /* userdata u64 @0, tag u8 @8; clock: id u32 @16,
                                     timeout u64 @24, precision u64 @32, flags u16 @40;
                                     fd_read / fd_write: fd u32 @16 */
#define WASI_EVENT_SIZE 32       /* userdata u64 @0, error u16 @8, type u8 @10,
                                    nbytes u64 @16, flags u16 @24 */

#endif /* WASI_ABI_H */
