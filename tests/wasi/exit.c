/*
 * exit.c — ends in the way argv[1] says, with the code argv[2]:
 *   proc_exit CODE   calls proc_exit(CODE) directly (CODE may be > 255)
 *   return CODE      returns CODE from main
 *   exit CODE        prints "bye" (no newline) with stdio, then exit(CODE):
 *                    libc must flush stdout before proc_exit
 * and exports exit_minus_one, which calls proc_exit(-1) (for --invoke).
 */
#include "common.h"

/* For `wasmbox run --invoke exit_minus_one exit.wasm`: proc_exit outside
 * _start. */
__attribute__((export_name("exit_minus_one"))) void exit_minus_one(void);
void exit_minus_one(void)
{
    raw_proc_exit(-1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: exit proc_exit|return|exit CODE\n");
        return 99;
    }
    uint32_t code = (uint32_t)strtoul(argv[2], NULL, 0);
    if (strcmp(argv[1], "proc_exit") == 0)
        raw_proc_exit((int32_t)code);
    if (strcmp(argv[1], "return") == 0)
        return (int)code;
    if (strcmp(argv[1], "exit") == 0) {
        printf("bye");
        exit((int)code);
    }
    fprintf(stderr, "exit: unknown mode %s\n", argv[1]);
    return 99;
}
