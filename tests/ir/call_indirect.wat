;; call_indirect checks, in this order, that the index is inside the table
;; (trap 4, undefined element), that the element is not null (trap 5,
;; uninitialized element) and that the callee's type id equals the expected
;; one (trap 6, indirect call type mismatch) before it calls (-O0).
;; RUN: -O0 => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (func $f (type $t) (local.get 0))
  (elem (i32.const 0) $f)
  (func (export "call") (param $i i32) (result i32)
    (call_indirect (type $t) (i32.const 5) (local.get $i))))

;; CHECK-LABEL: define internal i32 @w2n_f1(
;; CHECK: %table_size{{[0-9]*}} = load i32
;; CHECK: icmp uge i32 %{{[0-9]+}}, %table_size
;; CHECK: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 4, i32 %{{[0-9]+}})
;; CHECK: icmp eq ptr %{{[0-9]+}}, null
;; CHECK: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 5, i32 %{{[0-9]+}})
;; CHECK: %[[GOT:[0-9]+]] = load i32, ptr %{{[0-9]+}}, align 4, !tbaa !{{[0-9]+}}, !invariant.load
;; CHECK: %[[WANT:[0-9]+]] = load i32, ptr %{{[0-9]+}}, align 4, !tbaa !{{[0-9]+}}, !invariant.load
;; CHECK-NEXT: %[[NE:[0-9]+]] = icmp ne i32 %[[GOT]], %[[WANT]]
;; CHECK-NEXT: %[[E:[0-9]+]] = call i1 @llvm.expect.i1(i1 %[[NE]], i1 false)
;; CHECK-NEXT: br i1 %[[E]], label %[[TRAP:trap[0-9]*]], label %[[OK:ok[0-9]*]]
;; CHECK: [[TRAP]]:
;; CHECK: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 6)
;; CHECK-NEXT: unreachable
;; CHECK: [[OK]]:
;; CHECK: call i32 %{{[0-9]+}}(ptr
;; CHECK-LABEL: define internal void @w2n_tramp_0(
