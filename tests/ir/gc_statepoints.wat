;; A module that uses GC references (--wasm-features=+gc): its functions
;; get the statepoint strategy, references are ptr addrspace(1), and after
;; the optimisation passes each call that can collect (here the
;; any.convert_extern helper, which allocates a box) is a gc.statepoint
;; listing the live references, which are reloaded through gc.relocate
;; after it: the box kept in $box across the second allocation is the
;; relocated value, not the first call's result.  The trap helper cannot
;; collect: it stays a plain call.  ref.i31 and i31.get_s are integer
;; arithmetic.  struct.new bumps the store's allocation window inline
;; (vmctx->gc at 96: top, end) and stores the descriptor (vmctx->gc_types at
;; 104); only when the object does not fit does it call helpers->gc_alloc,
;; a statepoint that relocates the field value held across it.
;; CONVERT: spec-interpreter
;; RUN: --wasm-features=+gc -O2 => CHECK I31 ALLOC
(module
  (type $p (struct (field i32) (field (ref null $p))))
  (global $g (mut anyref) (ref.null any))
  (func (export "keep") (param $e externref) (result externref)
    (local $box anyref)
    (local.set $box (any.convert_extern (local.get $e)))
    (global.set $g (any.convert_extern (local.get $e)))
    (extern.convert_any (local.get $box)))
  (func (export "i31") (param i32) (result i32)
    (i31.get_s (ref.i31 (local.get 0))))
  (func (export "null_i31") (param i31ref) (result i32)
    (i31.get_u (local.get 0)))
  (func (export "cons") (param $v i32) (param $next (ref null $p)) (result (ref $p))
    (struct.new $p (local.get $v) (local.get $next))))

;; CHECK-LABEL: define internal ptr addrspace(1) @w2n_f0(ptr {{[^%]*}}%0, ptr addrspace(1) %1) {{.*}} gc "statepoint-example"
;; CHECK: %[[T1:statepoint_token[0-9]*]] = {{.*}}@llvm.experimental.gc.statepoint.p0({{.*}}[ "gc-live"(ptr addrspace(1) %1) ]
;; CHECK-NEXT: %[[BOX:[0-9]+]] = call ptr addrspace(1) @llvm.experimental.gc.result.p1(token %[[T1]])
;; CHECK: %[[T2:statepoint_token[0-9]*]] = {{.*}}@llvm.experimental.gc.statepoint.p0({{.*}}[ "gc-live"(ptr addrspace(1) %[[BOX]]
;; CHECK: %[[MOVED:[0-9]+]] = call coldcc ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %[[T2]], i32 0, i32 0) ; (%[[BOX]], %[[BOX]])
;; CHECK: @llvm.experimental.gc.statepoint.p0({{.*}}ptr addrspace(1) %[[MOVED]]
;; CHECK: ret ptr addrspace(1)

;; I31-LABEL: define internal {{.*}}i32 @w2n_f1(ptr {{[^%]*}}nocapture{{[^%]*}}%0, i32 %1) {{.*}} gc "statepoint-example"
;; I31-NEXT: entry:
;; I31-NEXT: shl i32 %1, 1
;; I31-NEXT: ashr exact i32 %{{[0-9]+}}, 1
;; I31-NEXT: ret i32
;; I31-LABEL: define internal {{.*}}i32 @w2n_f2(
;; I31-NOT: gc.statepoint
;; I31: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 {{[0-9]+}}) #[[LEAF:[0-9]+]]
;; I31: attributes #[[LEAF]] = {{{.*}}"gc-leaf-function"
;; ALLOC-LABEL: define internal ptr addrspace(1) @w2n_f3(ptr {{[^%]*}}%0, i32 %1, ptr addrspace(1) %2)
;; ALLOC: %[[GC:[0-9]+]] = getelementptr{{( inbounds)?}} i8, ptr %0, i64 96
;; ALLOC: %[[WIN:[0-9]+]] = load ptr, ptr %[[GC]]
;; ALLOC: %[[TOP:[0-9]+]] = load ptr addrspace(1), ptr %[[WIN]]
;; ALLOC: %[[END:[0-9]+]] = load ptr addrspace(1), ptr
;; ALLOC: %[[NEXT:[0-9]+]] = getelementptr i8, ptr addrspace(1) %[[TOP]], i64 24
;; ALLOC: icmp ugt ptr addrspace(1) %[[NEXT]], %[[END]]
;; ALLOC: alloc_fast:
;; ALLOC-NEXT: store ptr addrspace(1) %[[NEXT]], ptr %[[WIN]]
;; ALLOC-NEXT: store ptr %{{[0-9]+}}, ptr addrspace(1) %[[TOP]]
;; ALLOC: alloc_slow:
;; ALLOC: @llvm.experimental.gc.statepoint.p0({{.*}}[ "gc-live"(ptr addrspace(1) %2) ]
;; ALLOC: alloc_done:
;; ALLOC: %obj = phi ptr addrspace(1) [ %[[TOP]], %alloc_fast ]
