;; cli_invoke: exports for `w2n run --invoke` (run_cli_test.sh).
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "mix") (param i64 f32 f64) (result f64 i64 f32)
    local.get 2 local.get 0 local.get 1)
  (func (export "vec") (param v128) (result v128)
    local.get 0 (i32x4.splat (i32.const 1)) i32x4.add)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "nothing"))
  (memory (export "memory") 1)
  (global (export "g") i32 (i32.const 1)))
