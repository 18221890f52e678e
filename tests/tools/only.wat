;; One export without parameters, so that wabt's interpreter can run it too.
(module
  (func (export "answer") (result i32 f32) (i32.const -42) (f32.const 1.5)))
