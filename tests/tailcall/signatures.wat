;; Tail calls at the edges of what each target returns in registers
;; (compiler/emit/target.c): where the results fit, a musttail call; where they do
;; not, an ordinary call and return, which LLVM must never be asked to make a
;; tail call (it would abort).  Each export counts n down through two
;; functions of different parameters and returns its results at 0.
;;   r7: 3 x i64 + 4 x f64, in registers on x86-64 and AArch64, not RISC-V
;;   r4: 4 x i64, in registers on AArch64 only
;;   r9: 9 x f64, nowhere
;;   v2: 2 x v128 results and a v128 parameter: not on RISC-V (split vectors)
(module
  (func $r7a (export "r7") (param i64) (result i64 i64 i64 f64 f64 f64 f64)
    (if (i64.eqz (local.get 0))
      (then (return (i64.const 1) (i64.const 2) (i64.const 3)
                    (f64.const 4) (f64.const 5) (f64.const 6) (f64.const 7))))
    (return_call $r7b (f64.const 0.5) (i64.sub (local.get 0) (i64.const 1))))
  (func $r7b (param f64 i64) (result i64 i64 i64 f64 f64 f64 f64)
    (return_call $r7a (local.get 1)))

  (func $r4a (export "r4") (param i64) (result i64 i64 i64 i64)
    (if (i64.eqz (local.get 0))
      (then (return (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4))))
    (return_call $r4b (i32.const 7) (i64.sub (local.get 0) (i64.const 1))))
  (func $r4b (param i32 i64) (result i64 i64 i64 i64)
    (return_call $r4a (local.get 1)))

  (func $r9a (export "r9") (param i64) (result f64 f64 f64 f64 f64 f64 f64 f64 f64)
    (if (i64.eqz (local.get 0))
      (then (return (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5)
                    (f64.const 6) (f64.const 7) (f64.const 8) (f64.const 9))))
    (return_call $r9b (i32.const 7) (i64.sub (local.get 0) (i64.const 1))))
  (func $r9b (param i32 i64) (result f64 f64 f64 f64 f64 f64 f64 f64 f64)
    (return_call $r9a (local.get 1)))

  (func $v2a (export "v2") (param i64) (result i32)
    (call $v2b (v128.const i32x4 1 2 3 4) (local.get 0))
    (i32x4.extract_lane 0)
    (drop)
    (i32x4.extract_lane 3))
  (func $v2b (param v128 i64) (result v128 v128)
    (if (i64.eqz (local.get 1))
      (then (return (local.get 0) (local.get 0))))
    (return_call $v2b (local.get 0) (i64.sub (local.get 1) (i64.const 1))))
)
