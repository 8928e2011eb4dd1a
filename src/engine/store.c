/*
 * store.c — the store: its limits, the list of every object created in it
 * (freed together by wb_store_delete), and the interpreter's per-store
 * stacks, allocated on first use.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"
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
    wbThread *t = &store->thread;
    if (store->stack_reserved)
        wbVmemRelease(t->stack, store->stack_reserved);
    else
        free(t->stack);
    free(t->frames);
    free(store);
}

wbThread *wbStoreThread(wb_store *store)
{
    if (!store)
        return NULL;
    wbThread *t = &store->thread;
    if (t->stack && t->frames)
        return t;
    size_t nslots = store->limits.max_stack_bytes / sizeof(wbSlot);
    if (!t->stack) {
        size_t bytes = (nslots ? nslots : 1) * sizeof(wbSlot);
        /* reserved and committed at once: pages never touched stay free */
        void *p = wbVmemReserve(bytes);
        if (p && wbVmemCommit(p, bytes)) {
            store->stack_reserved = bytes;
        } else {
            wbVmemRelease(p, bytes);
            p = calloc(nslots ? nslots : 1, sizeof(wbSlot));
            if (!p)
                return NULL;
        }
        t->stack = p;
        t->stack_end = t->stack + nslots;
    }
    if (!t->frames) {
        uint32_t n = store->limits.max_call_depth;
        t->frames = calloc(n ? n : 1, sizeof(wbFrame));
        if (!t->frames)
            return NULL;
        t->nframes = 0;
        t->max_frames = n;
    }
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
