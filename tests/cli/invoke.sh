#!/usr/bin/env bash
# invoke.sh — tests of `wasmbox run --invoke NAME MODULE [ARGS...]`: argument
# parsing by parameter type, result printing, traps with exit status 134 and
# a backtrace, usage errors with status 2, and guest recursion ending in
# "call stack exhausted" at the same depth in every build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source tests/cli/lib.bash

# The interpreter (--interpreter) and native code (the default on x86-64)
# must tell the same story: results, trap text, backtrace, exit status.
both() {
    local native interp
    native=$({ "$WASMBOX" run "$@" 2>&1; echo "status $?"; } || true)
    interp=$({ "$WASMBOX" run --interpreter "$@" 2>&1; echo "status $?"; } || true)
    if [[ $native == "$interp" ]]; then return 0; fi
    printf 'native:\n%s\ninterpreter:\n%s\n' "$native" "$interp" >&2
    return 1
}

wat calc --debug-names <<'WAT'
(module
  (memory 1)
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "half") (param f32) (result f32) (f32.div (local.get 0) (f32.const 2)))
  (func (export "third") (param f64) (result f64) (f64.div (local.get 0) (f64.const 3)))
  (func (export "pair") (result i32 i64) (i32.const -1) (i64.const 4294967296))
  (func (export "none"))
  (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $deep (param i32) (result i32) (call $div (local.get 0) (i32.const 0)))
  (func (export "outer") (param i32) (result i32) (call $deep (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $rec (export "rec") (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func (export "boom") unreachable)
)
WAT

run run --invoke add "$tmp/calc.wasm" 2 3
check "i32 arguments and result" stdout_has '^5$'
run run --invoke add "$tmp/calc.wasm" 2 -5
check "a negative argument after MODULE is an argument, not a flag" stdout_has '^-3$'
run run --invoke add "$tmp/calc.wasm" 0x10 0xffffffff
check "hex arguments; i32 results print signed" stdout_has '^15$'
run run --invoke add64 "$tmp/calc.wasm" 9223372036854775807 1
check "i64 wraps and prints signed" stdout_has '^-9223372036854775808$'
run run --invoke half "$tmp/calc.wasm" 3
check "f32 result" stdout_has '^1.5$'
run run --invoke half "$tmp/calc.wasm" inf
check "f32 inf" stdout_has '^inf$'
run run --invoke half "$tmp/calc.wasm" nan
check "f32 nan prints as nan" stdout_has '^nan$'
run run --invoke third "$tmp/calc.wasm" 1
check "f64 result reads back to the same bits" stdout_has '^0.33333333333333331$'
run run --invoke third "$tmp/calc.wasm" 0x1.8p1
check "hex float argument" stdout_has '^1$'
run run --invoke pair "$tmp/calc.wasm"
check "several results, one per line" bash -c "[[ \$(cat '$tmp/out') == \$'-1\n4294967296' ]]"
run run --invoke none "$tmp/calc.wasm"
check "no results: prints nothing, exits 0" bash -c "[[ $rc -eq 0 && ! -s '$tmp/out' ]]"

run run --invoke nosuch "$tmp/calc.wasm"
check "unknown export exits 2" status_is 2
check "unknown export is named" stderr_has "nosuch"
run run --invoke add "$tmp/calc.wasm" 1
check "wrong arity exits 2" status_is 2
check "wrong arity is explained" stderr_has "takes 2 arguments, 1 given"
run run --invoke add "$tmp/calc.wasm" 1 x
check "unparsable argument exits 2" status_is 2
check "unparsable argument is named" stderr_has "'x' is not a valid i32"
run run --invoke add "$tmp/calc.wasm" 1 4294967296
check "i32 out of range exits 2" status_is 2
run run --invoke add "$tmp/nosuch.wasm" 1 2
check "missing module exits 2" status_is 2

run run --invoke outer "$tmp/calc.wasm" 7
check "a trap exits 134" status_is 134
check "the trap is named in the spec's words" stderr_has "integer divide by zero"
check "the backtrace names the functions, innermost first" stderr_has 'div@0x[0-9a-f]+ <- deep@0x[0-9a-f]+ <- outer@0x[0-9a-f]+'
run run --invoke load "$tmp/calc.wasm" 65535
check "out of bounds load traps" stderr_has "out of bounds memory access"
run run --invoke boom "$tmp/calc.wasm"
check "unreachable traps" stderr_has "unreachable"

# The fused memory instructions keep wasm's semantics: a constant address
# plus offset past 4 GiB traps, an i32.add address wraps at 2^32 before the
# offset is added, a constant stored value is cut to the store's width.
wat mem <<'WAT'
(module
  (memory 1)
  (data (i32.const 0) "\2a\00\00\00")
  (func (export "far") (result i32) (i32.load offset=4294967295 (i32.const 1)))
  (func (export "last") (result i32) (i32.load (i32.const 65532)))
  (func (export "past") (result i32) (i32.load (i32.const 65533)))
  (func (export "wrap") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const 4))))
  (func (export "wrap2") (param i32 i32) (result i32) (i32.load (i32.add (local.get 0) (local.get 1))))
  ;; a stack slot that held an i64 is reused for an i32 (its upper half
  ;; left stale), copied whole by select, then used as an address: native
  ;; code must use only its low 32 bits
  (func (export "stale") (param i64 i32 i32) (result i32)
    (drop (i64.add (local.get 0) (local.get 0)))
    (i32.load (select (i32.add (local.get 1) (i32.const 0)) (local.get 1) (i32.eqz (local.get 2)))))
  (func (export "narrow") (param i32) (result i32)
    (i64.store8 (local.get 0) (i64.const 0x1ff))
    (i32.load8_u (local.get 0)))
  (func (export "abs") (result i64)
    (i64.store (i32.const 8) (i64.const -2))
    (i64.load (i32.const 8)))
)
WAT
run run --invoke far "$tmp/mem.wasm"
check "a constant address plus offset past 4 GiB traps" stderr_has "out of bounds memory access"
run run --invoke last "$tmp/mem.wasm"
check "a constant address at the very end is in bounds" bash -c "[[ $rc -eq 0 ]]"
run run --invoke past "$tmp/mem.wasm"
check "one byte further traps" stderr_has "out of bounds memory access"
run run --invoke wrap "$tmp/mem.wasm" 0xfffffffc
check "an i32.add address wraps at 2^32 (reads address 0)" stdout_has '^42$'
run run --invoke wrap2 "$tmp/mem.wasm" 0xfffffff0 16
check "a slot+slot address wraps too" stdout_has '^42$'
run run --invoke stale "$tmp/mem.wasm" 0x100000000 0 0
check "an address is the low 32 bits of its slot, whatever the slot held before" stdout_has '^42$'
check "tiers agree: an address in a reused slot" both --invoke stale "$tmp/mem.wasm" 0x100000000 0 0
run run --invoke narrow "$tmp/mem.wasm" 100
check "a constant stored with i64.store8 keeps its low byte" stdout_has '^255$'
run run --invoke abs "$tmp/mem.wasm"
check "64-bit constant store and load at a constant address" stdout_has '^-2$'

# Guest frames live on wasmbox's own stack: the depth at which recursion
# stops is a property of the limits, not of the build or the C stack.
depth() { { "$1" run --invoke rec "$tmp/calc.wasm" 0 2>&1 || true; } | grep -Eo "x[0-9]+" | head -n 1; }
asan_depth=$(depth "$WASMBOX")
run run --invoke rec "$tmp/calc.wasm" 0
check "unbounded recursion ends in call stack exhausted" stderr_has "call stack exhausted"
check "the recursion is folded in the backtrace" stderr_has 'rec@0x[0-9a-f]+ x[0-9]+'
if [[ -x build/wasmbox ]]; then
    release_depth=$(depth build/wasmbox)
    check "the same depth in the sanitized and the optimised build ($asan_depth)" \
        test "$asan_depth" = "$release_depth"
fi

# Two NaN operands: both tiers return the first one's payload (quieted).
wat nan <<'WAT'
(module
  (func (export "add32") (param i32 i32) (result i32)
    (i32.reinterpret_f32 (f32.add (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
  (func (export "mul64") (param i64 i64) (result i64)
    (i64.reinterpret_f64 (f64.mul (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1))))))
WAT
run run --invoke add32 "$tmp/nan.wasm" 0x7f800001 0x7f800002
check "f32.add of two NaNs gives the first one's payload, quieted" stdout_has '^2143289345$'
check "tiers agree: f32.add of two NaNs" both --invoke add32 "$tmp/nan.wasm" 0x7f800001 0x7f800002
check "tiers agree: f64.mul of two NaNs" both --invoke mul64 "$tmp/nan.wasm" 0x7ff0000000000001 0x7ff0000000000002

# Many functions and globals: their indexes reach the displacements of
# native code (every bit of an index matters).
{
    echo '(module'
    for i in $(seq 0 299); do
        echo "  (global \$g$i (mut i32) (i32.const $((i * 3))))"
    done
    for i in $(seq 0 299); do
        echo "  (func \$f$i (param i32) (result i32)"
        echo "    (if (i32.eqz (local.get 0)) (then unreachable))"
        echo "    (global.set \$g$i (i32.add (global.get \$g$i) (local.get 0)))"
        echo "    (global.get \$g$i))"
    done
    echo '  (func (export "sum") (param i32) (result i32) (local $s i32)'
    for i in 1 63 64 65 100 127 128 200 255 256 299; do
        echo "    (local.set \$s (i32.add (local.get \$s) (call \$f$i (local.get 0))))"
    done
    echo '    (local.get $s))'
    echo '  (func (export "trap") (result i32) (call $f200 (i32.const 0))))'
} | wat many --debug-names
run run --invoke sum "$tmp/many.wasm" 1
check "calls and globals by index past 64 (native displacements)" stdout_has '^4685$'
check "tiers agree: calls and globals by index past 64" both --invoke sum "$tmp/many.wasm" 1
check "tiers agree: a backtrace through function 200" both --invoke trap "$tmp/many.wasm"
check "tiers agree: a trap two calls deep, backtrace included" both --invoke outer "$tmp/calc.wasm" 7
check "tiers agree: an out-of-bounds load" both --invoke load "$tmp/calc.wasm" 65533
check "tiers agree: unbounded recursion" both --invoke rec "$tmp/calc.wasm" 0
check "tiers agree: fuel running out in the recursion" both --fuel 5000 --invoke rec "$tmp/calc.wasm" 0
check "tiers agree: multiple results" both --invoke pair "$tmp/calc.wasm"
check "tiers agree: f64 division" both --invoke third "$tmp/calc.wasm" 1

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
