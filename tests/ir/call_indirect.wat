;; call_indirect checks, in this order, that the index is inside the table
;; (trap 4, undefined element), that the element is not null (trap 5,
;; uninitialized element) and that the callee's type matches (trap 6,
;; indirect call type mismatch) before it calls (-O0).  The hot path
;; compares the record's call_id (offset 28) with the expected id and calls;
;; only on a difference does the cold path compare the type_id (offset 24),
;; trap, and send a record without code to the host-call thunk.
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
;; CHECK: %[[REC:[0-9]+]] = load ptr, ptr %{{[0-9]+}}, align 8, !tbaa
;; CHECK-NEXT: icmp eq ptr %[[REC]], null
;; CHECK: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 5, i32 %{{[0-9]+}})
;; CHECK: %[[WANT:[0-9]+]] = load i32, ptr %{{[0-9]+}}, align 4, !tbaa !{{[0-9]+}}, !invariant.load
;; CHECK-NEXT: %[[CADDR:[0-9]+]] = getelementptr i8, ptr %[[REC]], i64 28
;; CHECK-NEXT: %[[CALLID:[0-9]+]] = load i32, ptr %[[CADDR]], align 4, !tbaa !{{[0-9]+}}, !invariant.load
;; CHECK-NEXT: %[[EQ:[0-9]+]] = icmp eq i32 %[[CALLID]], %[[WANT]]
;; CHECK-NEXT: %[[HOT:[0-9]+]] = call i1 @llvm.expect.i1(i1 %[[EQ]], i1 true)
;; CHECK-NEXT: br i1 %[[HOT]], label %native, label %call_checks
;; CHECK: native:
;; CHECK-NEXT: getelementptr i8, ptr %[[REC]], i64 0
;; CHECK-NEXT: %[[CODE:[0-9]+]] = load ptr
;; CHECK: notail call i32 %[[CODE]](ptr
;; CHECK: call_checks:
;; CHECK-NEXT: %[[TADDR:[0-9]+]] = getelementptr i8, ptr %[[REC]], i64 24
;; CHECK-NEXT: %[[GOT:[0-9]+]] = load i32, ptr %[[TADDR]], align 4, !tbaa !{{[0-9]+}}, !invariant.load
;; CHECK-NEXT: %[[NE:[0-9]+]] = icmp ne i32 %[[GOT]], %[[WANT]]
;; CHECK-NEXT: %[[E:[0-9]+]] = call i1 @llvm.expect.i1(i1 %[[NE]], i1 false)
;; CHECK-NEXT: br i1 %[[E]], label %[[TRAP:trap[0-9]*]], label %[[OK:ok[0-9]*]]
;; CHECK: host:
;; CHECK-NEXT: notail call i32 @w2n_hostcall_0(ptr %0, ptr %[[REC]]
;; CHECK: [[TRAP]]:
;; CHECK: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 6)
;; CHECK-NEXT: unreachable
;; CHECK: [[OK]]:
;; CHECK: icmp eq ptr %{{[0-9]+}}, null
;; CHECK: br i1 %{{[0-9]+}}, label %host, label %native
;; CHECK-LABEL: define internal void @w2n_tramp_0(
