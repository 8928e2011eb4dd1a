;; hello.wat — the first example `make run` shows: assembled, validated, and
;; its `add` called with `wasmbox run --invoke add hello.wasm 2 40`.
;;
;; A memory holding a greeting, and a function that adds two numbers. The
;; second example, wordfreq.c, is a whole WASI program.
(module
  ;; One 64 KiB page of linear memory, visible to the host as "memory".
  (memory (export "memory") 1)

  ;; The greeting, placed at address 0 when the module is instantiated.
  (data (i32.const 0) "Hello from wasmbox!\n")

  ;; add(a, b) = a + b, wrapping around on overflow like any i32.
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add))
