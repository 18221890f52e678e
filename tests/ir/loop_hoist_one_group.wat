;; In explicit mode, no hull check over the outer loop when only one group
;; of the inner loop's accesses moves with it (compiler/loops/loop_hoist.c;
;; docs/performance.md "matmul: no hull for one moving group in explicit
;; mode"): matmul's `for k: aik = a[k];
;; for j: c[j] += aik * b[k][j]`, c's row fixed in k, a[k] read outside
;; the inner loop.  The entry's check is then b's bound alone (c's, fixed in
;; k, LLVM hoists itself); a hull saved a compare there and moved matmul's
;; register allocation (+3 % CPU time).  So the version that proves the
;; groups apart is entered from its own check, with no `apart_check` block
;; behind a hull.  Guard mode keeps the hull: there LLVM left c's compare in
;; the k loop, and the hull saves it.  (tests/ir/loop_hoist.wat: two moving
;; groups, the cell a[k] read inside the inner loop, get the hull in both.)
;; RUN: -O2 --bounds-checks=explicit => ONE
;; RUN: -O2 => HULL
(module
  (memory 1)
  (func (export "rows") (param $c i32) (param $b i32) (param $a i32) (param $n i32)
        (param $m i32) (param $stride i32) (result i64)
    (local $k i32) (local $j i32) (local $cj i32) (local $bj i32) (local $ak i64)
    (local $bk i32) (local $s i64)
    (local.set $bk (local.get $b))
    (loop $outer
      (local.set $ak (i64.load (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $bj (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 3))))
        (i64.store (local.get $cj) (i64.add (i64.load (local.get $cj))
          (i64.mul (local.get $ak) (i64.load (local.get $bj)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $s (i64.add (local.get $s) (i64.load (local.get $c))))
      (local.set $bk (i32.add (local.get $bk) (local.get $stride)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $k) (local.get $m))))
    (local.get $s)))

;; ONE-LABEL: define internal i64 @w2n_f0(
;; ONE: fast_apart_entry
;; ONE-NOT: apart_check
;; ONE: ret i64

;; HULL-LABEL: define internal i64 @w2n_f0(
;; HULL: br i1 %{{[0-9]+}}, label %fast_apart_entry, label %apart_check
;; HULL: {{^}}apart_check:
