/*
 * fuzz_module.c — libFuzzer target for decode + validate: every input goes
 * to wb_module_new, and a module that comes back is deleted. A crash, a
 * sanitizer report or a leak is a bug; a rejected input is not.
 * Built by `make fuzz` (clang -fsanitize=fuzzer) and, with replay_main.c,
 * into build/asan/fuzz-replay for `make test`.
 */
#include <stddef.h>
#include <stdint.h>

#include "wasmbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_module *module = NULL;
    wb_error err;
    if (wb_module_new(data, size, &module, &err) == WB_OK)
        wb_module_delete(module);
    return 0;
}
