;; A global the module defines is read and written right after the vmctx
;; (ABI 6.6, W2N_VMCTX_DEFINED_GLOBALS = 112, 16 bytes each in order): one
;; address computed from the vmctx, no load of vmctx->globals (offset 56)
;; and of the global's pointer first.  An imported global is still the
;; exporter's, through that array.  An immutable one is an invariant load.
;; RUN: -O2 => CHECK
;; RUN: -O2 --bounds-checks=explicit => CHECK
;; RUN: -O2 --target=aarch64-linux-gnu => CHECK
(module
  (global $imp (import "env" "g") (mut i32))
  (global $sp (mut i32) (i32.const 1024))
  (global $k i64 (i64.const 7))
  (global $v (mut f64) (f64.const 0))
  (func (export "frame") (result i32) (local $p i32)
    (local.set $p (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get $p))
    (local.get $p))
  (func (export "third") (param f64) (global.set $v (local.get 0)))
  (func (export "constant") (result i64) (global.get $k))
  (func (export "imported") (result i32) (global.get $imp)))

;; CHECK-LABEL: define internal i32 @w2n_f0(ptr
;; CHECK-NOT: i64 56
;; CHECK: %[[SP:[0-9]+]] = getelementptr inbounds i8, ptr %0, i64 112
;; CHECK-NEXT: %[[OLD:[0-9]+]] = load i32, ptr %[[SP]]
;; CHECK-NOT: i64 56
;; CHECK: store {{.*}}i32 %{{[0-9]+}}, ptr %[[SP]]
;; CHECK-NOT: i64 56
;; CHECK: ret i32
;; CHECK-LABEL: define internal void @w2n_f1(ptr
;; CHECK: getelementptr inbounds i8, ptr %0, i64 144
;; CHECK-NEXT: store {{.*}}double %1
;; CHECK-LABEL: define internal i64 @w2n_f2(ptr
;; CHECK: getelementptr inbounds i8, ptr %0, i64 128
;; CHECK-NEXT: load i64, {{.*}}!invariant.load
;; CHECK-LABEL: define internal i32 @w2n_f3(ptr
;; CHECK: getelementptr inbounds i8, ptr %0, i64 56
;; CHECK-NEXT: %[[ARR:[0-9]+]] = load ptr
;; CHECK-NEXT: %[[CELL:[0-9]+]] = load ptr, ptr %[[ARR]]
;; CHECK-NEXT: load i32, ptr %[[CELL]]
