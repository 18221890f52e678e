;; Tail calls in a module that uses GC (--wasm-features=+gc) stay tail calls:
;; LLVM 19's rewrite-statepoints-for-gc makes every call it rewrites an
;; ordinary one, so return_call, return_call_indirect and return_call_ref
;; are marked "gc-leaf-function" and stay out of it (lower_call.c).  The
;; caller holds no reference after a tail call, and the callee's own
;; statepoints root the arguments it keeps, so the collector loses nothing.
;; The allocation before each tail call is still a statepoint relocating the
;; reference held across it.  tests/tailcall/gc_tail_call.sh runs 10^7 of
;; them in constant stack while the collector runs.
;; CONVERT: spec-interpreter
;; RUN: --wasm-features=+gc -O0 => CHECK
;; RUN: --wasm-features=+gc -O2 => CHECK
(module
  (type $node (struct (field i32) (field (ref null $node))))
  (type $step (func (param i32 (ref null $node)) (result i32)))
  (table $t 1 funcref)
  (elem (table $t) (i32.const 0) func $direct)
  (elem declare func $direct)
  (func $direct (type $step)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $by_table (i32.sub (local.get 0) (i32.const 1))
              (struct.new $node (local.get 0) (local.get 1))))))
  (func $by_table (type $step)
    (return_call_indirect $t (type $step) (local.get 0)
      (struct.new $node (local.get 0) (local.get 1)) (i32.const 0)))
  (func $by_ref (export "by_ref") (type $step)
    (return_call_ref $step (local.get 0)
      (struct.new $node (local.get 0) (local.get 1)) (ref.func $direct))))

;; CHECK-LABEL: define internal i32 @w2n_f0({{.*}} gc "statepoint-example"
;; CHECK: gc.statepoint
;; CHECK: musttail call i32 @w2n_f1({{.*}}) #{{[0-9]+}}
;; CHECK-NEXT: ret i32
;; CHECK-LABEL: define internal i32 @w2n_f1({{.*}} gc "statepoint-example"
;; CHECK: gc.statepoint
;; CHECK: musttail call i32 %{{.*}}({{.*}}) #{{[0-9]+}}
;; CHECK-NEXT: ret i32
;; CHECK-LABEL: define internal i32 @w2n_f2({{.*}} gc "statepoint-example"
;; CHECK: gc.statepoint
;; CHECK: musttail call i32 %{{.*}}({{.*}}) #{{[0-9]+}}
;; CHECK-NEXT: ret i32
;; CHECK: attributes #{{[0-9]+}} = { {{.*}}"gc-leaf-function"{{.*}} }
