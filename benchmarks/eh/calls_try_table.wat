;; 10^8-style call loop, each call inside a try_table that never catches
;; anything: what entering a handler region costs on the path that does not
;; throw.  calls_plain.wat is the same program without the try_table blocks.
;; run(n): n calls of $step through the table (call_indirect, so LLVM cannot
;; inline it: the call stays a real call), returns a checksum; $step throws
;; only for an argument no caller passes.
(module
  (tag $never (param i64))
  (table 1 funcref)
  (elem (i32.const 0) $step)
  (func $step (param $x i64) (result i64)
    (if (i64.eq (local.get $x) (i64.const -1))
      (then (throw $never (local.get $x))))
    (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005))
             (i64.const 1442695040888963407)))
  (func (export "run") (param $n i32) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (block $caught (result i64)
          (try_table (catch $never $caught)
            (local.set $acc
              (call_indirect (param i64) (result i64) (local.get $acc) (i32.const 0))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next))
        ;; only a throw lands here: the result tells that it happened
        (drop)
        (return (i64.const -1))))
    (local.get $acc)))
