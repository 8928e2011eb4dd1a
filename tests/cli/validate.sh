#!/usr/bin/env bash
# validate.sh — tests of the command line: `wasmbox validate`, --help,
# --version, and the exit codes for bad usage.
#
#   wasmbox validate FILE...   0 and silent when all are valid; 1 with
#                              "FILE: 0xOFFSET: message" on stderr for an
#                              invalid or malformed one; 2 when a file
#                              cannot be read
#   unknown command or flag    2
#
# The binary is $WASMBOX (default build/asan/wasmbox). Test modules are made
# on the fly: wat2wasm for well-formed ones, printf for malformed bytes.
# Prints "ok - ..." or "not ok - ..." per case, then "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

source tests/cli/lib.bash

wat empty <<<'(module)'
wat add <<'WAT'
(module
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add))
WAT
# well-formed but invalid: the body leaves nothing for the i32 result
wat mismatch --no-check <<<'(module (func (result i32)))'
# well-formed but invalid: local.get of a local that does not exist
wat nolocal --no-check <<<'(module (func (drop (local.get 3))))'

printf '\0asX\1\0\0\0' >"$tmp/badmagic.wasm"
printf '\0asm\2\0\0\0' >"$tmp/badversion.wasm"
printf '\0as' >"$tmp/truncated.wasm"
printf '\0asm\1\0\0\0\15\0' >"$tmp/badsection.wasm"  # section id 13
printf '\0asm\1\0\0\0\1\5\1\140\0' >"$tmp/shortsection.wasm" # type section cut short
: >"$tmp/zero.wasm"

# ---------------------------------------------------------------- valid
run validate "$tmp/add.wasm"
check "validate: a valid module exits 0" status_is 0
check "validate: a valid module prints nothing" silent

run validate "$tmp/empty.wasm" "$tmp/add.wasm"
check "validate: several valid modules exit 0, silent" eval 'status_is 0 && silent'

# ---------------------------------------------------------------- invalid
# expect_error NAME MESSAGE — validate one module that must fail with
# "FILE: 0xOFFSET: MESSAGE" (MESSAGE a regex) on stderr, exit 1.
expect_error() {
    local file=$tmp/$1.wasm message=$2
    run validate "$file"
    check "validate $1: exits 1" status_is 1
    check "validate $1: stderr says '$message' at an offset" \
        stderr_has "^${file//./\\.}: 0x[0-9a-fA-F]+: $message"
    check "validate $1: nothing on stdout" no_stdout
}
expect_error mismatch 'type mismatch'
expect_error nolocal 'unknown local'
expect_error badmagic 'magic header not detected'
expect_error badversion 'unknown binary version'
expect_error truncated 'unexpected end'
expect_error zero 'unexpected end'
expect_error badsection 'malformed section id'
expect_error shortsection 'unexpected end|length out of bounds'

run validate "$tmp/add.wasm" "$tmp/mismatch.wasm" "$tmp/empty.wasm" "$tmp/badmagic.wasm"
check "validate: valid and invalid together exit 1" status_is 1
check "validate: only the bad files are reported, one line each" \
    eval 'stderr_lines 2 && stderr_has mismatch && stderr_has badmagic && ! stderr_has "add\.wasm|empty\.wasm"'

# ---------------------------------------------------------------- unreadable
run validate "$tmp/no-such-file.wasm"
check "validate: a missing file exits 2" status_is 2
check "validate: a missing file is named on stderr" stderr_has 'no-such-file\.wasm'
check "validate: nothing on stdout for a missing file" no_stdout

mkdir "$tmp/adir.wasm"
run validate "$tmp/adir.wasm"
check "validate: a directory (unreadable as a file) exits 2" status_is 2
check "validate: the directory is named on stderr" stderr_has 'adir\.wasm'

run validate "$tmp/add.wasm" "$tmp/no-such-file.wasm"
check "validate: a missing file among valid ones exits 2" status_is 2

# ---------------------------------------------------------------- help, version
run --help
check "--help exits 0" status_is 0
check "--help prints usage naming the validate command" stdout_has 'validate'

run validate --help
check "validate --help exits 0" status_is 0
check "validate --help prints its usage" stdout_has '[Uu]sage|validate'

run --version
check "--version exits 0" status_is 0
check "--version prints the version" stdout_has '[0-9]+\.[0-9]+\.[0-9]+'

# ---------------------------------------------------------------- bad usage
run frobnicate
check "an unknown command exits 2" status_is 2
check "an unknown command is named on stderr" stderr_has frobnicate

run --frobnicate
check "an unknown flag exits 2" status_is 2
check "an unknown flag is named on stderr" stderr_has frobnicate

run validate --frobnicate "$tmp/add.wasm"
check "an unknown validate flag exits 2" status_is 2

run validate
check "validate with no file exits 2" status_is 2

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
