/*
 * arena.c — chunked bump allocation; see arena.h.
 */
#include "engine/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)
#define ALIGN 16

struct wbArenaChunk {
    wbArenaChunk *next;
    size_t used, cap;
    _Alignas(ALIGN) unsigned char data[];
};

void *wbArenaAlloc(wbArena *a, size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n == 0)
        n = ALIGN;
    wbArenaChunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_SIZE / 2 ? n : CHUNK_SIZE;
        if (cap > SIZE_MAX - sizeof *c)
            return NULL;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        if (n > CHUNK_SIZE / 2 && a->head) {
            /* a big block gets a chunk of its own, behind the current one */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

void *wbArenaArray(wbArena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return wbArenaAlloc(a, n * size);
}

void wbArenaFree(wbArena *a)
{
    wbArenaChunk *c = a->head;
    while (c) {
        wbArenaChunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}
