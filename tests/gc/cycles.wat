;; cycles.wat — cyclic structures: rings, doubly linked lists whose every
;; node is reachable from both neighbours, and nodes that point to
;; themselves.  One ring lives for the whole run, held by a global and by a
;; table slot (both roots), and is walked after every round: a copying
;; collector must move each node once and keep identity (ref.eq).
(module
  (type $node (struct (field $id i32) (field $next (mut (ref null $node)))))
  (type $dnode (struct (field $id i32) (field $prev (mut (ref null $dnode)))
                       (field $next (mut (ref null $dnode)))))
  (global $kept (mut (ref null $node)) (ref.null $node))
  (table $roots 2 anyref)

  ;; A ring base+0 -> base+1 -> ... -> base+k-1 -> base+0; its head.
  (func $ring (param $k i32) (param $base i32) (result (ref $node))
    (local $head (ref null $node)) (local $tail (ref null $node)) (local $i i32)
    (local.set $head (struct.new $node (local.get $base) (ref.null $node)))
    (local.set $tail (local.get $head))
    (local.set $i (i32.const 1))
    (block $done
      (loop $link
        (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
        (local.set $tail (ref.as_non_null (local.get $tail)))
        (struct.set $node $next (local.get $tail)
          (struct.new $node (i32.add (local.get $base) (local.get $i)) (ref.null $node)))
        (local.set $tail (struct.get $node $next (local.get $tail)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $link)))
    (struct.set $node $next (local.get $tail) (local.get $head))
    (ref.as_non_null (local.get $head)))

  ;; Twice round the ring: ids in order, back at the head after exactly k.
  (func $walk_ring (param $head (ref $node)) (param $k i32) (param $base i32) (result i32)
    (local $p (ref null $node)) (local $i i32)
    (local.set $p (local.get $head))
    (loop $step
      (if (i32.ne (struct.get $node $id (local.get $p))
                  (i32.add (local.get $base) (i32.rem_u (local.get $i) (local.get $k))))
        (then unreachable))
      (local.set $p (struct.get $node $next (local.get $p)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.ne (ref.eq (local.get $p) (local.get $head))
                  (i32.eqz (i32.rem_u (local.get $i) (local.get $k))))
        (then unreachable))
      (br_if $step (i32.lt_u (local.get $i) (i32.shl (local.get $k) (i32.const 1)))))
    (local.get $i))

  ;; A doubly linked list of k nodes, checked both ways; the sum of ids.
  (func $doubly (param $k i32) (result i32)
    (local $first (ref null $dnode)) (local $last (ref null $dnode))
    (local $p (ref null $dnode)) (local $i i32) (local $sum i32)
    (local.set $first (struct.new $dnode (i32.const 0) (ref.null $dnode) (ref.null $dnode)))
    (local.set $last (local.get $first))
    (local.set $i (i32.const 1))
    (block $done
      (loop $add
        (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
        (local.set $p (struct.new $dnode (local.get $i) (local.get $last) (ref.null $dnode)))
        (struct.set $dnode $next (local.get $last) (local.get $p))
        (local.set $last (local.get $p))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
    ;; forwards: next.prev is the node itself
    (local.set $p (local.get $first))
    (local.set $i (i32.const 0))
    (block $end
      (loop $fwd
        (if (i32.ne (struct.get $dnode $id (local.get $p)) (local.get $i)) (then unreachable))
        (local.set $sum (i32.add (local.get $sum) (local.get $i)))
        (br_if $end (ref.is_null (struct.get $dnode $next (local.get $p))))
        (if (i32.eqz (ref.eq (struct.get $dnode $prev (struct.get $dnode $next (local.get $p)))
                             (local.get $p)))
          (then unreachable))
        (local.set $p (struct.get $dnode $next (local.get $p)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fwd)))
    (if (i32.eqz (ref.eq (local.get $p) (local.get $last))) (then unreachable))
    ;; backwards to the first
    (block $start
      (loop $back
        (br_if $start (ref.is_null (struct.get $dnode $prev (local.get $p))))
        (local.set $p (struct.get $dnode $prev (local.get $p)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (if (i32.ne (struct.get $dnode $id (local.get $p)) (local.get $i)) (then unreachable))
        (br $back)))
    (if (i32.eqz (ref.eq (local.get $p) (local.get $first))) (then unreachable))
    (local.get $sum))

  (func $self_loop (param $id i32) (result i32)
    (local $n (ref null $node))
    (local.set $n (struct.new $node (local.get $id) (ref.null $node)))
    (struct.set $node $next (local.get $n) (local.get $n))
    (if (i32.eqz (ref.eq (struct.get $node $next (struct.get $node $next (local.get $n)))
                         (local.get $n)))
      (then unreachable))
    (struct.get $node $id (struct.get $node $next (local.get $n))))

  (func (export "run") (param $rounds i32) (param $k i32) (result i64)
    (local $r i32) (local $sum i64)
    (global.set $kept (call $ring (local.get $k) (i32.const 5000)))
    (table.set $roots (i32.const 1) (global.get $kept))
    (loop $round
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
        (call $walk_ring (call $ring (local.get $k) (local.get $r)) (local.get $k) (local.get $r)))))
      (local.set $sum (i64.add (local.get $sum)
        (i64.extend_i32_u (call $doubly (local.get $k)))))
      (local.set $sum (i64.add (local.get $sum)
        (i64.extend_i32_u (call $self_loop (local.get $r)))))
      ;; the kept ring: the same object in both roots, intact
      (if (i32.eqz (ref.eq (global.get $kept)
                           (ref.cast (ref null $node) (table.get $roots (i32.const 1)))))
        (then unreachable))
      (drop (call $walk_ring (ref.as_non_null (global.get $kept)) (local.get $k) (i32.const 5000)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $sum))
)
