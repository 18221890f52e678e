;; binary_trees.wat — binary_trees_malloc.c's algorithm (the benchmarks
;; game's binary-trees) in Wasm GC: nodes are structs of two references,
;; made by struct.new and dropped to the collector.  `run` returns the sum
;; of every check the C programs print (the stretch tree's, each depth's
;; and the long-lived tree's), which benchmarks/gc/run compares with
;; binary_trees_malloc's output.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))

  (func $make (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.gt_s (local.get $depth) (i32.const 0))
      (then
        (struct.new $node (call $make (i32.sub (local.get $depth) (i32.const 1)))
                          (call $make (i32.sub (local.get $depth) (i32.const 1)))))
      (else (struct.new $node (ref.null $node) (ref.null $node)))))

  (func $check (param $n (ref $node)) (result i32)
    (local $left (ref null $node))
    (local.set $left (struct.get $node $left (local.get $n)))
    (if (result i32) (ref.is_null (local.get $left))
      (then (i32.const 1))
      (else
        (i32.add (i32.const 1)
          (i32.add (call $check (ref.as_non_null (local.get $left)))
                   (call $check (ref.as_non_null (struct.get $node $right (local.get $n)))))))))

  (func (export "run") (param $max i32) (result i64)
    (local $long (ref null $node)) (local $d i32) (local $iterations i32) (local $i i32)
    (local $sum i64) (local $total i64)
    (if (i32.lt_s (local.get $max) (i32.const 6)) (then (local.set $max (i32.const 6))))
    (local.set $total (i64.extend_i32_u
      (call $check (call $make (i32.add (local.get $max) (i32.const 1))))))
    (local.set $long (call $make (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_s (local.get $d) (local.get $max)))
        (local.set $iterations
          (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
        (local.set $sum (i64.const 0))
        (local.set $i (i32.const 0))
        (loop $trees
          (local.set $sum (i64.add (local.get $sum)
            (i64.extend_i32_u (call $check (call $make (local.get $d))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $trees (i32.lt_s (local.get $i) (local.get $iterations))))
        (local.set $total (i64.add (local.get $total) (local.get $sum)))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $depths)))
    (i64.add (local.get $total)
      (i64.extend_i32_u (call $check (ref.as_non_null (local.get $long))))))
)
