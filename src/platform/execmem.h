/*
 * execmem.h — executable memory for the native-code tier: machine code is
 * written into ordinary memory, then copied into pages that are mapped
 * read+execute (never writable and executable at once).
 */
#ifndef WB_EXECMEM_H
#define WB_EXECMEM_H

#include <stddef.h>

/* Copies `size` bytes of machine code into new read+execute pages. Returns
 * their address, or NULL when the host refuses (no mmap, W^X policy, out of
 * memory): callers then keep to the interpreter. */
void *wbExecMap(const void *code, size_t size);

/* Gives back what wbExecMap returned for `size` bytes. Accepts NULL. */
void wbExecUnmap(void *addr, size_t size);

#endif /* WB_EXECMEM_H */
