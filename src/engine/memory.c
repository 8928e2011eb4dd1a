/*
 * memory.c — linear memories. Each one reserves address space for its
 * effective maximum (declared max or 4 GiB, capped by the store's limit) and
 * commits pages as it grows, so its bytes never move; when the host cannot
 * reserve (small address space), the bytes live in a malloc'd buffer grown
 * by realloc instead. New pages always read as zero.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"
#include "platform/vmem.h"

#define PAGE_BYTES ((uint64_t)65536)

static uint64_t round_up(uint64_t n, uint64_t unit)
{
    return (n + unit - 1) / unit * unit;
}

static void memory_fini(void *ptr)
{
    wb_memory *mem = ptr;
    if (mem->reserved) /* the next memory of this size may reuse it */
        wbVmemRecycle(mem->data, (size_t)mem->reserved, (size_t)mem->size);
    else
        free(mem->data);
}

wb_status wbMemoryNew(wb_store *store, const wbLimits *limits, wb_memory **out)
{
    *out = NULL;
    if (!store || !limits || limits->min > WB_MAX_PAGES ||
        (limits->has_max && (limits->max > WB_MAX_PAGES || limits->min > limits->max)))
        return WB_ERR_ARG;
    uint32_t max = limits->has_max ? limits->max : WB_MAX_PAGES;
    if (max > store->limits.max_memory_pages)
        max = store->limits.max_memory_pages;
    if (limits->min > max) {
        store->memory_limit_hit = true;
        return WB_ERR_LIMIT;
    }

    uint64_t size = (uint64_t)limits->min * PAGE_BYTES;
    uint64_t ps = wbVmemPageSize();
    /* at least one page, so that data is never NULL */
    uint64_t reserve = round_up((uint64_t)max * PAGE_BYTES, ps);
    if (reserve == 0)
        reserve = ps;
    uint8_t *data = NULL;
    if (reserve <= SIZE_MAX) {
        data = wbVmemReserveCommit((size_t)reserve, (size_t)size);
    }
    if (!data) {
        reserve = 0;
        if (size > SIZE_MAX)
            return WB_ERR_NOMEM;
        data = calloc(size ? (size_t)size : 1, 1);
        if (!data)
            return WB_ERR_NOMEM;
    }
    wb_memory *mem = wbStoreAlloc(store, sizeof *mem, memory_fini);
    if (!mem) {
        if (reserve)
            wbVmemRelease(data, (size_t)reserve);
        else
            free(data);
        return WB_ERR_NOMEM;
    }
    mem->store = store;
    mem->data = data;
    mem->size = size;
    mem->pages = limits->min;
    mem->max_pages = max;
    mem->declared_max = limits->has_max;
    mem->declared_max_pages = limits->has_max ? limits->max : 0;
    mem->reserved = reserve;
    *out = mem;
    return WB_OK;
}

wb_memory *wb_memory_new(wb_store *store, uint32_t min_pages, uint32_t max_pages, int has_max)
{
    wbLimits limits = {.min = min_pages, .max = max_pages, .has_max = has_max != 0};
    wb_memory *mem;
    return wbMemoryNew(store, &limits, &mem) == WB_OK ? mem : NULL;
}

int64_t wbMemoryGrow(wb_memory *mem, uint32_t delta_pages)
{
    if (!mem)
        return -1;
    uint64_t old_pages = mem->pages;
    uint64_t new_pages = old_pages + delta_pages;
    if (new_pages > mem->max_pages) {
        /* the store's cap, not the module's own maximum, said no */
        uint32_t own_max = mem->declared_max ? mem->declared_max_pages : WB_MAX_PAGES;
        if (mem->store && new_pages <= own_max)
            mem->store->memory_limit_hit = true;
        return -1;
    }
    if (delta_pages == 0)
        return (int64_t)old_pages;
    uint64_t new_size = new_pages * PAGE_BYTES;
    if (mem->reserved) {
        uint64_t ps = wbVmemPageSize();
        uint64_t from = round_up(mem->size, ps), to = round_up(new_size, ps);
        if (to > mem->reserved)
            return -1;
        if (to > from && !wbVmemCommit(mem->data + from, (size_t)(to - from)))
            return -1;
        /* never committed before: the OS hands the pages out zeroed */
    } else {
        if (new_size > SIZE_MAX)
            return -1;
        uint8_t *p = realloc(mem->data, (size_t)new_size);
        if (!p)
            return -1;
        memset(p + mem->size, 0, (size_t)(new_size - mem->size));
        mem->data = p;
    }
    mem->pages = (uint32_t)new_pages;
    mem->size = new_size;
    return (int64_t)old_pages;
}

uint8_t *wb_memory_data(wb_memory *memory)
{
    return memory ? memory->data : NULL;
}

uint64_t wb_memory_size(const wb_memory *memory)
{
    return memory ? memory->size : 0;
}
