;; Vector loads outside loops split into their elements
;; (compiler/emit/split_vector_loads.c): each lane reads its own field, an
;; access that passes the end of memory by one byte still traps as "out of
;; bounds memory access", and a store before it stays done.  `weigh` reads
;; two vectors of three f64 (x, y, z) by address; in explicit mode LLVM reads
;; y and z of each as one <2 x double>, which the split turns back into two
;; loads.  One page: the last vector that fits starts at 65512.
(module
  (memory 1 2)
  (data (i32.const 24) "\00\00\00\00\00\00\e0\3f\00\00\00\00\00\00\d0\3f\00\00\00\00\00\00\c0\3f")
  (data (i32.const 65512) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\00\40\00\00\00\00\00\00\08\40")
  (func $weigh (export "weigh") (param $a i32) (param $b i32) (result f64)
    (local $x f64) (local $y f64) (local $z f64)
    (local.set $z (f64.sub (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b))))
    (local.set $y (f64.sub (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b))))
    (local.set $x (f64.sub (f64.load (local.get $a)) (f64.load (local.get $b))))
    (f64.add (f64.add (f64.mul (local.get $x) (f64.const 1)) (f64.mul (local.get $y) (f64.const 10)))
      (f64.mul (local.get $z) (f64.const 100))))
  (func (export "store_then_weigh") (param $a i32) (result f64)
    (f64.store (i32.const 100) (f64.const 7))
    (call $weigh (local.get $a) (i32.const 0)))
  (func (export "peek") (param $a i32) (result f64) (f64.load (local.get $a)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1))))

;; x 1, y 2, z 3 at the end of memory; zeros at 0; 0.5, 0.25, 0.125 at 24
(assert_return (invoke "weigh" (i32.const 65512) (i32.const 0)) (f64.const 321))
(assert_return (invoke "weigh" (i32.const 0) (i32.const 65512)) (f64.const -321))
(assert_return (invoke "weigh" (i32.const 65512) (i32.const 24)) (f64.const 305.5))
(assert_return (invoke "weigh" (i32.const 24) (i32.const 0)) (f64.const 15.5))
;; one byte past the end, in either vector
(assert_trap (invoke "weigh" (i32.const 65513) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "weigh" (i32.const 0) (i32.const 65513)) "out of bounds memory access")
(assert_trap (invoke "weigh" (i32.const 0) (i32.const 0xffffffff)) "out of bounds memory access")
;; the store before the trapping load happened
(assert_trap (invoke "store_then_weigh" (i32.const 65520)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 100)) (f64.const 7))
;; grown, the same vector fits
(assert_return (invoke "grow") (i32.const 1))
(assert_return (invoke "weigh" (i32.const 65512) (i32.const 65536)) (f64.const 321))
