/*
 * arena.h — a bump allocator owned by one module: every array the decoder
 * builds comes from here and is freed at once with the module.
 */
#ifndef WB_ARENA_H
#define WB_ARENA_H

#include <stddef.h>

typedef struct wbArenaChunk wbArenaChunk;

typedef struct wbArena {
    wbArenaChunk *head;
} wbArena;

/* Zeroed memory for n bytes (aligned for any type), or NULL when the host
 * is out of memory or n is absurd. */
void *wbArenaAlloc(wbArena *a, size_t n);

/* n elements of `size` bytes each, checking the product for overflow. */
void *wbArenaArray(wbArena *a, size_t n, size_t size);

void wbArenaFree(wbArena *a);

#endif /* WB_ARENA_H */
