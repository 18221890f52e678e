;; Binary trees (benchmarks/gc/): the C API and malloc versions' algorithm in
;; Wasm GC, compiled: `run MAX` makes a stretch tree of MAX + 1, a long-lived
;; tree of MAX, then 2^(MAX - d + 4) trees of each depth d = 4, 6, ... MAX, and
;; returns the sum of their node counts.  Assemble with the reference
;; interpreter (wasm -d), compile with --wasm-features=+gc (docs/gc.md).
(module
  (type $node (struct (field (ref null $node)) (field (ref null $node))))
  (func $make (param $d i32) (result (ref $node))
    (if (result (ref $node)) (local.get $d)
      (then (struct.new $node (call $make (i32.sub (local.get $d) (i32.const 1)))
                              (call $make (i32.sub (local.get $d) (i32.const 1)))))
      (else (struct.new $node (ref.null $node) (ref.null $node)))))
  (func $check (param $t (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (struct.get $node 0 (local.get $t)))
      (then (i32.const 1))
      (else (i32.add (i32.const 1)
              (i32.add (call $check (struct.get $node 0 (local.get $t)))
                       (call $check (struct.get $node 1 (local.get $t))))))))
  (func (export "run") (param $max i32) (result i32)
    (local $long (ref null $node)) (local $d i32) (local $i i32) (local $n i32) (local $sum i32)
    (local.set $sum (call $check (call $make (i32.add (local.get $max) (i32.const 1)))))
    (local.set $long (call $make (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done (loop $outer
      (br_if $done (i32.gt_s (local.get $d) (local.get $max)))
      (local.set $n (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
      (local.set $i (i32.const 0))
      (block $b (loop $inner
        (br_if $b (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $check (call $make (local.get $d)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $inner)))
      (local.set $d (i32.add (local.get $d) (i32.const 2)))
      (br $outer)))
    (i32.add (local.get $sum) (call $check (local.get $long)))))
