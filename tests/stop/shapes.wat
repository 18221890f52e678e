;; Endless work of every shape, for shapes_cli.sh: each export runs forever
;; (recursion: for years) until --timeout or a signal ends it.
(module (memory 1)
  ;; a loop with nothing in it
  (func (export "empty") (loop $l (br $l)))
  ;; a loop of local arithmetic only
  (func (export "locals") (local i32 i64)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 3)))
      (local.set 1 (i64.xor (local.get 1) (i64.extend_i32_u (local.get 0))))
      (br $l)))
  ;; exponential recursion, no loop at all
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "recursion") (drop (call $fib (i32.const 90))))
  ;; a loop through br_table
  (func (export "br_table") (local i32)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (block $a (br_table $a $l (i32.and (local.get 0) (i32.const 1))))
      (br $l)))
  ;; an endless loop around a short counted memory loop (a fast version)
  (func (export "counted_inner") (local i32)
    (loop $outer
      (local.set 0 (i32.const 0))
      (loop $inner
        (i32.store (i32.shl (local.get 0) (i32.const 2)) (local.get 0))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get 0) (i32.const 1000))))
      (br $outer))))
