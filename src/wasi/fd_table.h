/*
 * fd_table.h — the guest's descriptor table: guest fd number → what is
 * behind it (a host descriptor, or a memory-backed stream), WASI filetype,
 * rights (base and inheriting), fdflags and, for a preopened directory, the
 * name the guest sees. Only what is in the table is reachable: a number
 * never opened (or closed) is EBADF, and every host descriptor in it is
 * close-on-exec and owned by the table.
 *
 * A memory entry has no host descriptor (host is -1, so no syscall can ever
 * reach another file through it). Rights keep it out of every call that
 * needs one: it has only read or write, poll and filestat_get, and a call
 * that works on a host descriptor asks wbFdGet for WB_NEED_HOST too; its
 * filetype is `unknown`, so the directory calls refuse it with ENOTDIR.
 */
#ifndef WASI_FD_TABLE_H
#define WASI_FD_TABLE_H

#include <stdint.h>

#include "wasi/abi.h"
#include "wasi/stream.h"

/* Rights each kind of descriptor starts with. */
#define WB_RIGHTS_FILE                                                                     \
    (WASI_RIGHTS_FD_DATASYNC | WASI_RIGHTS_FD_READ | WASI_RIGHTS_FD_SEEK |                 \
     WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | WASI_RIGHTS_FD_SYNC | WASI_RIGHTS_FD_TELL |         \
     WASI_RIGHTS_FD_WRITE | WASI_RIGHTS_FD_ADVISE | WASI_RIGHTS_FD_ALLOCATE |              \
     WASI_RIGHTS_FD_FILESTAT_GET | WASI_RIGHTS_FD_FILESTAT_SET_SIZE |                      \
     WASI_RIGHTS_FD_FILESTAT_SET_TIMES | WASI_RIGHTS_POLL_FD_READWRITE)
#define WB_RIGHTS_DIR                                                                      \
    (WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | WASI_RIGHTS_FD_SYNC | WASI_RIGHTS_FD_ADVISE |       \
     WASI_RIGHTS_PATH_CREATE_DIRECTORY | WASI_RIGHTS_PATH_CREATE_FILE |                    \
     WASI_RIGHTS_PATH_LINK_SOURCE | WASI_RIGHTS_PATH_LINK_TARGET | WASI_RIGHTS_PATH_OPEN | \
     WASI_RIGHTS_FD_READDIR | WASI_RIGHTS_PATH_READLINK | WASI_RIGHTS_PATH_RENAME_SOURCE | \
     WASI_RIGHTS_PATH_RENAME_TARGET | WASI_RIGHTS_PATH_FILESTAT_GET |                      \
     WASI_RIGHTS_PATH_FILESTAT_SET_SIZE | WASI_RIGHTS_PATH_FILESTAT_SET_TIMES |            \
     WASI_RIGHTS_FD_FILESTAT_GET | WASI_RIGHTS_FD_FILESTAT_SET_TIMES |                     \
     WASI_RIGHTS_PATH_SYMLINK | WASI_RIGHTS_PATH_REMOVE_DIRECTORY |                        \
     WASI_RIGHTS_PATH_UNLINK_FILE | WASI_RIGHTS_POLL_FD_READWRITE)
#define WB_RIGHTS_DIR_INHERITING (WB_RIGHTS_DIR | WB_RIGHTS_FILE)
/* A terminal: no seek or tell (wasi-libc's isatty looks for exactly that). */
#define WB_RIGHTS_TTY                                                                      \
    (WASI_RIGHTS_FD_READ | WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | WASI_RIGHTS_FD_WRITE |        \
     WASI_RIGHTS_FD_FILESTAT_GET | WASI_RIGHTS_POLL_FD_READWRITE)
/* What guest stdio may do (host or memory-backed): read (fd 0) or write
 * (1, 2), stat and poll; never seek, tell, truncate or change flags. */
#define WB_RIGHTS_STREAM_IN                                                                \
    (WASI_RIGHTS_FD_READ | WASI_RIGHTS_FD_FILESTAT_GET | WASI_RIGHTS_POLL_FD_READWRITE)
#define WB_RIGHTS_STREAM_OUT                                                               \
    (WASI_RIGHTS_FD_WRITE | WASI_RIGHTS_FD_FILESTAT_GET | WASI_RIGHTS_POLL_FD_READWRITE)
/* Not a WASI right (never in an entry's rights, never seen by the guest):
 * in wbFdGet's `need`, asks for an entry with a host descriptor behind it. */
#define WB_NEED_HOST ((uint64_t)1 << 63)
/* What a read-only preopen (and everything opened beneath it) lacks: every
 * right that writes, creates, removes, renames, links or sets metadata. */
#define WB_RIGHTS_WRITING                                                                  \
    (WASI_RIGHTS_FD_DATASYNC | WASI_RIGHTS_FD_WRITE | WASI_RIGHTS_FD_ALLOCATE |            \
     WASI_RIGHTS_PATH_CREATE_DIRECTORY | WASI_RIGHTS_PATH_CREATE_FILE |                    \
     WASI_RIGHTS_PATH_LINK_SOURCE | WASI_RIGHTS_PATH_LINK_TARGET |                         \
     WASI_RIGHTS_PATH_RENAME_SOURCE | WASI_RIGHTS_PATH_RENAME_TARGET |                     \
     WASI_RIGHTS_PATH_FILESTAT_SET_SIZE | WASI_RIGHTS_PATH_FILESTAT_SET_TIMES |            \
     WASI_RIGHTS_FD_FILESTAT_SET_SIZE | WASI_RIGHTS_FD_FILESTAT_SET_TIMES |                \
     WASI_RIGHTS_PATH_SYMLINK | WASI_RIGHTS_PATH_REMOVE_DIRECTORY |                        \
     WASI_RIGHTS_PATH_UNLINK_FILE)

/* Guest descriptors are numbered below this. */
#define WB_FD_MAX 65536u

/* What is behind a guest fd. */
typedef enum wbFdKind {
    WB_FD_FREE = 0, /* nothing: the number is not open */
    WB_FD_HOST,     /* the host descriptor `host` */
    WB_FD_MEMORY,   /* the memory stream `stream`; host is -1 */
} wbFdKind;

typedef struct wbFd {
    uint8_t kind;                 /* wbFdKind */
    int host;                     /* WB_FD_HOST: the host descriptor; else -1 */
    wbStream *stream;             /* WB_FD_MEMORY: owned by the context, not the table */
    uint8_t filetype;             /* WASI filetype */
    uint16_t fdflags;             /* WASI fdflags, as opened or last set */
    uint64_t base, inheriting;    /* rights */
    char *preopen;                /* guest name of a preopened directory, or NULL */
    void *dir;                    /* DIR * of fd_readdir, opened on first use */
    uint64_t dir_next;            /* index (cookie) of the entry `dir` yields next */
} wbFd;

typedef struct wbFdTable {
    wbFd *slots;
    uint32_t n; /* slots allocated */
} wbFdTable;

void wbFdTableInit(wbFdTable *t);
/* Closes every descriptor and frees the table. */
void wbFdTableFree(wbFdTable *t);
/* Closes every descriptor, keeping the table's allocation. */
void wbFdTableClear(wbFdTable *t);

/* An entry for host descriptor `host` (taken over): its WASI filetype from
 * fstat and the rights its kind starts with; fdflags from its status flags.
 * A FIFO is `unknown`, a terminal a character device without seek. */
wbFd wbFdDescribe(int host);

/* An entry for memory stream `s` (not taken over): filetype `unknown`,
 * rights `base`, none inheriting. */
wbFd wbFdMemory(wbStream *s, uint64_t base);

/* The open entry `fd`, which must hold every right in `need`: EBADF when
 * it is not open, ENOTCAPABLE when a right is missing, then ESPIPE when
 * `need` has WB_NEED_HOST and no host descriptor is behind it (a stream
 * in memory). The pointer is valid until the table next changes. */
uint16_t wbFdGet(wbFdTable *t, uint32_t fd, uint64_t need, wbFd **out);

/* Stores `e` (owning its host fd and preopen name from now on, also on
 * failure; a memory stream stays the context's) at the lowest free
 * number. ENOMEM, or EMFILE past WB_FD_MAX. */
uint16_t wbFdAdd(wbFdTable *t, wbFd e, uint32_t *out);

/* Stores `e` at number `fd`, which must be free (setup only). */
uint16_t wbFdPut(wbFdTable *t, uint32_t fd, wbFd e);

/* Closes `fd`: EBADF when it is not open. */
uint16_t wbFdClose(wbFdTable *t, uint32_t fd);

/* Moves `from` to `to`, closing what `to` held; both must be open. */
uint16_t wbFdRenumber(wbFdTable *t, uint32_t from, uint32_t to);

#endif /* WASI_FD_TABLE_H */
