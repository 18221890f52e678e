;; A module's facts are the whole module's in every partition
;; (front/module_facts.c): its only tail call and its only exception
;; instruction are in the last function, and still no function of the
;; first partition takes the private convention (musttail needs one
;; convention on both sides, lower_convention.c) and every one of them can
;; be unwound through (a personality; lower_exception.c), in
;; three partitions as in one.
;; RUN: -O2 --partitions=1 => CHECK
;; RUN: -O2 --partitions=3 => CHECK
(module
  (func $plain (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $plain (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
  (func $count (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $count (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "run") (param $n i32) (result i32)
    (try (result i32)
      (do (i32.add (call $count (local.get $n)) (call $plain (local.get $n))))
      (catch_all (i32.const -1)))))

;; CHECK-NOT: swiftcc
;; CHECK-LABEL: define {{.*}}i32 @w2n_f0(ptr
;; CHECK-SAME: personality
;; CHECK-NOT: swiftcc
;; CHECK-LABEL: define {{.*}}i32 @w2n_f1(ptr
;; CHECK-SAME: personality
;; CHECK-NOT: swiftcc
;; CHECK-LABEL: define {{.*}}i32 @w2n_f2(ptr
;; CHECK-SAME: personality
;; CHECK-NOT: swiftcc
