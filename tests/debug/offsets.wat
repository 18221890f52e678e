;; offsets.wat — a module without DWARF: with -g its line table holds Wasm
;; code offsets (debug_test.sh expects the i32.div_s at 0x29).
(module
  (func $inner (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.div_s)
  (func $outer (export "outer") (param i32) (result i32)
    local.get 0
    call $inner
    i32.const 1
    i32.add))
