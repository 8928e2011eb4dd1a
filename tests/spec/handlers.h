/*
 * handlers.h — the command handlers that commands.c dispatches to, one per
 * wast2json command type. Commands about whole modules live in
 * cmd_module.c; those that invoke exports or name instances in cmd_exec.c.
 */
#ifndef SPEC_HANDLERS_H
#define SPEC_HANDLERS_H

#include "spec.h"

/* cmd_module.c */
spec_outcome spec_run_module(spec_ctx *ctx, const cJSON *cmd, char *why);
spec_outcome spec_run_assert_malformed(spec_ctx *ctx, const cJSON *cmd,
                                       char *why);
spec_outcome spec_run_assert_invalid(spec_ctx *ctx, const cJSON *cmd,
                                     char *why);
spec_outcome spec_run_assert_unlinkable(spec_ctx *ctx, const cJSON *cmd,
                                        char *why);
spec_outcome spec_run_assert_uninstantiable(spec_ctx *ctx, const cJSON *cmd,
                                            char *why);
/* cmd_module.c: the command's module must be valid and its instantiation
 * fail with `want` (WB_ERR_LINK or WB_ERR_TRAP) and the command's "text".
 * Also serves assert_trap on a module. */
spec_outcome spec_expect_instantiation_failure(spec_ctx *ctx,
                                               const cJSON *cmd,
                                               wb_status want, char *why);

/* cmd_exec.c */
spec_outcome spec_run_assert_return(spec_ctx *ctx, const cJSON *cmd,
                                    char *why);
spec_outcome spec_run_assert_trap(spec_ctx *ctx, const cJSON *cmd, char *why);
spec_outcome spec_run_assert_exhaustion(spec_ctx *ctx, const cJSON *cmd,
                                        char *why);
spec_outcome spec_run_register(spec_ctx *ctx, const cJSON *cmd, char *why);
spec_outcome spec_run_action(spec_ctx *ctx, const cJSON *cmd, char *why);

#endif /* SPEC_HANDLERS_H */
