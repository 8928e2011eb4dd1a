/*
 * store.c — the store: its limits, the list of every object created in it
 * (freed together by wb_store_delete), and the interpreter's per-store
 * stacks, allocated on first use.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"
#include "platform/shelf.h"
#include "platform/vmem.h"

#define DEFAULT_MAX_TABLE_ELEMS 10000000u
#define DEFAULT_MAX_CALL_DEPTH 100000u
#define DEFAULT_MAX_STACK_BYTES ((size_t)8 << 20)

/* The header in front of every object the store owns; the object follows,
 * aligned for any type. */
typedef union StoreObj {
    struct {
        union StoreObj *next;
        void (*fini)(void *ptr);
    } h;
    max_align_t align;
} StoreObj;

wb_store *wb_store_new(const wb_limits *limits)
{
    wb_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (limits)
        s->limits = *limits;
    wb_limits *l = &s->limits;
    if (l->max_memory_pages == 0 || l->max_memory_pages > WB_MAX_PAGES)
        l->max_memory_pages = WB_MAX_PAGES;
    if (l->max_table_elems == 0)
        l->max_table_elems = DEFAULT_MAX_TABLE_ELEMS;
    if (l->max_call_depth == 0)
        l->max_call_depth = DEFAULT_MAX_CALL_DEPTH;
    if (l->max_call_depth > WB_MAX_CALL_DEPTH)
        l->max_call_depth = WB_MAX_CALL_DEPTH;
    if (l->max_stack_bytes == 0)
        l->max_stack_bytes = DEFAULT_MAX_STACK_BYTES;
    s->thread.fuel = l->fuel > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)l->fuel;
    s->thread.fuel_on = l->fuel != 0;
    s->thread.max_frames = l->max_call_depth;
    return s;
}

void *wbStoreAlloc(wb_store *store, size_t size, void (*fini)(void *ptr))
{
    if (!store || size > SIZE_MAX - sizeof(StoreObj))
        return NULL;
    StoreObj *o = calloc(1, sizeof *o + size);
    if (!o)
        return NULL;
    o->h.fini = fini;
    o->h.next = store->objects;
    store->objects = o;
    return o + 1;
}

/*
 * The interpreter's stacks: the value stack and the frame array, in one
 * block (address space reserved and committed at once, so pages never
 * touched cost nothing; calloc when reservation is impossible). Blocks of
 * deleted stores wait on a shelf (a few, for stores on several threads) and
 * go to the next store with the same limits, so a store per request costs no system call and no
 * zeroing: nothing on these stacks is read before it is written.
 */
typedef struct Stacks {
    void *base;
    size_t bytes;       /* the whole block */
    bool reserved;      /* from vmem (else calloc) */
    size_t nslots;
    uint32_t nframes;
} Stacks;

static wbShelf spare_stacks;

static void stacks_free(void *p)
{
    Stacks *k = p;
    if (!k)
        return;
    if (k->reserved)
        wbVmemRelease(k->base, k->bytes);
    else
        free(k->base);
    free(k);
}

static int stacks_fit(const void *p, const void *want)
{
    const Stacks *a = p, *b = want;
    return a->nslots == b->nslots && a->nframes == b->nframes;
}

static Stacks *stacks_new(size_t nslots, uint32_t nframes)
{
    Stacks *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    size_t frames_at = nslots * sizeof(wbSlot);
    frames_at = (frames_at + 63) & ~(size_t)63;
    k->bytes = frames_at + (size_t)nframes * sizeof(wbFrame);
    k->nslots = nslots;
    k->nframes = nframes;
    void *p = wbVmemReserve(k->bytes);
    if (p && wbVmemCommit(p, k->bytes)) {
        k->reserved = true;
    } else {
        wbVmemRelease(p, k->bytes);
        p = calloc(1, k->bytes);
        if (!p) {
            free(k);
            return NULL;
        }
    }
    k->base = p;
    return k;
}

void wb_store_delete(wb_store *store)
{
    if (!store)
        return;
    StoreObj *o = store->objects;
    while (o) {
        StoreObj *next = o->h.next;
        if (o->h.fini)
            o->h.fini(o + 1);
        free(o);
        o = next;
    }
    /* keep the stacks for the next store (when the shelf has room) */
    if (store->stacks && !wbShelfPut(&spare_stacks, store->stacks))
        stacks_free(store->stacks);
    free(store);
}

wbThread *wbStoreThread(wb_store *store)
{
    if (!store)
        return NULL;
    wbThread *t = &store->thread;
    if (t->stack)
        return t;
    size_t nslots = store->limits.max_stack_bytes / sizeof(wbSlot);
    if (nslots == 0)
        nslots = 1;
    uint32_t nframes = store->limits.max_call_depth ? store->limits.max_call_depth : 1;
    Stacks want = {.nslots = nslots, .nframes = nframes};
    Stacks *k = wbShelfTake(&spare_stacks, stacks_fit, &want, stacks_free);
    if (!k && !(k = stacks_new(nslots, nframes)))
        return NULL;
    store->stacks = k;
    t->stack = k->base;
    t->stack_end = t->stack + nslots;
    t->frames = (wbFrame *)((char *)k->base + (k->bytes - (size_t)nframes * sizeof(wbFrame)));
    t->nframes = 0;
    t->max_frames = nframes;
    return t;
}

void wb_store_interrupt(wb_store *store)
{
    if (store)
        store->thread.interrupt = 1;
}

void wb_store_clear_interrupt(wb_store *store)
{
    if (store)
        store->thread.interrupt = 0;
}

uint64_t wb_store_fuel(const wb_store *store)
{
    if (!store || !store->thread.fuel_on)
        return 0;
    return store->thread.fuel > 0 ? (uint64_t)store->thread.fuel : 0;
}

int wb_store_memory_limit_hit(const wb_store *store)
{
    return store && store->memory_limit_hit;
}
