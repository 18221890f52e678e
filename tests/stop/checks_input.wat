;; interrupt_checks.sh compiles this with --interruptible at -O2 (and with
;; --fuel) and FileChecks the IR against interrupt_checks.checks.
(module (memory 1)
  ;; a counted loop over memory: versioned; the fast version has no check
  (func $fill (export "fill") (param i32)
    (local i32)
    (loop $l
      (i32.store (i32.shl (local.get 1) (i32.const 2)) (local.get 1))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0)))))
  ;; calls nothing and has no loop: no check at its entry
  (func $leaf (export "leaf") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3)))
  ;; calls: checks at its entry
  (func $caller (export "caller") (param i32) (result i32)
    (call $leaf (call $leaf (local.get 0)))))
