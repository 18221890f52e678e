;; A table whose minimum equals its maximum (wasm-ld's function table) keeps
;; its size for good, imported or defined: call_indirect and table.get compare
;; the index with that constant instead of loading the size, and the element
;; array, which never moves, is an invariant load (-O0).  A table that may
;; grow (the third) still loads its size.
;; RUN: -O0 => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (import "m" "tab" (table $imp 3 3 funcref))
  (table $own 7 7 funcref)
  (table $grow 2 9 funcref)
  (func $f (type $t) (local.get 0))
  (elem (table $own) (i32.const 0) func $f)
  (func (export "own") (param $i i32) (result i32)
    (call_indirect $own (type $t) (i32.const 5) (local.get $i)))
  (func (export "imp") (param $i i32) (result i32)
    (call_indirect $imp (type $t) (i32.const 5) (local.get $i)))
  (func (export "grow") (param $i i32) (result i32)
    (call_indirect $grow (type $t) (i32.const 5) (local.get $i)))
  (func (export "get") (param $i i32) (result funcref)
    (table.get $own (local.get $i)))
  (func (export "size") (result i32)
    (table.size $imp)))

;; CHECK-LABEL: define internal i32 @w2n_f1(
;; CHECK-NOT: %table_size
;; CHECK: icmp uge i32 %{{[0-9]+}}, 7
;; CHECK: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 4, i32 %{{[0-9]+}})
;; CHECK: %table_elems = load ptr, ptr %{{[0-9]+}}, align 8, !tbaa !{{[0-9]+}}, !invariant.load
;; CHECK-LABEL: define internal i32 @w2n_f2(
;; CHECK-NOT: %table_size
;; CHECK: icmp uge i32 %{{[0-9]+}}, 3
;; CHECK: %table_elems{{[0-9]*}} = load ptr, ptr %{{[0-9]+}}, align 8, !tbaa !{{[0-9]+}}, !invariant.load
;; CHECK-LABEL: define internal i32 @w2n_f3(
;; CHECK: %table_size{{[0-9]*}} = load i32
;; CHECK: icmp uge i32 %{{[0-9]+}}, %table_size
;; CHECK: %table_elems{{[0-9]*}} = load ptr, ptr %{{[0-9]+}}, align 8, !tbaa !{{[0-9]+}}{{$}}
;; CHECK-LABEL: define internal ptr @w2n_f4(
;; CHECK-NOT: %table_size
;; CHECK: icmp uge i32 %{{[0-9]+}}, 7
;; CHECK-LABEL: define internal i32 @w2n_f5(
;; CHECK-NOT: %table_size
;; CHECK: phi i32 [ 3, %entry ]
