/*
 * main.c — the spec runner's driver: picks the .wast files, converts each
 * with wast2json when needed, runs it (minus the skip list's commands),
 * checks that no skip-list entry went stale, then prints the summary. Exit
 * status 0 when nothing failed, 1 otherwise (or when the suite or wast2json
 * is missing), 2 on bad usage (or an unreadable skip list).
 */
#include <stdio.h>
#include <stdlib.h>

#include "spec.h"

int main(int argc, char **argv)
{
    spec_options opt;
    int r = spec_options_parse(argc, argv, &opt);
    if (r != 0)
        return r == 1 ? 0 : 2;

    size_t n = 0;
    int status = 1;
    char **wasts = spec_suite_list(&opt, &n, &status);
    if (!wasts)
        return status;
    if (!spec_have_wast2json()) {
        fprintf(stderr, "spec-runner: wast2json (from wabt) is not in $PATH; "
                        "it converts the .wast scripts (Debian: apt-get "
                        "install wabt)\n");
        spec_suite_free(wasts, n);
        return 1;
    }
    spec_skiplist skips;
    if (!spec_skiplist_load(&opt, &skips)) {
        spec_suite_free(wasts, n);
        return 2;
    }
    spec_tally *tallies = calloc(n, sizeof *tallies);
    if (!tallies) {
        fprintf(stderr, "spec-runner: out of memory\n");
        spec_skiplist_free(&skips);
        spec_suite_free(wasts, n);
        return 1;
    }

    printf("spec suite: %s (%zu file%s), converted into %s; tier: %s\n", opt.suite, n,
           n == 1 ? "" : "s", opt.out,
           spec_expect_native ? "native code (every module must compile to it)" : "interpreter");
    for (size_t i = 0; i < n; i++) {
        char why[SPEC_WHY_MAX];
        fflush(stdout); /* keep order with wast2json's own messages */
        char *json = spec_convert(opt.suite, opt.out, wasts[i], why);
        if (json) {
            spec_script_run(wasts[i], json, opt.verbose, &skips, &tallies[i]);
            free(json);
        } else {
            spec_script_error(wasts[i], &tallies[i], why);
        }
    }

    spec_tally stale = {0};
    spec_skiplist_check(&skips, wasts, tallies, n, opt.n_names == 0,
                        &stale);

    spec_tally total = {0};
    spec_report_header();
    for (size_t i = 0; i < n; i++) {
        spec_report_row(wasts[i], &tallies[i]);
        spec_tally_add(&total, &tallies[i]);
    }
    if (spec_tally_outcome(&stale, SPEC_FAIL)) {
        spec_report_row(skips.path, &stale);
        spec_tally_add(&total, &stale);
    }
    spec_report_summary(&total, n);

    spec_skiplist_free(&skips);
    free(tallies);
    spec_suite_free(wasts, n);
    return spec_tally_outcome(&total, SPEC_FAIL) ? 1 : 0;
}
