;; w2n's own exception tests, beyond the official suite: exceptions crossing
;; modules (the thrower has no try_table), 20 frames deep through frames with
;; and without handlers, exnrefs kept in globals and tables and rethrown
;; later, and traps that handlers must not catch.

(module $thrower
  (tag $e (export "e") (param i32))
  (tag $other (export "other"))
  (func (export "throw") (param i32) (throw $e (local.get 0)))
  (func $deep (export "deep") (param i32 i32)
    ;; depth, value: frames alternate between a try_table that catches only
    ;; $other and a plain frame
    (if (i32.eqz (local.get 0))
      (then (throw $e (local.get 1))))
    (if (i32.and (local.get 0) (i32.const 1))
      (then
        (block $o
          (try_table (catch $other $o)
            (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
          (return))
        (unreachable)))
    (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
)
(register "thrower" $thrower)

(module $catcher
  (import "thrower" "e" (tag $e (param i32)))
  (import "thrower" "other" (tag $other))
  (import "thrower" "throw" (func $throw (param i32)))
  (import "thrower" "deep" (func $deep (param i32 i32)))
  (global $kept (mut exnref) (ref.null exn))
  (table $refs 4 exnref)
  (memory 1)

  (func (export "across") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $throw (local.get 0)))
      (i32.const -1)))

  (func (export "deep") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $deep (local.get 0) (i32.const 77)))
      (i32.const -1)))

  ;; keep the exnref, rethrow it later from another call
  (func (export "keep") (param i32)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (call $throw (local.get 0)))
      (unreachable))
    (global.set $kept)
    (table.set $refs (i32.const 2) (global.get $kept))
    (drop))
  (func (export "rethrow-kept") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw_ref (table.get $refs (i32.const 2))))
      (i32.const -1)))
  (func (export "kept-is-null") (result i32) (ref.is_null (global.get $kept)))

  ;; traps pass through handlers, catch_all included
  (func (export "trap-inside") (result i32)
    (block $h
      (try_table (catch_all $h) (drop (i32.load (i32.const 65536)))))
    (i32.const 1))
  (func (export "div-inside") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (return (i32.div_u (i32.const 1) (local.get 0)))))
    (i32.const -1))

  ;; an uncaught exception leaves the call; one of another tag is not caught
  (func (export "uncaught") (call $throw (i32.const 5)))
  (func (export "wrong-tag") (result i32)
    (block $h
      (try_table (catch $other $h) (call $throw (i32.const 5))))
    (i32.const 0))

  ;; 100000 throws and catches: catch frees each one (the store's bound
  ;; on live exceptions is 65536)
  (func (export "many") (result i32) (local $i i32) (local $sum i32)
    (loop $l
      (block $h (result i32)
        (try_table (catch $e $h) (call $throw (local.get $i)))
        (i32.const 0))
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (i32.const 100000))))
    (local.get $sum))
)

(assert_return (invoke "across" (i32.const 7)) (i32.const 7))
(assert_return (invoke "deep" (i32.const 0)) (i32.const 77))
(assert_return (invoke "deep" (i32.const 1)) (i32.const 77))
(assert_return (invoke "deep" (i32.const 20)) (i32.const 77))
(assert_return (invoke "deep" (i32.const 21)) (i32.const 77))
(assert_return (invoke "kept-is-null") (i32.const 1))
(assert_return (invoke "keep" (i32.const 9)))
(assert_return (invoke "kept-is-null") (i32.const 0))
(assert_return (invoke "rethrow-kept") (i32.const 9))
(assert_return (invoke "rethrow-kept") (i32.const 9))
(assert_trap (invoke "trap-inside") "out of bounds memory access")
(assert_trap (invoke "div-inside" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "div-inside" (i32.const 1)) (i32.const 1))
(assert_exception (invoke "uncaught"))
(assert_exception (invoke "wrong-tag"))
(assert_return (invoke "across" (i32.const 8)) (i32.const 8))
(assert_return (invoke "many") (i32.const 704982704))
