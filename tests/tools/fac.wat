;; Exports for `w2n compare --invoke`: results of every value type.
(module
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "fac20") (result i64) (call $fac (i64.const 20)))
  (func (export "mix") (param i32 f64) (result i32 f32 f64)
    (i32.sub (i32.const 0) (local.get 0))
    (f32.const -0.1)
    (f64.div (local.get 1) (f64.const 3))))
