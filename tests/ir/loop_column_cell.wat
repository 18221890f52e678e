;; A reduction into a memory cell over a row and a column whose step is a
;; run-time row width: LU's inner loop `a[i][j] -= a[i][k] * a[k][j]` as clang
;; emits it for wasm32, the column address a local that adds the width on
;; every iteration.  In both bounds modes the version that proves the groups
;; apart covers the column (its range ordered by the step's sign), so LLVM
;; keeps the cell in a register: loaded before the loop, stored after it.
;; Guard mode used to leave the column a guard-page access and get no proof,
;; and stored the cell on every iteration, which cost LU 1.4 x native's time
;; on AMD Zen 5 (docs/performance.md, "lu in guard mode on AMD (session 14)").
;; RUN: -O2 => CELL
;; RUN: -O2 --bounds-checks=explicit => CELL
(module
  (memory 1)
  (func (export "column") (param $cell i32) (param $row i32) (param $col i32) (param $width i32) (param $n i32)
    (local $k i32)
    (loop $next
      (f64.store (local.get $cell)
        (f64.sub (f64.load (local.get $cell))
                 (f64.mul (f64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))
                          (f64.load (local.get $col)))))
      (local.set $col (i32.add (local.get $col) (local.get $width)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $n))))))

;; CELL-LABEL: define internal void @w2n_f0(
;; CELL: {{^}}fast_apart_entry:
;; CELL-NEXT: call void @llvm.experimental.noalias.scope.decl(
;; CELL: %.promoted{{[0-9]*}} = load double, ptr %[[CELL:[0-9]+]], {{.*}}!alias.scope
;; CELL: br label %[[LOOP:loop[0-9]+]]
;; CELL: {{^}}[[LOOP]]:
;; CELL-NOT: {{store|volatile|label %trap|mem_size}}
;; CELL: br i1 %{{.*}}, label %[[LOOP]]{{$}}
;; CELL: store double %{{.*}}, ptr %[[CELL]], {{.*}}!alias.scope
;; CELL-LABEL: define internal void @w2n_tramp_0(
