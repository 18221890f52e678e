;; Arrays from and into segments (--wasm-features=+gc): array.new_data
;; calls helpers->gc_array_new_data (entry 23 of w2n_helpers, offset 184),
;; which allocates and so may collect: the call is a gc.statepoint and the
;; reference kept across it comes back through gc.relocate.  array.init_data
;; and array.init_elem (entries 25 and 26) never allocate: plain calls,
;; after the null check the code makes itself (trap 24, "null array
;; reference"), with the array passed as it is, the reference returned
;; after them not relocated.
;; CONVERT: spec-interpreter
;; RUN: --wasm-features=+gc -O2 => CHECK INIT
(module
  (type $bytes (array (mut i8)))
  (type $refs (array (mut anyref)))
  (data $d "\01\02\03\04")
  (elem $e anyref (item (ref.i31 (i32.const 1))))
  (func (export "make") (param $keep anyref) (param $n i32) (result anyref)
    (drop (array.new_data $bytes $d (i32.const 0) (local.get $n)))
    (local.get $keep))
  (func (export "fill") (param $a (ref null $bytes)) (param $r (ref null $refs)) (result anyref)
    (array.init_data $bytes $d (local.get $a) (i32.const 0) (i32.const 0) (i32.const 2))
    (array.init_elem $refs $e (local.get $r) (i32.const 0) (i32.const 0) (i32.const 1))
    (local.get $r)))

;; CHECK-LABEL: define internal ptr addrspace(1) @w2n_f0(ptr {{[^%]*}}%0, ptr addrspace(1) {{.*}}%1, i32 %2) {{.*}} gc "statepoint-example"
;; CHECK: %[[SLOT:[0-9]+]] = getelementptr i8, ptr %{{[0-9]+}}, i64 184
;; CHECK-NEXT: %[[NEW:[0-9]+]] = load ptr, ptr %[[SLOT]]
;; CHECK-NEXT: %[[T:statepoint_token[0-9]*]] = {{.*}}@llvm.experimental.gc.statepoint.p0({{.*}} %[[NEW]], i32 5, i32 0, ptr {{(nonnull )?}}%0, i32 0, i32 0, i32 0, i32 %2, {{.*}}[ "gc-live"(ptr addrspace(1) %1) ]
;; CHECK-NEXT: %[[KEPT:[0-9]+]] = call coldcc ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %[[T]], i32 0, i32 0)
;; CHECK-NEXT: ret ptr addrspace(1) %[[KEPT]]

;; INIT-LABEL: define internal ptr addrspace(1) @w2n_f1({{.*}} gc "statepoint-example" {
;; INIT-NOT: gc.statepoint
;; INIT: call void %{{[0-9]+}}(ptr nonnull %0, i32 24)
;; INIT-NOT: gc.statepoint
;; INIT: getelementptr i8, ptr %{{.*}}, i64 200
;; INIT-NOT: gc.statepoint
;; INIT: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 0, i32 0, ptr addrspace(1) nonnull %1, i32 0, i32 0, i32 2)
;; INIT-NOT: gc.statepoint
;; INIT: getelementptr i8, ptr %{{.*}}, i64 208
;; INIT-NOT: gc.statepoint
;; INIT: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 1, i32 0, ptr addrspace(1) nonnull %2, i32 0, i32 0, i32 1)
;; INIT-NOT: gc.statepoint
;; INIT: ret ptr addrspace(1) %2
;; INIT-NEXT: }
