;; linked_list.wat — lists of `n` nodes built, checked, reversed in place
;; (struct.set of the links) and checked again, `rounds` times.  Each
;; round's list is garbage in the next, and one list built first stays
;; alive to the end, so a tiny heap collects every few rounds, moving the
;; survivors each time.  Every value is checked as it is read: a wrong one
;; traps with `unreachable`.
(module
  (type $node (struct (field $val i32) (field $next (mut (ref null $node)))))

  ;; The list seed+n, seed+n-1, ..., seed+1 (pushed in increasing order).
  (func $build (param $n i32) (param $seed i32) (result (ref null $node))
    (local $l (ref null $node)) (local $i i32)
    (loop $push
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $l (struct.new $node (i32.add (local.get $seed) (local.get $i)) (local.get $l)))
      (br_if $push (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $l))

  ;; Walk from the head expecting first, first+step, ...; the node count.
  (func $check (param $l (ref null $node)) (param $first i32) (param $step i32) (result i32)
    (local $n i32)
    (block $end
      (loop $walk
        (br_if $end (ref.is_null (local.get $l)))
        (if (i32.ne (struct.get $node $val (local.get $l)) (local.get $first))
          (then unreachable))
        (local.set $first (i32.add (local.get $first) (local.get $step)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $l (struct.get $node $next (local.get $l)))
        (br $walk)))
    (local.get $n))

  (func $reverse (param $l (ref null $node)) (result (ref null $node))
    (local $prev (ref null $node)) (local $next (ref null $node))
    (block $end
      (loop $walk
        (br_if $end (ref.is_null (local.get $l)))
        (local.set $next (struct.get $node $next (local.get $l)))
        (struct.set $node $next (local.get $l) (local.get $prev))
        (local.set $prev (local.get $l))
        (local.set $l (local.get $next))
        (br $walk)))
    (local.get $prev))

  (func (export "run") (param $rounds i32) (param $n i32) (result i64)
    (local $keep (ref null $node)) (local $l (ref null $node)) (local $r i32) (local $sum i64)
    (local.set $keep (call $build (local.get $n) (i32.const 1000000)))
    (loop $round
      (local.set $l (call $build (local.get $n) (local.get $r)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
        (call $check (local.get $l) (i32.add (local.get $r) (local.get $n)) (i32.const -1)))))
      (local.set $l (call $reverse (local.get $l)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
        (call $check (local.get $l) (i32.add (local.get $r) (i32.const 1)) (i32.const 1)))))
      (local.set $sum (i64.add (local.get $sum)
        (i64.extend_i32_u (struct.get $node $val (local.get $l)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (i64.add (local.get $sum) (i64.extend_i32_u
      (call $check (local.get $keep) (i32.add (i32.const 1000000) (local.get $n)) (i32.const -1)))))

  ;; One list of n nodes, all alive at once, each push followed by `junk`
  ;; nodes that die at once: the survivors grow while the garbage churns.
  (func (export "grow") (param $n i32) (param $junk i32) (result i32)
    (local $l (ref null $node)) (local $i i32) (local $j i32)
    (loop $push
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $l (struct.new $node (local.get $i) (local.get $l)))
      (local.set $j (i32.const 0))
      (block $done
        (loop $waste
          (br_if $done (i32.ge_u (local.get $j) (local.get $junk)))
          (drop (struct.new $node (local.get $j) (local.get $l)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $waste)))
      (br_if $push (i32.lt_u (local.get $i) (local.get $n))))
    (call $check (local.get $l) (local.get $n) (i32.const -1)))
)
