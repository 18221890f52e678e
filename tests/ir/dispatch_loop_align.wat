;; On x86-64 a loop that holds a br_table of 8 or more targets (an
;; interpreter's dispatch) has its header aligned to a 64-byte line, outer
;; loop or not (the target table's dispatch_loop_align; lower_control.c):
;; its dispatch is fast only from a line's first half.  A loop with a
;; smaller br_table is an ordinary loop: an outer one keeps LLVM's
;; alignment.  AArch64 keeps its own.
;; RUN: -O2 => X86
;; RUN: -O2 --target=aarch64-linux-gnu => OTHER
(module
  (memory 1)
  (func $interpret (export "interpret") (param i32) (result i32)
    (local i32)
    (loop $step
      (block $halt
        (block $op7
          (block $op6
            (block $op5
              (block $op4
                (block $op3
                  (block $op2
                    (block $op1
                      (block $op0
                        (br_table $op0 $op1 $op2 $op3 $op4 $op5 $op6 $op7 $halt (i32.load8_u (local.get 0))))
                      (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 3)) (i32.const 0)))
                      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                      (br $step))
                    (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 4)) (i32.const 1)))
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (br $step))
                  (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 5)) (i32.const 2)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (br $step))
                (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 6)) (i32.const 3)))
                (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                (br $step))
              (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 7)) (i32.const 4)))
              (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (br $step))
            (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 8)) (i32.const 5)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $step))
          (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 9)) (i32.const 6)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br $step))
        (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 10)) (i32.const 7)))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br $step)))
    (local.get 1))
  ;; seven targets: an ordinary outer loop
  (func $small_switch (export "small_switch") (param i32) (result i32)
    (local i32)
    (loop $step
      (block $halt
        (block $op6
          (block $op5
            (block $op4
              (block $op3
                (block $op2
                  (block $op1
                    (block $op0
                      (br_table $op0 $op1 $op2 $op3 $op4 $op5 $op6 $halt (i32.load8_u (local.get 0))))
                    (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 3)) (i32.const 0)))
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (br $step))
                  (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 4)) (i32.const 1)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (br $step))
                (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 5)) (i32.const 2)))
                (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                (br $step))
              (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 6)) (i32.const 3)))
              (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (br $step))
            (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 7)) (i32.const 4)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $step))
          (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 8)) (i32.const 5)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br $step))
        (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 9)) (i32.const 6)))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br $step)))
    (local.get 1))
)

;; X86-LABEL: define {{.*}} @w2n_f0(
;; X86: br label %{{.*}}, !llvm.loop ![[DISPATCH:[0-9]+]]
;; X86-LABEL: define {{.*}} @w2n_f1(
;; X86-NOT: !llvm.loop
;; X86: ![[DISPATCH]] = distinct !{![[DISPATCH]], ![[ALIGN:[0-9]+]]}
;; X86: ![[ALIGN]] = !{!"llvm.loop.align", i32 64}
;; OTHER-NOT: llvm.loop.align
