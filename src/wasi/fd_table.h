/*
 * fd_table.h — the guest's descriptor table: guest fd number → host
 * descriptor, WASI filetype, rights (base and inheriting), fdflags and, for
 * a preopened directory, the name the guest sees. Only what is in the table
 * is reachable: a number never opened (or closed) is EBADF, and every host
 * descriptor in it is close-on-exec and owned by the table.
 */
#ifndef WASI_FD_TABLE_H
#define WASI_FD_TABLE_H

#include <stdint.h>

#include "wasi/abi.h"

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

typedef struct wbFd {
    int host;                     /* host descriptor; -1 in a free slot */
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

/* An entry for host descriptor `host` (taken over): its WASI filetype from
 * fstat and the rights its kind starts with; fdflags from its status flags.
 * A FIFO is `unknown`, a terminal a character device without seek. */
wbFd wbFdDescribe(int host);

/* The open entry `fd`, which must hold every right in `need`: EBADF when
 * it is not open, ENOTCAPABLE when a right is missing. The pointer is valid
 * until the table next changes. */
uint16_t wbFdGet(wbFdTable *t, uint32_t fd, uint64_t need, wbFd **out);

/* Stores `e` (owning its host fd and preopen name from now on, also on
 * failure) at the lowest free number. ENOMEM, or EMFILE past WB_FD_MAX. */
uint16_t wbFdAdd(wbFdTable *t, wbFd e, uint32_t *out);

/* Stores `e` at number `fd`, which must be free (setup only). */
uint16_t wbFdPut(wbFdTable *t, uint32_t fd, wbFd e);

/* Closes `fd`: EBADF when it is not open. */
uint16_t wbFdClose(wbFdTable *t, uint32_t fd);

/* Moves `from` to `to`, closing what `to` held; both must be open. */
uint16_t wbFdRenumber(wbFdTable *t, uint32_t from, uint32_t to);

#endif /* WASI_FD_TABLE_H */
