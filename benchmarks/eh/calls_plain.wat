;; calls_try_table.wat without the try_table blocks: the same tag, callee
;; and loop, so the two differ only in the handler regions.
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
        (local.set $acc
          (call_indirect (param i64) (result i64) (local.get $acc) (i32.const 0)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
