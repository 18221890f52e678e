;; The module of the firmware test: function imports, exports of several
;; types, an exported memory, and an export that traps.
(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "scale" (func $scale (param f64) (result f64)))
  (memory (export "memory") 1)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "report") (param i64 f32) (result i64 f64)
    (call $log (i32.wrap_i64 (local.get 0)))
    (i64.mul (local.get 0) (i64.const 3))
    (call $scale (f64.promote_f32 (local.get 1))))
  (func (export "boom") (result i32) (i32.div_u (i32.const 1) (i32.const 0))))
