;; faults.wat — a module without DWARF whose _start faults on a guard page
;; (or fails the explicit check) two calls deep: debug_test.sh expects the
;; load at Wasm offset 0x3a, its caller's call at 0x42, on every target.
(module (memory 1)
  (func $load (param i32) (result i32) local.get 0 i32.load)
  (func $mid (param i32) (result i32) local.get 0 call $load i32.const 1 i32.add)
  (func (export "_start") i32.const 100000 call $mid drop)
  (func $div (param i32) (result i32) i32.const 1 local.get 0 i32.div_u)
  (func (export "divz") i32.const 0 call $div drop))
