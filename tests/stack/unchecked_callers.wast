;; Stack exhaustion stays a trap through functions that do not check the
;; stack limit themselves (compiler/front/module_facts_stack.c): $a is an
;; unchecked caller (small, calls only $b directly); $b checks, since it
;; calls through the table.  Unbounded recursion through both traps; a deep
;; bounded one returns.
(module
  (type $t (func (param i32) (result i32)))
  (table 1 1 funcref)
  (elem (i32.const 0) $a)
  (func $a (param $n i32) (result i32)
    (i32.add (call $b (local.get $n)) (i32.const 1)))
  (func $b (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (call_indirect (type $t) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))))
  (func (export "depth") (param $n i32) (result i32) (call $a (local.get $n)))
  (func (export "forever") (result i32) (call $a (i32.const -1))))

(assert_return (invoke "depth" (i32.const 0)) (i32.const 1))
(assert_return (invoke "depth" (i32.const 1000)) (i32.const 1001))
(assert_exhaustion (invoke "forever") "call stack exhausted")
(assert_return (invoke "depth" (i32.const 10)) (i32.const 11))
