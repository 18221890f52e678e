;; A float operation with a constant 0 or +-1 operand that LLVM may fold
;; into its other operand (x / 1 -> x, x * -1 -> -x, x - 0 -> x) selects the
;; canonical NaN when its result is a NaN, since the fold would hand back a
;; signalling NaN unchanged (compiler/lower/lower_numeric.c).  A constant
;; dividend folds into nothing: 1 / y, as in nbody's 1 / (d * sqrt d),
;; keeps the bare division with no NaN test (f0); a divisor of 1 keeps the
;; test (f1), and so does a product with 1 (f2).
;; RUN: -O2 => QUIET
;; RUN: -O0 => QUIET
(module
  (func (export "reciprocal") (param $y f64) (result f64)
    (f64.div (f64.const 1) (local.get $y)))
  (func (export "by_one") (param $x f64) (result f64)
    (f64.div (local.get $x) (f64.const 1)))
  (func (export "times_one") (param $x f32) (result f32)
    (f32.mul (f32.const 1) (local.get $x))))

;; QUIET-LABEL: define internal double @w2n_f0(
;; QUIET-NOT: fcmp uno
;; QUIET: fdiv double 1.000000e+00
;; QUIET-NOT: fcmp uno
;; QUIET: ret double
;; QUIET-LABEL: define internal double @w2n_f1(
;; QUIET: fcmp uno double
;; QUIET-LABEL: define internal float @w2n_f2(
;; QUIET: fcmp uno float
