;; Exceptions are native unwinding: a call outside any try_table is a plain
;; call, one inside is an invoke whose landing pad dispatches on the tag, and
;; every function of a module with exceptions names the runtime's personality.
;; (no_exceptions.wat: a module without them has neither.)
;; CONVERT: spec-interpreter
;; RUN: -O2 => CHECK
;; RUN: --target=aarch64-linux-gnu -O2 => CHECK
(module
  (import "env" "f" (func $f))
  (tag $e (param i32))
  ;; CHECK-LABEL: define internal void @w2n_f1(ptr {{.*}} personality ptr @w2n_eh_personality
  ;; CHECK-NOT: invoke
  ;; CHECK: call void %{{[0-9]+}}(ptr
  ;; CHECK-NOT: invoke
  ;; CHECK: ret void
  (func $outside (call $f))
  ;; CHECK-LABEL: define internal i32 @w2n_f2(
  ;; CHECK: invoke void %{{[0-9]+}}(ptr
  ;; CHECK: landingpad { ptr, i32 }
  ;; CHECK-NEXT: cleanup
  ;; The tag is compared with vmctx->tags[0] (offset 88).
  ;; CHECK: getelementptr{{( inbounds)?}} i8, ptr %{{[0-9]+}}, i64 88
  ;; CHECK: icmp eq ptr %tag
  (func $inside (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $f))
      (i32.const 0)))
  (export "outside" (func $outside))
  (export "inside" (func $inside))
)
