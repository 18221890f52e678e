;; deep_legacy.wat's programs with the standard instructions (`try_table`,
;; `catch_ref`, `catch_all_ref`, `throw_ref`, exnref), what newer toolchains
;; emit: exceptions thrown 20 frames deep through frames with and without
;; handlers, rethrown, with payloads of several types.  The expected results
;; (deep_try_table.expected) are deep_legacy's.
;;
;; $descend(d, kind) recurses d frames, then throws the exception `kind`
;; names.  On the way the frames take turns (d mod 4):
;;   0  a try_table whose only clause catches another tag: the exception passes;
;;   1  a catch_all_ref that counts the frame in $passed and rethrows (throw_ref);
;;   2  no handler at all;
;;   3  two nested try_tables, neither of which catches it.
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

  (func $descend (param $d i32) (param $kind i32) (result i32)
    (local $r i32)
    (if (i32.eqz (local.get $d))
      (then (call $throw (local.get $kind)) (unreachable)))
    (block $done
      (block $nested (block $plain (block $rethrowing (block $mismatch
        (br_table $mismatch $rethrowing $plain $nested
                  (i32.and (local.get $d) (i32.const 3))))
        (local.set $r
          (block $h (result i32)
            (try_table (catch $other $h)
              (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                           (local.get $kind))))
            (br $done)))
        (br $done))
        (block $h (result exnref)
          (try_table (catch_all_ref $h)
            (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                         (local.get $kind))))
          (br $done))
        (global.set $passed (i32.add (global.get $passed) (i32.const 1)))
        (throw_ref))
        (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                     (local.get $kind)))
        (br $done))
      (local.set $r
        (block $outer (result i32)
          (try_table (catch $other $outer)
            (block $inner (result i32 exnref)
              (try_table (catch_ref $other $inner)
                (local.set $r (call $descend (i32.sub (local.get $d) (i32.const 1))
                                             (local.get $kind))))
              (br $done))
            (throw_ref))
          (unreachable))))
    (i32.add (local.get $r) (i32.const 1)))

  (func (export "throw_i32") (param $d i32) (result i32 i32)
    (global.set $passed (i32.const 0))
    (block $h (result i32)
      (try_table (result i32) (catch $e_i32 $h)
        (call $descend (local.get $d) (i32.const 0))))
    (global.get $passed))

  (func (export "throw_i64") (param $d i32) (result i64 i32)
    (global.set $passed (i32.const 0))
    (block $h (result i64)
      (try_table (result i64) (catch $e_i64 $h)
        (drop (call $descend (local.get $d) (i32.const 1))) (i64.const 0)))
    (global.get $passed))

  (func (export "throw_f32") (param $d i32) (result f32 i32)
    (global.set $passed (i32.const 0))
    (block $h (result f32)
      (try_table (result f32) (catch $e_f32 $h)
        (drop (call $descend (local.get $d) (i32.const 2))) (f32.const 0)))
    (global.get $passed))

  (func (export "throw_f64") (param $d i32) (result f64 i32)
    (global.set $passed (i32.const 0))
    (block $h (result f64)
      (try_table (result f64) (catch $e_f64 $h)
        (drop (call $descend (local.get $d) (i32.const 3))) (f64.const 0)))
    (global.get $passed))

  (func (export "throw_multi") (param $d i32) (result i32 i64 f64 i32)
    (global.set $passed (i32.const 0))
    (block $h (result i32 i64 f64)
      (try_table (result i32 i64 f64) (catch $e_multi $h)
        (drop (call $descend (local.get $d) (i32.const 4)))
        (i32.const 0) (i64.const 0) (f64.const 0)))
    (global.get $passed))

  ;; The first matching clause of several wins; catch_all takes a payload-less tag.
  (func (export "catch_all_none") (param $d i32) (result i32 i32)
    (global.set $passed (i32.const 0))
    (block $all
      (block $f64 (result f64)
        (return
          (block $i32 (result i32)
            (try_table (result i32) (catch $e_i32 $i32) (catch $e_f64 $f64) (catch_all $all)
              (call $descend (local.get $d) (i32.const 5))))
          (global.get $passed)))
      (drop)
      (return (i32.const -1) (global.get $passed)))
    (i32.const 100)
    (global.get $passed))

  ;; Rethrow inside a handler: the first catch_ref adds 1000 to $seen and
  ;; rethrows (throw_ref) inside a try_table whose catch_ref adds 1 and
  ;; rethrows again; the outermost try_table catches it with its payload
  ;; unchanged.
  (func (export "rethrow_twice") (param $d i32) (result i32 i32)
    (local $seen i32)
    (local $exn exnref)
    (global.set $passed (i32.const 0))
    (block $outer (result i32)
      (try_table (result i32) (catch $e_i32 $outer)
        (block $first (result i32 exnref)
          (try_table (catch_ref $e_i32 $first)
            (drop (call $descend (local.get $d) (i32.const 0))))
          (unreachable))
        (local.set $exn)
        (drop)
        (local.set $seen (i32.add (local.get $seen) (i32.const 1000)))
        (block $second (result i32 exnref)
          (try_table (catch_ref $e_i32 $second)
            (throw_ref (local.get $exn)))
          (unreachable))
        (local.set $exn)
        (drop)
        (local.set $seen (i32.add (local.get $seen) (i32.const 1)))
        (throw_ref (local.get $exn))))
    (i32.add (local.get $seen))
    (global.get $passed))

  ;; A handler for another tag only: the exception goes on to the caller.
  (func $pass_out (param $d i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $other $h)
        (call $descend (local.get $d) (i32.const 0))))
    (i32.const -7)
    (i32.add))
  (func (export "pass_to_caller") (param $d i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e_i32 $h)
        (call $pass_out (local.get $d))))
    (i32.xor (i32.const -1)))

  ;; A trap is no exception: it leaves through every catch_all.
  (func $trap_below (param $d i32) (result i32)
    (if (i32.eqz (local.get $d)) (then (unreachable)))
    (block $h
      (try_table (catch_all $h)
        (return (call $trap_below (i32.sub (local.get $d) (i32.const 1))))))
    (i32.const -1))
  (func (export "trap_through") (param $d i32) (result i32)
    (block $h
      (try_table (catch_all $h)
        (return (call $trap_below (local.get $d)))))
    (i32.const -2))

  ;; Only $e_i64 is caught here, and $descend throws $e_i32: the caller of
  ;; the export sees the exception.
  (func (export "uncaught") (param $d i32) (result i32)
    (block $h (result i64)
      (try_table (catch $e_i64 $h)
        (drop (call $descend (local.get $d) (i32.const 0))))
      (i64.const 0))
    (drop)
    (throw $other (i32.const 99))))
