;; A module with a tail call keeps the C convention for every function, even
;; those only its own code calls: musttail needs one convention on both sides
;; (lower_convention.c), and return_call must never grow the stack.
;; RUN: -O2 => CHECK
(module
  (func $count (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $count (i32.sub (local.get $n) (i32.const 1))))))
  (func $plain (param $n i32) (result i32)
    (i32.add (call $plain (local.get $n)) (i32.const 1)))
  (func (export "run") (param $n i32) (result i32)
    (i32.add (call $count (local.get $n)) (call $plain (local.get $n)))))

;; CHECK-NOT: swiftcc
;; CHECK-LABEL: define internal {{.*}}i32 @w2n_f0(ptr align 8
;; CHECK-NOT: swiftcc
;; CHECK-LABEL: define internal i32 @w2n_f1(ptr align 8
;; CHECK-NOT: swiftcc
