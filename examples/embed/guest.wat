;; The guest of the embedding example: Fibonacci numbers, computed in Wasm,
;; reported one by one through a function the host provides.
(module
  (import "host" "report" (func $report (param i32 i64)))
  (func $fib (export "fib") (param $n i32) (result i64)
    (local $a i64) (local $b i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))
  ;; Calls report(i, fib(i)) for i = 0 .. count-1.
  (func (export "report_fibs") (param $count i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (call $report (local.get $i) (call $fib (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))))
