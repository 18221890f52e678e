;; The check of a fast loop version that proves its groups of accesses apart
;; is made once for all iterations of the loop around it
;; (compiler/loops/loop_hoist.c, docs/performance.md "gemm_rows: the check
;; on every entry"): gemm's row update, `for k: for j: c[j] += a[k] *
;; b[k][j]`, b's rows a run-time stride apart.  The hull over every k is
;; checked before the k loop (LLVM hoists it: no comparison is left in the
;; k loop's header before the branch to the version), the inner check
;; follows in `apart_check` when it fails.  With a triangular inner bound
;; (j < k) the inner trip count changes with k: no hoisted check.
;; RUN: -O2 => ROWS
;; RUN: -O2 --bounds-checks=explicit => ROWS
;; RUN-VERSIONED: -O2 => TRIANGLE
(module
  (memory 1)
  (func (export "rows") (param $c i32) (param $b i32) (param $a i32) (param $n i32)
        (param $m i32) (param $stride i32) (result i64)
    (local $k i32) (local $j i32) (local $cj i32) (local $bj i32) (local $ak i32)
    (local $bk i32) (local $s i64)
    (local.set $bk (local.get $b))
    (loop $outer
      (local.set $ak (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3))))
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $bj (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 3))))
        (i64.store (local.get $cj) (i64.add (i64.load (local.get $cj))
          (i64.mul (i64.load (local.get $ak)) (i64.load (local.get $bj)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $s (i64.add (local.get $s) (i64.load (local.get $c))))
      (local.set $bk (i32.add (local.get $bk) (local.get $stride)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $k) (local.get $m))))
    (local.get $s))
  (func (export "triangle") (param $c i32) (param $b i32) (param $a i32) (param $m i32)
    (local $k i32) (local $j i32) (local $cj i32)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
        (i64.store (local.get $cj) (i64.add (i64.load (local.get $cj))
          (i64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.le_u (local.get $j) (local.get $k))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $k) (local.get $m))))))

;; ROWS-LABEL: define internal i64 @w2n_f0(
;; ROWS: {{^}}loop:
;; ROWS-NOT: {{icmp|^[a-z_0-9.]+:}}
;; ROWS: br i1 %{{[0-9]+}}, label %fast_apart_entry, label %apart_check
;; ROWS: {{^}}apart_check:
;; ROWS: br i1 %{{[0-9]+}}, label %fast_apart_entry, label %fast_choice

;; TRIANGLE-LABEL: define internal void @w2n_f1(
;; TRIANGLE: fast_apart_entry
;; TRIANGLE-NOT: apart_check
;; TRIANGLE: ret void
