;; Loop versioning proves groups of accesses apart (compiler/loops/loop_alias.c,
;; docs/performance.md "Loop shapes with run-time sizes"): accesses that differ
;; by a constant and step alike are one group; the version that runs when the
;; range check also proves each storing group apart from the others declares
;; one alias scope per group, declared at its entry.
;; "update", a row updated from a cell and another row, unrolled by two as
;; clang emits it for wasm32: the cell is loaded once before the loop and the
;; loop is vectorised with no run-time alias check of LLVM's (found.conflict),
;; which would always fail between c[2j] and c[2j+1].  "reduce", a reduction
;; into a memory cell over a row and a column: the cell lives in a register,
;; loaded before the loop and stored after it.
;; RUN: -O2 => UPDATE CELL
;; RUN: -O2 --bounds-checks=explicit => UPDATE CELL
(module
  (memory 1)
  (func (export "update") (param $c i32) (param $b i32) (param $a i32) (param $n i32)
    (local $j i32) (local $cj i32) (local $bj i32)
    (loop $next
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
      (f64.store (local.get $cj)
        (f64.add (f64.load (local.get $cj))
                 (f64.mul (f64.load (local.get $a)) (f64.load (local.get $bj)))))
      (f64.store offset=8 (local.get $cj)
        (f64.add (f64.load offset=8 (local.get $cj))
                 (f64.mul (f64.load (local.get $a)) (f64.load offset=8 (local.get $bj)))))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br_if $next (i32.lt_u (local.get $j) (local.get $n)))))
  (func (export "reduce") (param $cell i32) (param $row i32) (param $col i32) (param $stride i32) (param $n i32)
    (local $k i32)
    (loop $next
      (f64.store (local.get $cell)
        (f64.sub (f64.load (local.get $cell))
                 (f64.mul (f64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))
                          (f64.load (i32.add (local.get $col) (i32.mul (local.get $k) (i32.const 64)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $n))))))

;; UPDATE-LABEL: define internal void @w2n_f0(
;; UPDATE: {{^}}fast_apart_entry:
;; UPDATE-NEXT: call void @llvm.experimental.noalias.scope.decl(
;; UPDATE: load double, ptr %{{[0-9]+}}, {{.*}}!alias.scope
;; UPDATE: br label %[[LOOP:loop[0-9]+]]
;; UPDATE: {{^}}[[LOOP]]:
;; UPDATE-NOT: {{volatile|found.conflict|label %trap|mem_size}}
;; UPDATE: load <2 x double>, {{.*}}!alias.scope
;; UPDATE-NOT: {{volatile|found.conflict|label %trap|mem_size}}
;; UPDATE: store <2 x double> %{{[0-9]+}}, {{.*}}!alias.scope
;; UPDATE-NOT: {{volatile|found.conflict|label %trap|mem_size}}
;; UPDATE: br i1 %{{[0-9]+}}, label %[[LOOP]], label %loop_join

;; CELL-LABEL: define internal void @w2n_f1(
;; CELL: {{^}}fast_apart_entry:
;; CELL-NEXT: call void @llvm.experimental.noalias.scope.decl(
;; CELL: %.promoted{{[0-9]*}} = load double, ptr %[[CELL:[0-9]+]], {{.*}}!alias.scope
;; CELL: br label %[[LOOP:loop[0-9]+]]
;; CELL: {{^}}[[LOOP]]:
;; CELL-NOT: {{store|volatile|label %trap|mem_size}}
;; CELL: br i1 %{{.*}}, label %[[LOOP]]{{$}}
;; CELL: store double %{{.*}}, ptr %[[CELL]], {{.*}}!alias.scope
;; CELL-LABEL: define internal void @w2n_tramp_0(
