/*
 * skiplist.c — the explicit list of commands not to run (tests/spec/
 * skip.list, or --skip-list FILE). One entry a line:
 *
 *   FILE.wast:LINE  reason
 *
 * Blank lines and lines starting with '#' are ignored. A command the list
 * names counts as skipped, with the reason. An entry that matches no
 * command of a script that ran (or names a script not in the suite, when
 * the whole suite ran) is stale, and counts as a failure: the list must
 * not outlive what it excuses. (A script that could not be read at all has
 * failed already; its entries are not checked.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

void spec_skiplist_free(spec_skiplist *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->entries[i].wast);
        free(list->entries[i].reason);
    }
    free(list->entries);
    list->entries = NULL;
    list->n = 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Parses one line; false if it is malformed. */
static bool parse_entry(char *s, int list_line, spec_skip *e)
{
    while (is_space(*s))
        s++;
    size_t len = strcspn(s, " \t\r");
    char *rest = s + len;
    char *colon = NULL;
    for (char *p = s; p < rest; p++)
        if (*p == ':')
            colon = p;
    if (!colon || colon == s || colon + 1 == rest)
        return false;
    size_t name_len = (size_t)(colon - s);
    if (name_len <= 5 || strncmp(colon - 5, ".wast", 5) != 0)
        return false;
    char *end;
    errno = 0;
    long line = strtol(colon + 1, &end, 10);
    if (errno != 0 || end != rest || line <= 0 || line > 1000000000)
        return false;
    while (is_space(*rest))
        rest++;
    size_t rlen = strlen(rest);
    while (rlen > 0 && is_space(rest[rlen - 1]))
        rlen--;
    if (rlen == 0)
        return false; /* every skip needs its reason */
    e->wast = strndup(s, name_len);
    e->reason = strndup(rest, rlen);
    e->line = (int)line;
    e->list_line = list_line;
    e->hits = 0;
    return e->wast && e->reason;
}

bool spec_skiplist_load(const spec_options *opt, spec_skiplist *list)
{
    list->path = opt->skip_list;
    list->entries = NULL;
    list->n = 0;
    unsigned char *text = NULL;
    size_t size = 0;
    if (!spec_read_file(opt->skip_list, &text, &size)) {
        if (errno == ENOENT && !opt->skip_list_given)
            return true; /* no list: nothing skipped */
        fprintf(stderr, "spec-runner: cannot read the skip list %s: %s\n",
                opt->skip_list, strerror(errno));
        return false;
    }
    bool ok = true;
    int lineno = 0;
    char *line = (char *)text;
    while (ok && line && line < (char *)text + size) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *s = line;
        while (is_space(*s))
            s++;
        if (*s != '\0' && *s != '#') {
            spec_skip *bigger =
                realloc(list->entries, (list->n + 1) * sizeof *bigger);
            if (!bigger) {
                fprintf(stderr, "spec-runner: out of memory\n");
                ok = false;
                break;
            }
            list->entries = bigger;
            spec_skip *e = &list->entries[list->n];
            memset(e, 0, sizeof *e);
            list->n++;
            if (!parse_entry(s, lineno, e)) {
                fprintf(stderr,
                        "spec-runner: %s:%d: expected `FILE.wast:LINE  "
                        "reason`\n",
                        opt->skip_list, lineno);
                ok = false;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    if (!ok)
        spec_skiplist_free(list);
    return ok;
}

const spec_skip *spec_skiplist_match(spec_skiplist *list, const char *wast,
                                     int line)
{
    if (!list)
        return NULL;
    for (size_t i = 0; i < list->n; i++) {
        spec_skip *e = &list->entries[i];
        if (e->line == line && strcmp(e->wast, wast) == 0) {
            e->hits++;
            return e;
        }
    }
    return NULL;
}

void spec_skiplist_check(const spec_skiplist *list, char **wasts,
                         const spec_tally *tallies, size_t n, bool all,
                         spec_tally *tally)
{
    for (size_t i = 0; i < list->n; i++) {
        const spec_skip *e = &list->entries[i];
        if (e->hits)
            continue;
        bool ran = false, listed = false;
        for (size_t j = 0; j < n && !listed; j++) {
            listed = strcmp(wasts[j], e->wast) == 0;
            ran = listed && tallies[j].n[KIND_SCRIPT][SPEC_FAIL] == 0;
        }
        if (listed && !ran)
            continue; /* the script failed as a whole: counted already */
        if (!listed && !all)
            continue; /* that script was not selected */
        printf("%s:%d: stale skip-list entry: %s:%d %s\n", list->path,
               e->list_line, e->wast, e->line,
               ran ? "matches no command" : "names no script of the suite");
        tally->n[KIND_SKIPLIST][SPEC_FAIL]++;
    }
}
