/*
 * commands.c — the table from wast2json command type to handler and
 * summary kind. Supporting a new command, or running one that is "not run
 * yet", means filling in its handler; this table and the runner loop stay.
 */
#include <string.h>

#include "handlers.h"

static const struct {
    const char *type;
    spec_kind kind;
    spec_handler run;
} commands[] = {
    {"module", KIND_MODULE, spec_run_module},
    {"assert_malformed", KIND_ASSERT_MALFORMED, spec_run_assert_malformed},
    {"assert_invalid", KIND_ASSERT_INVALID, spec_run_assert_invalid},
    {"assert_unlinkable", KIND_ASSERT_UNLINKABLE, spec_run_assert_unlinkable},
    {"assert_uninstantiable", KIND_ASSERT_UNINSTANTIABLE,
     spec_run_assert_uninstantiable},
    {"assert_return", KIND_ASSERT_RETURN, spec_run_assert_return},
    {"assert_trap", KIND_ASSERT_TRAP, spec_run_assert_trap},
    {"assert_exhaustion", KIND_ASSERT_EXHAUSTION, spec_run_assert_exhaustion},
    {"register", KIND_REGISTER, spec_run_register},
    {"action", KIND_ACTION, spec_run_action},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

spec_handler spec_command_lookup(const char *type, spec_kind *kind)
{
    for (size_t i = 0; type && i < N_COMMANDS; i++) {
        if (strcmp(commands[i].type, type) == 0) {
            *kind = commands[i].kind;
            return commands[i].run;
        }
    }
    *kind = KIND_UNKNOWN;
    return NULL;
}

const char *spec_kind_name(spec_kind kind)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (commands[i].kind == kind)
            return commands[i].type;
    if (kind == KIND_SKIPLIST)
        return "(stale skip-list entry)";
    return kind == KIND_SCRIPT ? "(unreadable script)" : "(unknown command)";
}
