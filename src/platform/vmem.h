/*
 * vmem.h — the only OS layer the engine uses for big buffers (linear
 * memories, the value stack): reserve address space without backing it,
 * commit parts of it read/write as they are needed, release it whole.
 *
 * Reserved, uncommitted pages cost no memory; committed pages read as zero
 * until written. Every function fails softly (NULL / false): a host with a
 * small address space (ulimit -v) or without virtual memory makes callers
 * fall back to calloc/realloc.
 */
#ifndef WB_VMEM_H
#define WB_VMEM_H

#include <stdbool.h>
#include <stddef.h>

/* The OS page size (a power of two), the unit of reservation and commit. */
size_t wbVmemPageSize(void);

/* Reserves `bytes` (rounded up to whole pages) of inaccessible address
 * space. Returns its page-aligned start, or NULL when bytes is 0 or the
 * host refuses. */
void *wbVmemReserve(size_t bytes);

/* wbVmemReserve, with the first `commit` bytes (rounded up to pages)
 * already readable, writable and zero. NULL when the host refuses. */
void *wbVmemReserveCommit(size_t bytes, size_t commit);

/* Makes [addr, addr + bytes) readable and writable; addr must be page
 * aligned and inside a reservation, bytes is rounded up to whole pages.
 * Returns false when the host cannot provide the memory. */
bool wbVmemCommit(void *addr, size_t bytes);

/* Gives back a whole reservation of which the first `committed` bytes were
 * committed, like wbVmemRelease; but a few such regions are kept (zeroed in
 * place, or when large, their pages given back to the kernel, which maps
 * zero pages again on the next touch) and handed out by the next
 * reservations of the same size, so that a sandbox per request does not map and unmap gigabytes
 * of address space, nor fault its first pages in, each time. Thread-safe. */
void wbVmemRecycle(void *addr, size_t bytes, size_t committed);

/* Gives back a whole reservation (`bytes` as passed to wbVmemReserve).
 * Accepts NULL. */
void wbVmemRelease(void *addr, size_t bytes);

/* For tests: while `disabled`, every reservation fails, as under a small
 * ulimit -v, so the fallback paths can be exercised. Not thread-safe. */
void wbVmemSetDisabled(bool disabled);

#endif /* WB_VMEM_H */
