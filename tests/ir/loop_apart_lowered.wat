;; The version of a loop that proves its groups of accesses apart
;; (compiler/loops/loop_version.c, loop_alias.c) is lowered only where it can
;; be kept: two accesses or more, one of which may write.  A loop that only
;; loads, or touches memory once, gets two versions, not three of which one
;; is dropped after it was built (jieba: 13 % of its compile time).  The
;; IR is matched as loop versioning leaves it, before LLVM removes dead code.
;; RUN-VERSIONED: -O2 => LOADS STORES
;; RUN-VERSIONED: -O2 --bounds-checks=explicit => LOADS STORES
(module
  (memory 1)
  ;; LOADS-LABEL: @w2n_f0(
  ;; LOADS: fast_entry:
  ;; LOADS: slow_entry:
  ;; LOADS-NOT: fast_apart_entry:
  ;; LOADS: @w2n_f1(
  (func (export "sum") (param $row i32) (param $n i32) (result i64)
    (local $k i32) (local $s i64)
    (loop $l
      (local.set $s (i64.add (local.get $s)
        (i64.add (i64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))
                 (i64.load offset=8 (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br_if $l (i32.lt_u (local.get $k) (local.get $n))))
    (local.get $s))
  ;; STORES-LABEL: @w2n_f1(
  ;; STORES: fast_entry:
  ;; STORES: slow_entry:
  ;; STORES: fast_apart_entry:
  ;; STORES-LABEL: @w2n_f2(
  ;; STORES-NOT: fast_apart_entry:
  (func (export "scale") (param $c i32) (param $b i32) (param $n i32)
    (local $j i32) (local $cj i32)
    (loop $l
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
      (f64.store (local.get $cj)
        (f64.mul (f64.load (local.get $cj))
                 (f64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $n)))))
  ;; One access: nothing to prove apart.
  (func (export "clear") (param $c i32) (param $n i32)
    (local $j i32)
    (loop $l
      (i64.store (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))) (i64.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $n))))))
