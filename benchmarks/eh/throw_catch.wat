;; The throwing path: run(n, depth) throws n exceptions, each from $deep
;; `depth` frames below the try_table that catches it (depth 1: the thrower
;; is called straight from the handler's body), and sums their payloads.
(module
  (tag $e (param i64))
  (func $deep (param $d i32) (param $v i64)
    (if (i32.le_u (local.get $d) (i32.const 1))
      (then (throw $e (local.get $v))))
    (call $deep (i32.sub (local.get $d) (i32.const 1)) (local.get $v)))
  (func (export "run") (param $n i32) (param $depth i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum
          (i64.add (local.get $sum)
            (block $caught (result i64)
              (try_table (catch $e $caught)
                (call $deep (local.get $depth) (i64.extend_i32_u (local.get $n))))
              (i64.const -1000000000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum)))
