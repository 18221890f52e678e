;; LLVM folds x / 1 -> x, x * -1 -> -x, x - 0 -> x and the like without
;; fast-math flags, handing back a signalling NaN x unchanged where Wasm wants
;; a quiet NaN; it does so also when the constant only shows up in
;; optimisation (a local, an inlined argument, a phi).  w2n pushes every float
;; identity constant but +0 (-0, +-1) behind llvm.arithmetic.fence, which no
;; fold looks through and which costs no instruction (lower_core.c), so the op
;; stays and quiets; +0 is fenced where an op that could fold sees it (f3),
;; and stays bare in a local that starts an accumulator (f5).  Where no fold is possible the op takes the
;; bare constant: 1 / y, as in nbody's 1 / (d * sqrt d) (f0), and a
;; comparison with 0 (f4).  No op needs a NaN test of its result.
;; RUN: -O2 => QUIET
;; RUN: -O0 => QUIET
(module
  (func (export "reciprocal") (param $y f64) (result f64)
    (f64.div (f64.const 1) (local.get $y)))
  (func (export "by_one") (param $x f64) (result f64)
    (f64.div (local.get $x) (f64.const 1)))
  (func (export "times_one") (param $x f32) (result f32)
    (f32.mul (f32.const 1) (local.get $x)))
  (func (export "minus_zero") (param $x f32) (result f32)
    (f32.sub (local.get $x) (f32.const 0)))
  (func (export "below_zero") (param $x f64) (result i32)
    (f64.lt (local.get $x) (f64.const 0)))
  (func (export "accumulator") (param $x f64) (result f64)
    (local $s f64)
    (local.set $s (f64.const 0))
    (f64.add (local.get $s) (local.get $x))))

;; QUIET-LABEL: define internal double @w2n_f0(
;; QUIET-NOT: arithmetic.fence
;; QUIET-NOT: fcmp uno
;; QUIET: fdiv double 1.000000e+00
;; QUIET-NOT: fcmp uno
;; QUIET: ret double
;; QUIET-LABEL: define internal double @w2n_f1(
;; QUIET: [[ONE:%.*]] = {{.*}}call double @llvm.arithmetic.fence.f64(double 1.000000e+00)
;; QUIET: fdiv double %{{.*}}, [[ONE]]
;; QUIET-NOT: fcmp uno
;; QUIET: ret double
;; QUIET-LABEL: define internal float @w2n_f2(
;; QUIET: [[ONE:%.*]] = {{.*}}call float @llvm.arithmetic.fence.f32(float 1.000000e+00)
;; QUIET: fmul float [[ONE]]
;; QUIET-LABEL: define internal float @w2n_f3(
;; QUIET: call float @llvm.arithmetic.fence.f32(float 0.000000e+00)
;; QUIET: fsub float
;; QUIET-LABEL: define internal {{.*}}@w2n_f4(
;; QUIET-NOT: arithmetic.fence
;; QUIET: fcmp olt double %{{.*}}, 0.000000e+00
;; QUIET-LABEL: define internal double @w2n_f5(
;; QUIET-NOT: arithmetic.fence
;; QUIET: ret double
