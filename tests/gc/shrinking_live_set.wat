;; shrinking_live_set.wat — a live set of megabytes that grows and then
;; shrinks, round after round: the heap keeps the evacuated space's first
;; huge pages for the next collection's copies (runtime/gc/heap.c), and
;; when fewer objects survive, what the copies leave of old objects must be
;; cleared before new ones are made there.  Each round fills a ring of
;; `big` arrays of 64 KiB (8,190 i64s, each its own number), keeps two,
;; then makes `churn` arrays with array.new_default and reads every 61st
;; element: a stale old value traps `unreachable`, as does a kept array
;; that lost its contents.  `run` returns the number of arrays checked.
(module
  (type $block (array (mut i64)))
  (type $ring (array (mut (ref null $block))))

  ;; Trap unless every 61st element of a fresh default array is zero.
  (func $check_zero (param $b (ref $block))
    (local $i i32)
    (loop $each
      (if (i64.ne (array.get $block (local.get $b) (local.get $i)) (i64.const 0))
        (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 61)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 8190)))))

  ;; Trap unless the first and last elements of $b are $v.
  (func $check_filled (param $b (ref null $block)) (param $v i64)
    (if (i64.ne (array.get $block (local.get $b) (i32.const 0)) (local.get $v))
      (then unreachable))
    (if (i64.ne (array.get $block (local.get $b) (i32.const 8189)) (local.get $v))
      (then unreachable)))

  (func (export "run") (param $rounds i32) (param $big i32) (param $churn i32) (result i32)
    (local $ring (ref null $ring)) (local $r i32) (local $i i32) (local $checked i32)
    (local.set $ring (array.new_default $ring (local.get $big)))
    (loop $round
      ;; grow: $big arrays live, each filled with its number
      (local.set $i (i32.const 0))
      (loop $fill
        (array.set $ring (local.get $ring) (local.get $i)
          (array.new $block
            (i64.extend_i32_u (i32.add (i32.mul (local.get $r) (i32.const 1000)) (local.get $i)))
            (i32.const 8190)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $fill (i32.lt_u (local.get $i) (local.get $big))))
      ;; shrink: all but the first two die
      (local.set $i (i32.const 2))
      (loop $drop
        (array.set $ring (local.get $ring) (local.get $i) (ref.null $block))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $drop (i32.lt_u (local.get $i) (local.get $big))))
      ;; new arrays where the old ones were: zero
      (local.set $i (i32.const 0))
      (loop $make
        (call $check_zero (array.new_default $block (i32.const 8190)))
        (local.set $checked (i32.add (local.get $checked) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $make (i32.lt_u (local.get $i) (local.get $churn))))
      (call $check_filled (array.get $ring (local.get $ring) (i32.const 0))
        (i64.extend_i32_u (i32.mul (local.get $r) (i32.const 1000))))
      (call $check_filled (array.get $ring (local.get $ring) (i32.const 1))
        (i64.extend_i32_u (i32.add (i32.mul (local.get $r) (i32.const 1000)) (i32.const 1))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $checked))
)
