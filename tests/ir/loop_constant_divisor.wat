;; In guard mode only loops that LLVM could vectorise are versioned
;; (compiler/loops/loop_version.c): none that may leave early, and an
;; instruction that may trap leaves.  A division or remainder by a constant
;; other than 0 and -1 never traps, so a loop that fills a row with
;; `(i * 7 + j) % 17`, as gemm_rows' fill does, is versioned and its fast
;; version vectorised; one that divides by a run-time value is not.
;; RUN: -O2 => CONST
;; RUN: -O2 --bounds-checks=explicit => CONST
;; RUN-VERSIONED: -O2 => VARIABLE
(module
  (memory 1)
  (func (export "fill") (param $row i32) (param $i i32) (param $n i32)
    (local $j i32)
    (loop $next
      (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))
        (f64.convert_i32_u
          (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 7)) (local.get $j))
                     (i32.const 17))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $j) (local.get $n)))))
  (func (export "fill_by") (param $row i32) (param $d i32) (param $n i32)
    (local $j i32)
    (loop $next
      (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))
        (f64.convert_i32_u (i32.rem_u (local.get $j) (local.get $d))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $j) (local.get $n))))))

;; CONST-LABEL: define internal void @w2n_f0(
;; CONST: urem <{{[0-9]+}} x i32>
;; CONST: store <{{[0-9]+}} x double>
;; CONST-LABEL: define internal void @w2n_f1(

;; VARIABLE-LABEL: define internal void @w2n_f1(
;; VARIABLE-NOT: fast_entry:
;; VARIABLE: ret void
