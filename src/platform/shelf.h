/*
 * shelf.h — a few spare objects kept for reuse, shared by every thread
 * without a lock: a fixed row of atomic slots. Used for the recycled
 * linear-memory reservations (vmem.c) and interpreter stacks (store.c), so
 * that each of several threads creating and deleting a store per request
 * (the workers of `wasmbox serve`) finds one of its own kind waiting.
 */
#ifndef WB_PLATFORM_SHELF_H
#define WB_PLATFORM_SHELF_H

#include <stdatomic.h>
#include <stddef.h>

#define WB_SHELF_SLOTS 16

typedef struct wbShelf {
    _Atomic(void *) slot[WB_SHELF_SLOTS];
} wbShelf;

/* Puts p on the shelf: 1, or 0 when every slot is taken (p stays the
 * caller's). */
static inline int wbShelfPut(wbShelf *shelf, void *p)
{
    for (size_t i = 0; i < WB_SHELF_SLOTS; i++) {
        void *empty = NULL;
        if (!atomic_load_explicit(&shelf->slot[i], memory_order_relaxed) &&
            atomic_compare_exchange_strong(&shelf->slot[i], &empty, p))
            return 1;
    }
    return 0;
}

/* Takes an object for which fits(p, arg) is true, or NULL. Objects that do
 * not fit stay on the shelf (or, when it filled up meanwhile, are given to
 * discard). */
static inline void *wbShelfTake(wbShelf *shelf, int (*fits)(const void *p, const void *arg),
                                const void *arg, void (*discard)(void *p))
{
    for (size_t i = 0; i < WB_SHELF_SLOTS; i++) {
        if (!atomic_load_explicit(&shelf->slot[i], memory_order_relaxed))
            continue;
        void *p = atomic_exchange(&shelf->slot[i], NULL);
        if (!p)
            continue;
        if (fits(p, arg))
            return p;
        void *empty = NULL; /* not ours: back where it was, or anywhere */
        if (!atomic_compare_exchange_strong(&shelf->slot[i], &empty, p) && !wbShelfPut(shelf, p))
            discard(p);
    }
    return NULL;
}

#endif /* WB_PLATFORM_SHELF_H */
