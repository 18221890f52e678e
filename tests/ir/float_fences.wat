;; An identity that reaches an op only through optimisation is fenced at the
;; op when the other operand may be a signalling NaN (compiler/emit/
;; float_fences.c): +0 through a local (f0) and a local never written beside
;; fabs (f3), which LLVM knows is not -0, so x + 0 would fold.  Not where the
;; other operand is the result of an op that quiets (an accumulator of
;; products of loads, f1), nor +0 beside a value that may be -0, where
;; x + 0 cannot fold (f2).  (An argument counts as a possible constant, for
;; inlining: a product of two arguments fences both.)
;; RUN: -O2 => FENCE
(module
  (memory 1)
  (func (export "minus_local_zero") (param $x f32) (result f32) (local $z f32)
    (local.set $z (f32.const 0)) (f32.sub (local.get $x) (local.get $z)))
  (func (export "dot") (param $i i32) (result f64) (local $s f64)
    (local.set $s (f64.const 0))
    (f64.add (local.get $s) (f64.mul (f64.load (local.get $i)) (f64.load offset=8 (local.get $i)))))
  (func (export "sum") (param $x f64) (result f64) (local $s f64)
    (f64.add (local.get $s) (local.get $x)))
  (func (export "abs_sum") (param $x f64) (result f64) (local $s f64)
    (f64.add (local.get $s) (f64.abs (local.get $x)))))

;; FENCE-LABEL: define internal float @w2n_f0(
;; FENCE: [[Z:%.*]] = {{.*}}call float @llvm.arithmetic.fence.f32(float 0.000000e+00)
;; FENCE: fsub float %{{.*}}, [[Z]]
;; FENCE-LABEL: define internal double @w2n_f1(
;; FENCE-NOT: arithmetic.fence
;; FENCE: ret double
;; FENCE-LABEL: define internal double @w2n_f2(
;; FENCE-NOT: arithmetic.fence
;; FENCE: ret double
;; FENCE-LABEL: define internal double @w2n_f3(
;; FENCE: [[Z:%.*]] = {{.*}}call double @llvm.arithmetic.fence.f64(double 0.000000e+00)
;; FENCE: fadd double [[Z]]
