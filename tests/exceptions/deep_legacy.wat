;; Exceptions thrown 20 frames deep through frames with and without legacy
;; handlers (`try`/`catch`/`catch_all`/`delegate`/`rethrow`, what LLVM 19
;; emits for C++ and setjmp/longjmp), with payloads of several types.
;; run_eh_program.sh calls each export with `w2n-run --invoke` and compares
;; the printed results with deep_legacy.expected.
;;
;; $descend(d, kind) recurses d frames, then throws the exception `kind`
;; names.  On the way the frames take turns (d mod 4):
;;   0  a `try` whose only `catch` is for another tag: the exception passes;
;;   1  a `catch_all` that counts the frame in $passed and rethrows;
;;   2  no handler at all;
;;   3  a `try` whose inner `try` delegates to it, and whose catch is for
;;      another tag: the exception passes both.
(module
  (tag $e_i32 (param i32))
  (tag $e_i64 (param i64))
  (tag $e_f32 (param f32))
  (tag $e_f64 (param f64))
  (tag $e_multi (param i32 i64 f64))
  (tag $e_none)
  (tag $other (param i32))
  (global $passed (mut i32) (i32.const 0))

  (func $throw (param $kind i32)
    (block $none (block $multi (block $f64 (block $f32 (block $i64 (block $i32
      (br_table $i32 $i64 $f32 $f64 $multi $none (local.get $kind)))
      (throw $e_i32 (i32.const 0x12345678)))
      (throw $e_i64 (i64.const 0x123456789abcdef0)))
      (throw $e_f32 (f32.const -1.5)))
      (throw $e_f64 (f64.const 3.25)))
      (throw $e_multi (i32.const 7) (i64.const -2) (f64.const 2.5)))
    (throw $e_none))

  ;; Returns d + 1 when it returns at all (it never does once the throw is
  ;; reached), so every frame does some work after its call.
  (func $descend (param $d i32) (param $kind i32) (result i32)
    (local $r i32)
    (if (i32.eqz (local.get $d))
      (then (call $throw (local.get $kind)) (unreachable)))
    (block $done
      (block $delegating (block $plain (block $rethrowing (block $mismatch
        (br_table $mismatch $rethrowing $plain $delegating
                  (i32.and (local.get $d) (i32.const 3))))
        (try
          (do (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                           (local.get $kind))))
          (catch $other (local.set $r)))
        (br $done))
        (try
          (do (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                           (local.get $kind))))
          (catch_all
            (global.set $passed (i32.add (global.get $passed) (i32.const 1)))
            (rethrow 0)))
        (br $done))
        (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                     (local.get $kind)))
        (br $done))
      (try $outer
        (do
          (try
            (do (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                             (local.get $kind))))
            (delegate $outer)))
        (catch $other (local.set $r))))
    (i32.add (local.get $r) (i32.const 1)))

  (func (export "throw_i32") (param $d i32) (result i32 i32)
    (global.set $passed (i32.const 0))
    (try (result i32)
      (do (call $descend (local.get $d) (i32.const 0)))
      (catch $e_i32))
    (global.get $passed))

  (func (export "throw_i64") (param $d i32) (result i64 i32)
    (global.set $passed (i32.const 0))
    (try (result i64)
      (do (drop (call $descend (local.get $d) (i32.const 1))) (i64.const 0))
      (catch $e_i64))
    (global.get $passed))

  (func (export "throw_f32") (param $d i32) (result f32 i32)
    (global.set $passed (i32.const 0))
    (try (result f32)
      (do (drop (call $descend (local.get $d) (i32.const 2))) (f32.const 0))
      (catch $e_f32))
    (global.get $passed))

  (func (export "throw_f64") (param $d i32) (result f64 i32)
    (global.set $passed (i32.const 0))
    (try (result f64)
      (do (drop (call $descend (local.get $d) (i32.const 3))) (f64.const 0))
      (catch $e_f64))
    (global.get $passed))

  (func (export "throw_multi") (param $d i32) (result i32 i64 f64 i32)
    (global.set $passed (i32.const 0))
    (try (result i32 i64 f64)
      (do (drop (call $descend (local.get $d) (i32.const 4)))
          (i32.const 0) (i64.const 0) (f64.const 0))
      (catch $e_multi))
    (global.get $passed))

  ;; The first matching catch of several wins; catch_all takes a payload-less tag.
  (func (export "catch_all_none") (param $d i32) (result i32 i32)
    (global.set $passed (i32.const 0))
    (try (result i32)
      (do (call $descend (local.get $d) (i32.const 5)))
      (catch $e_i32)
      (catch $e_f64 (drop) (i32.const -1))
      (catch_all (i32.const 100)))
    (global.get $passed))

  ;; rethrow inside a catch: the first catch adds 1000 to $seen and rethrows
  ;; its exception (rethrow 1) from an inner try, whose catch adds 1 and
  ;; rethrows that (rethrow 0); the outermost try catches it with its payload
  ;; unchanged.
  (func (export "rethrow_twice") (param $d i32) (result i32 i32)
    (local $seen i32)
    (global.set $passed (i32.const 0))
    (try (result i32)
      (do
        (try (result i32)
          (do (call $descend (local.get $d) (i32.const 0)))
          (catch $e_i32
            (drop)
            (local.set $seen (i32.add (local.get $seen) (i32.const 1000)))
            (try (result i32)
              (do (rethrow 1))
              (catch $e_i32
                (local.set $seen (i32.add (local.get $seen) (i32.const 1)))
                (rethrow 0))))))
      (catch $e_i32 (i32.add (local.get $seen))))
    (global.get $passed))

  ;; delegate straight to the caller: the exception leaves this function
  ;; without its own catch_all seeing it.
  (func $delegate_out (param $d i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $descend (local.get $d) (i32.const 0)))
          (delegate 1)))
      (catch_all (i32.const -7))))
  (func (export "delegate_to_caller") (param $d i32) (result i32)
    (try (result i32)
      (do (call $delegate_out (local.get $d)))
      (catch $e_i32 (i32.xor (i32.const -1)))))

  ;; n throws, each caught by a catch that a rethrow names and left by a
  ;; branch (br_if to the try's own end; br from inside an if to the loop):
  ;; each exception must be given back on the way out, or the store's bound
  ;; on live exceptions (65536) traps before n = 70000 is reached.
  (func (export "catch_loop") (param $n i32) (result i32)
    (local $caught i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (try
          (do (throw $e_i32 (local.get $n)))
          (catch $e_i32
            (drop)
            (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
            (br_if 0 (i32.ge_s (local.get $n) (i32.const 0)))
            (rethrow 0)))
        (br $next)))
    (local.get $caught))
  (func (export "catch_all_loop") (param $n i32) (result i32)
    (local $caught i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (try
          (do (drop (call $descend (i32.const 1) (i32.const 0))))
          (catch_all
            (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
            (if (i32.ge_s (local.get $n) (i32.const 0)) (then (br $next)))
            (rethrow 0)))))
    (local.get $caught))

  ;; A trap is no exception: it leaves through every catch_all.
  (func $trap_below (param $d i32) (result i32)
    (if (i32.eqz (local.get $d)) (then (unreachable)))
    (try (result i32)
      (do (call $trap_below (i32.sub (local.get $d) (i32.const 1))))
      (catch_all (i32.const -1))))
  (func (export "trap_through") (param $d i32) (result i32)
    (try (result i32)
      (do (call $trap_below (local.get $d)))
      (catch_all (i32.const -2))))

  ;; Only $e_i64 is caught here, and $descend throws $e_i32: the caller of
  ;; the export sees the exception.
  (func (export "uncaught") (param $d i32) (result i32)
    (try (result i32)
      (do (call $descend (local.get $d) (i32.const 0)))
      (catch $e_i64 (drop) (i32.const -3)))
    (throw $other (i32.const 99))))
