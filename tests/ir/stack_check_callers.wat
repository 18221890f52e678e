;; Which functions compare the stack pointer with vmctx->stack_limit at their
;; entry (compiler/front/module_facts_stack.c).  A small leaf does not; nor
;; does a small function whose every call is a direct call of a function that
;; checks or of a leaf (the callback in the table, whose call of the recursive
;; function is rare), as long as no caller of that kind calls it.  A function
;; that calls through a table, or calls an unchecked caller, checks.
;; RUN: -O0 => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (table 2 2 funcref)
  (elem (i32.const 0) $callback $recurse)
  (func $leaf (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
  (func $recurse (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))
      (else (i32.const 0))))
  (func $callback (param i32) (result i32)
    (if (result i32) (i32.gt_u (local.get 0) (i32.const 1000))
      (then (call $recurse (local.get 0)))
      (else (call $leaf (local.get 0)))))
  (func $helper (param i32) (result i32)
    (call $callback (local.get 0)))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $helper (local.get 0))
             (call_indirect (type $t) (local.get 0) (i32.const 0)))))

;; CHECK-LABEL: define internal i32 @w2n_f0(
;; CHECK-NOT: stack_limit
;; CHECK-LABEL: define internal i32 @w2n_f1(
;; CHECK: %stack_limit = load
;; CHECK-LABEL: define internal i32 @w2n_f2(
;; CHECK-NOT: stack_limit
;; CHECK-LABEL: define internal i32 @w2n_f3(
;; CHECK: %stack_limit = load
;; CHECK-LABEL: define internal i32 @w2n_f4(
;; CHECK: %stack_limit = load
