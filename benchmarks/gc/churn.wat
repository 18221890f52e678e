;; churn.wat — churn.c's heap-limit criterion in Wasm GC: arrays of 64 KiB
;; (8,190 i64s after the 16-byte header) made until TOTAL MiB, a ring of
;; LIVE MiB of them kept (each new one replaces the oldest), each checked
;; before it is dropped (a lost one traps `unreachable`).  `run` returns the
;; number of arrays made.  The issue's criterion: run 10240 50 with a GC
;; heap limit of 128 MiB runs to completion (benchmarks/gc/run).
(module
  (type $block (array (mut i64)))
  (type $ring (array (mut (ref null $block))))

  (func (export "run") (param $total_mib i32) (param $live_mib i32) (result i64)
    (local $ring (ref null $ring)) (local $old (ref null $block))
    (local $nring i32) (local $slot i32) (local $n i64) (local $arrays i64)
    ;; 16 arrays of 64 KiB per MiB
    (local.set $nring (i32.shl (local.get $live_mib) (i32.const 4)))
    (local.set $arrays (i64.shl (i64.extend_i32_u (local.get $total_mib)) (i64.const 4)))
    (local.set $ring (array.new_default $ring (local.get $nring)))
    (block $done
      (loop $make
        (br_if $done (i64.ge_u (local.get $n) (local.get $arrays)))
        (local.set $slot
          (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.extend_i32_u (local.get $nring)))))
        (local.set $old (array.get $ring (local.get $ring) (local.get $slot)))
        ;; the oldest still holds what it was made with
        (if (i32.eqz (ref.is_null (local.get $old)))
          (then
            (if (i64.ne (array.get $block (local.get $old) (i32.const 8189))
                        (i64.sub (local.get $n) (i64.extend_i32_u (local.get $nring))))
              (then unreachable))))
        (array.set $ring (local.get $ring) (local.get $slot)
          (array.new $block (local.get $n) (i32.const 8190)))
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (br $make)))
    (local.get $n))
)
