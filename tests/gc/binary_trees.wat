;; binary_trees.wat — the older benchmarks game's binary trees, whose nodes
;; carry an item (left 2i-1, right 2i), so a check reads every field: a
;; small tree kept alive throughout, and `rounds` trees of `depth` built,
;; checked and dropped.  In a tiny heap each collection finds a tree half
;; built on the stack of recursive calls: the roots of compiled frames.
(module
  (type $node (struct (field $item i32) (field $left (ref null $node))
                      (field $right (ref null $node))))

  (func $make (param $item i32) (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $depth))
      (then (struct.new $node (local.get $item) (ref.null $node) (ref.null $node)))
      (else
        (struct.new $node (local.get $item)
          (call $make (i32.sub (i32.shl (local.get $item) (i32.const 1)) (i32.const 1))
                      (i32.sub (local.get $depth) (i32.const 1)))
          (call $make (i32.shl (local.get $item) (i32.const 1))
                      (i32.sub (local.get $depth) (i32.const 1)))))))

  ;; item + check(left) - check(right), and every node's children both
  ;; present or both absent.
  (func $check (param $n (ref $node)) (result i32)
    (local $left (ref null $node)) (local $right (ref null $node))
    (local.set $left (struct.get $node $left (local.get $n)))
    (local.set $right (struct.get $node $right (local.get $n)))
    (if (i32.ne (ref.is_null (local.get $left)) (ref.is_null (local.get $right)))
      (then unreachable))
    (if (result i32) (ref.is_null (local.get $left))
      (then (struct.get $node $item (local.get $n)))
      (else
        (i32.sub
          (i32.add (struct.get $node $item (local.get $n))
                   (call $check (ref.as_non_null (local.get $left))))
          (call $check (ref.as_non_null (local.get $right)))))))

  (func $count (param $n (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
        (i32.add (call $count (struct.get $node $left (local.get $n)))
                 (call $count (struct.get $node $right (local.get $n))))))))

  (func (export "run") (param $rounds i32) (param $depth i32) (param $keep_depth i32)
                       (result i64)
    (local $keep (ref null $node)) (local $t (ref null $node)) (local $r i32) (local $sum i64)
    (local.set $keep (call $make (i32.const 0) (local.get $keep_depth)))
    (loop $round
      (local.set $t (call $make (local.get $r) (local.get $depth)))
      (local.set $sum (i64.add (local.get $sum)
        (i64.extend_i32_s (call $check (ref.as_non_null (local.get $t))))))
      (local.set $sum (i64.add (local.get $sum)
        (i64.extend_i32_u (call $count (local.get $t)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (i64.add (i64.mul (local.get $sum) (i64.const 1000))
      (i64.extend_i32_s (call $check (ref.as_non_null (local.get $keep))))))
)
