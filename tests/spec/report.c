/*
 * report.c — adds up outcomes and prints the summary: one row per file, a
 * totals row, a breakdown by command type, then the two closing lines
 * ("N skipped, N not run" and, last, "N passed, N failed").
 */
#include <stdio.h>

#include "spec.h"

#define ROW "%-40s pass %5u  fail %5u  skip %5u  notrun %5u\n"

unsigned spec_tally_outcome(const spec_tally *t, spec_outcome o)
{
    unsigned sum = 0;
    for (int k = 0; k < SPEC_KINDS; k++)
        sum += t->n[k][o];
    return sum;
}

void spec_tally_add(spec_tally *into, const spec_tally *from)
{
    for (int k = 0; k < SPEC_KINDS; k++)
        for (int o = 0; o < SPEC_OUTCOMES; o++)
            into->n[k][o] += from->n[k][o];
}

void spec_report_header(void)
{
    printf("\nresults per file:\n");
}

void spec_report_row(const char *label, const spec_tally *t)
{
    printf(ROW, label, spec_tally_outcome(t, SPEC_PASS),
           spec_tally_outcome(t, SPEC_FAIL), spec_tally_outcome(t, SPEC_SKIP),
           spec_tally_outcome(t, SPEC_NOTRUN));
}

void spec_report_summary(const spec_tally *total, size_t files)
{
    char label[64];
    snprintf(label, sizeof label, "total (%zu file%s)", files,
             files == 1 ? "" : "s");
    printf("\n");
    spec_report_row(label, total);
    printf("\nby command type:\n");
    for (int k = 0; k < SPEC_KINDS; k++) {
        const unsigned *n = total->n[k];
        bool always =
            k != KIND_UNKNOWN && k != KIND_SCRIPT && k != KIND_SKIPLIST;
        if (!always && !n[SPEC_PASS] && !n[SPEC_FAIL] && !n[SPEC_SKIP] &&
            !n[SPEC_NOTRUN])
            continue;
        snprintf(label, sizeof label, "  %s", spec_kind_name((spec_kind)k));
        printf(ROW, label, n[SPEC_PASS], n[SPEC_FAIL], n[SPEC_SKIP],
               n[SPEC_NOTRUN]);
    }
    printf("\n%u skipped, %u not run\n", spec_tally_outcome(total, SPEC_SKIP),
           spec_tally_outcome(total, SPEC_NOTRUN));
    printf("%u passed, %u failed\n", spec_tally_outcome(total, SPEC_PASS),
           spec_tally_outcome(total, SPEC_FAIL));
}
