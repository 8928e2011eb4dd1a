/*
 * test_vmem.c — the platform layer's address-space recycling: a region
 * given back with wbVmemRecycle and handed out again reads as zero, whether
 * its pages in RAM were zeroed in place or given back (more than 8 MiB of
 * them), whatever pattern of pages the last user touched, and whatever part
 * of it the next user asks to have committed; several regions at once (the
 * shelf of spares, and past it).
 */
#include <stdint.h>
#include <string.h>

#include "platform/vmem.h"
#include "unit.h"

#define REGION ((size_t)64 << 20)

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Dirties `used` bytes, recycles, reserves again committing `again`. */
static void round_trip(size_t used, size_t again)
{
    uint8_t *p = wbVmemReserveCommit(REGION, used);
    if (!CHECK(p))
        return;
    memset(p, 0xab, used);
    wbVmemRecycle(p, REGION, used);
    uint8_t *q = wbVmemReserveCommit(REGION, again);
    if (!CHECK(q))
        return;
    CHECKF(all_zero(q, again), "used %zu, again %zu", used, again);
    /* growing later commits zeroed pages too */
    if (CHECK(wbVmemCommit(q, used > again ? used : again)))
        CHECK(all_zero(q, used > again ? used : again));
    wbVmemRelease(q, REGION);
}

TEST(vmem_recycle_small_is_zeroed)
{
    round_trip(64 * 1024, 64 * 1024);
}

TEST(vmem_recycle_large_is_zeroed)
{
    round_trip(4 << 20, 4 << 20);
}

TEST(vmem_recycle_over_the_in_place_limit_is_decommitted)
{
    round_trip(16 << 20, 16 << 20);
}

/* Pages written here and there, some only read, most never touched: runs of
 * pages in RAM and not, each side of the wipe. */
TEST(vmem_recycle_sparse_pages)
{
    size_t used = 2 << 20, page = wbVmemPageSize();
    uint8_t *p = wbVmemReserveCommit(REGION, used);
    if (!CHECK(p))
        return;
    volatile uint8_t sink = 0;
    for (size_t at = 0; at < used; at += 7 * page) {
        p[at + 5] = 0xcd;                  /* written */
        if (at + 3 * page < used)
            sink += p[at + 3 * page];      /* read only: the zero page */
    }
    p[used - 1] = 0xef;                    /* the last byte */
    (void)sink;
    wbVmemRecycle(p, REGION, used);
    uint8_t *q = wbVmemReserveCommit(REGION, used);
    if (!CHECK(q))
        return;
    CHECK(all_zero(q, used));
    wbVmemRelease(q, REGION);
}

/* More regions at once than the shelf keeps: every one comes back zero. */
TEST(vmem_recycle_many_at_once)
{
    enum { N = 20 };
    uint8_t *r[N];
    for (int i = 0; i < N; i++) {
        r[i] = wbVmemReserveCommit(REGION, 65536);
        if (!CHECK(r[i]))
            return;
        memset(r[i], 0x5a, 65536);
    }
    for (int i = 0; i < N; i++)
        wbVmemRecycle(r[i], REGION, 65536);
    for (int i = 0; i < N; i++) {
        r[i] = wbVmemReserveCommit(REGION, 65536);
        if (CHECK(r[i]))
            CHECK(all_zero(r[i], 65536));
    }
    for (int i = 0; i < N; i++)
        wbVmemRelease(r[i], REGION);
}

TEST(vmem_recycle_then_commit_less_or_more)
{
    round_trip(128 * 1024, 64 * 1024);
    round_trip(64 * 1024, 512 * 1024);
}

TEST(vmem_recycle_other_size_is_kept_apart)
{
    uint8_t *a = wbVmemReserveCommit(REGION, 4096);
    if (!CHECK(a))
        return;
    a[0] = 1;
    wbVmemRecycle(a, REGION, 4096);
    uint8_t *b = wbVmemReserveCommit(REGION / 2, 4096); /* another size */
    if (CHECK(b)) {
        CHECK_EQ(b[0], 0);
        wbVmemRelease(b, REGION / 2);
    }
    uint8_t *c = wbVmemReserveCommit(REGION, 4096);
    if (CHECK(c)) {
        CHECK_EQ(c[0], 0);
        wbVmemRelease(c, REGION);
    }
}
