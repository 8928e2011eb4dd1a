/*
 * execmem.h — executable memory for the native-code tier: machine code is
 * written into ordinary memory, then copied into pages that are mapped
 * read+execute (never writable and executable at once, see execmem.c).
 */
#ifndef WB_EXECMEM_H
#define WB_EXECMEM_H

#include <stddef.h>

/* Copies `size` bytes of machine code into read+execute pages (new ones,
 * or those of a region given back earlier). Returns the code's address, or
 * NULL when the host refuses (no mmap, a W^X policy, out of memory):
 * callers then keep to the interpreter. Thread-safe. */
void *wbExecMap(const void *code, size_t size);

/* Gives back what wbExecMap returned: kept for reuse, or unmapped.
 * Accepts NULL. Thread-safe. */
void wbExecUnmap(void *addr);

#endif /* WB_EXECMEM_H */
