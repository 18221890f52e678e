;; Vector loads of linear memory outside loops split into their elements
;; (compiler/emit/split_vector_loads.c, explicit mode, after LLVM's passes):
;; a function that reads two vectors of three f64 by address, as C passes a
;; structure by value, gets y and z of each as one <2 x double> from the SLP
;; vectoriser; a caller has just written them with two 8-byte stores, which a
;; 16-byte load cannot take its data from.  Each becomes two volatile f64
;; loads (so the back end does not join them again); the same loads in a
;; loop keep their vector.  Guard mode's accesses outside loops are volatile
;; already and never joined.
;; RUN: -O2 --bounds-checks=explicit => EXPLICIT
;; RUN: -O2 => GUARD
(module
  (memory 1)
  (func (export "dist2") (param $a i32) (param $b i32) (result f64)
    (local $x f64) (local $y f64) (local $z f64)
    (local.set $z (f64.sub (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b))))
    (local.set $y (f64.sub (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b))))
    (local.set $x (f64.sub (f64.load (local.get $a)) (f64.load (local.get $b))))
    (f64.add (f64.add (f64.mul (local.get $x) (local.get $x)) (f64.mul (local.get $y) (local.get $y)))
      (f64.mul (local.get $z) (local.get $z))))
  (func (export "sum_dist2") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $s f64) (local $y f64) (local $z f64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $y (f64.sub (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b))))
        (local.set $z (f64.sub (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b))))
        (local.set $s (f64.add (local.get $s)
          (f64.add (f64.mul (local.get $y) (local.get $y)) (f64.mul (local.get $z) (local.get $z)))))
        (local.set $a (i32.add (local.get $a) (i32.const 24)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s)))

;; EXPLICIT-LABEL: define internal double @w2n_f0(
;; EXPLICIT-NOT: load <2 x double>
;; EXPLICIT: %[[Y:[0-9]+]] = load volatile double
;; EXPLICIT-NEXT: %[[V:[0-9]+]] = insertelement <2 x double> poison, double %[[Y]], i64 0
;; EXPLICIT-NEXT: %[[AT:[0-9]+]] = getelementptr i8, ptr %{{[0-9]+}}, i64 8
;; EXPLICIT-NEXT: %[[Z:[0-9]+]] = load volatile double, ptr %[[AT]]
;; EXPLICIT-NEXT: insertelement <2 x double> %[[V]], double %[[Z]], i64 1
;; EXPLICIT-NOT: load <2 x double>
;; EXPLICIT: ret double
;; EXPLICIT-LABEL: define internal double @w2n_f1(
;; EXPLICIT: load <2 x double>

;; GUARD-LABEL: define internal double @w2n_f0(
;; GUARD-NOT: load <2 x double>
;; GUARD: ret double
