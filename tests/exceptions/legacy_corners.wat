;; Corners of the legacy instructions that deep_legacy.wat does not reach,
;; run by run_eh_program.sh against legacy_corners.expected (Node 20's V8
;; gives the same results; wabt 1.0.32's interpreter aborts on two of them).
(module
  (tag $e (param i32))
  (tag $f (param i64))
  (func $throw_e (param i32) (local.get 0) (throw $e))

  ;; A try with parameters: its body starts with them, a catch with the
  ;; tag's payload instead.
  (func (export "try_params") (param $x i32) (result i32)
    (local.get $x)
    (try (param i32) (result i32)
      (do (i32.const 1) (i32.add) (call $throw_e) (i32.const -1))
      (catch $e (i32.const 100) (i32.add))))

  ;; A try in dead code is skipped whole, its catches and delegate included.
  (func (export "dead_try") (result i32)
    (return (i32.const 5))
    (try (do (call $throw_e (i32.const 1))) (catch $e (drop) (rethrow 0)) (catch_all))
    (try (do (try (do) (delegate 0))) (catch_all))
    (i32.const 6))

  ;; A throw in a catch body goes to the enclosing try, not to the catches
  ;; of its own.
  (func (export "throw_in_catch") (param $x i32) (result i64)
    (try (result i64)
      (do
        (try (result i64)
          (do (call $throw_e (local.get $x)) (i64.const -1))
          (catch $e (i64.extend_i32_u) (i64.const 10) (i64.mul) (throw $f))
          (catch $f (drop) (i64.const -2))))
      (catch $f (i64.const 1) (i64.add))))

  ;; A loop inside the try's body: its back edge stays inside the handler.
  (func (export "loop_in_try") (param $n i32) (result i32)
    (local $i i32)
    (try (result i32)
      (do
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (call $throw_e (local.get $i))
        (i32.const -1))
      (catch $e)))

  ;; catch_all, then rethrow to the caller's catch for the tag: the payload
  ;; survives, and the first catch_all ran.
  (global $ran (mut i32) (i32.const 0))
  (func $rethrow_all (param i32)
    (try
      (do (call $throw_e (local.get 0)))
      (catch_all (global.set $ran (i32.const 1)) (rethrow 0))))
  (func (export "catch_all_rethrow") (param $x i32) (result i32 i32)
    (global.set $ran (i32.const 0))
    (try (result i32)
      (do (call $rethrow_all (local.get $x)) (i32.const -1))
      (catch $e))
    (global.get $ran))

  ;; delegate from inside a catch body skips the catches of its own try.
  (func (export "delegate_from_catch") (result i32)
    (local $p i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do (call $throw_e (i32.const 1)) (i32.const -1))
          (catch $e
            (local.set $p)
            (try (result i32)
              (do (call $throw_e (i32.add (local.get $p) (i32.const 40))) (i32.const -2))
              (delegate $outer)))
          (catch_all (i32.const -3))))
      (catch $e (i32.const 1) (i32.add)))))
