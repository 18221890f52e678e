;; call_ref checks only that the reference is not null (trap 17, null
;; function reference): validation proved the callee's type, so no type id is
;; compared; then it calls the record's code with the record's vmctx, or the
;; host-call thunk for a record without code (-O0).
;; CONVERT: spec-interpreter
;; RUN: -O0 => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (func $f (type $t) (local.get 0))
  (elem declare func $f)
  (func (export "call") (param $i i32) (result i32)
    (call_ref $t (local.get $i) (ref.func $f))))

;; CHECK-LABEL: define internal i32 @w2n_f1(
;; CHECK: ok:
;; CHECK: %[[REC:[0-9]+]] = load ptr, ptr %{{[0-9]+}}, align 8, !tbaa !{{[0-9]+}}, !invariant.load !{{[0-9]+}}{{$}}
;; CHECK-NEXT: %[[NULL:[0-9]+]] = icmp eq ptr %[[REC]], null
;; CHECK-NEXT: %[[E:[0-9]+]] = call i1 @llvm.expect.i1(i1 %[[NULL]], i1 false)
;; CHECK-NEXT: br i1 %[[E]], label %[[TRAP:trap[0-9]*]], label %[[OK:ok[0-9]*]]
;; CHECK: [[TRAP]]:
;; CHECK: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 17)
;; CHECK-NEXT: unreachable
;; CHECK: [[OK]]:
;; CHECK-NOT: icmp ne i32
;; CHECK: load ptr, ptr %{{[0-9]+}}, align 8
;; CHECK: br i1 %{{[0-9]+}}, label %host, label %native
;; CHECK: native:
;; CHECK: %[[CODE:[0-9]+]] = load ptr
;; CHECK: %[[VMCTX:[0-9]+]] = load ptr
;; CHECK-NEXT: notail call i32 %[[CODE]](ptr %[[VMCTX]], i32 %{{[0-9]+}})
;; CHECK: host:
;; CHECK-NEXT: notail call i32 @w2n_hostcall_0(ptr %0, ptr %[[REC]], i32 %{{[0-9]+}})
;; CHECK-LABEL: define internal i32 @w2n_hostcall_0(
