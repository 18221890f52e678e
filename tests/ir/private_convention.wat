;; A function only this module's own code can call (not exported, not in a
;; table, no funcref) takes the vmctx in a callee-saved register: swiftcc with
;; a swiftself vmctx on x86-64 and AArch64, at its definition and at every
;; direct call (lower_convention.c).  An exported or table function keeps the
;; C convention, and so does everything on RISC-V (no swiftcc in LLVM 19) and
;; at -O0 (FastISel).  The trampoline of an export calls it in the C convention.
;; RUN: -O2 => CHECK
;; RUN: -O2 --target=aarch64-linux-gnu => CHECK
;; RUN: -O2 --target=riscv64-linux-gnu => C
;; RUN: -O0 => C
(module
  (type $t (func (param i32) (result i32)))
  (table 1 1 funcref)
  (elem (i32.const 0) $in_table)
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $in_table (type $t)
    (call $fib (local.get 0)))
  (func (export "run") (param $n i32) (result i32)
    (i32.add (call $fib (local.get $n))
             (call_indirect (type $t) (local.get $n) (i32.const 0)))))

;; CHECK-LABEL: define internal swiftcc i32 @w2n_f0(ptr swiftself align 8 dereferenceable({{[0-9]+}}) %0, i32 %1)
;; CHECK: call swiftcc i32 @w2n_f0(ptr {{.*}}swiftself %0
;; CHECK-LABEL: define internal i32 @w2n_f1(ptr align 8
;; CHECK: call swiftcc i32 @w2n_f0(ptr {{.*}}swiftself %0
;; CHECK-LABEL: define internal i32 @w2n_f2(ptr align 8
;; CHECK: call swiftcc i32 @w2n_f0(ptr {{.*}}swiftself %0
;; CHECK-LABEL: define internal void @w2n_tramp_1(
;; CHECK: call i32 @w2n_f1(ptr

;; C-NOT: swiftcc
;; C-NOT: swiftself
;; C-LABEL: define internal i32 @w2n_f0(ptr align 8
