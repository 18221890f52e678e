;; br_table lowers to one LLVM switch on the index (-O0: the lowering's shape):
;; a case per listed label, in order, the default label as the switch's own,
;; each through an edge block to the label's continuation.
;; RUN: -O0 => CHECK
(module
  (func (export "pick") (param $i i32) (result i32)
    (block $c2 (block $c1 (block $c0
      (br_table $c0 $c1 $c0 $c2 (local.get $i)))
      (return (i32.const 10)))
      (return (i32.const 11)))
    (i32.const 12)))

;; CHECK-LABEL: define internal i32 @w2n_f0(
;; CHECK: switch i32 %{{[0-9]+}}, label %[[DEFAULT:br_table_edge[0-9]*]] [
;; CHECK-NEXT: i32 0, label %[[C0:br_table_edge[0-9]*]]
;; CHECK-NEXT: i32 1, label %[[C1:br_table_edge[0-9]*]]
;; CHECK-NEXT: i32 2, label %[[C0]]
;; CHECK-NEXT: ]
;; CHECK-NOT: br i1
;; CHECK: [[C0]]:
;; CHECK-NEXT: br label %block_end
;; CHECK: [[C1]]:
;; CHECK-NEXT: br label %block_end
;; CHECK: [[DEFAULT]]:
;; CHECK-NEXT: br label %block_end
