;; The legacy try (lower_exception_legacy.c), -O0: a call inside the try's
;; body is an invoke to its landing pad, one outside is a plain call; the
;; dispatch tests the tag for `catch $e`, whose body loads the payload, gives
;; the exception back at once (no rethrow names it) and calls plainly;
;; catch_all, which a rethrow names, keeps the exception: it is given back
;; on the br_if edge that leaves the catch body, and rethrown (the throw
;; helper, noreturn) on the other.
;; RUN: -O0 => CHECK
(module
  (func $f (import "m" "f"))
  (tag $e (param i32))
  (func (export "handlers") (param $x i32) (result i32)
    (call $f)
    (try (result i32)
      (do (call $f) (i32.const 1))
      (catch $e
        (call $f))
      (catch_all
        (br_if 1 (i32.const 2) (local.get $x))
        (rethrow 0)))))

;; CHECK-LABEL: define internal i32 @w2n_f1(
;; CHECK-SAME: personality ptr @w2n_eh_personality
;; CHECK: notail call void %{{[0-9]+}}(ptr %{{[0-9]+}})
;; CHECK-NOT: call
;; CHECK: invoke void %{{[0-9]+}}(ptr %{{[0-9]+}})
;; CHECK-NEXT: to label %invoke_cont unwind label %landing_pad
;; CHECK: {{^}}dispatch:
;; CHECK-NEXT: %exn = phi ptr [ %exn1, %landing_pad ]
;; CHECK: %tag = load ptr
;; CHECK: br i1 %{{[0-9]+}}, label %catch, label %no_match
;; CHECK: {{^}}landing_pad:
;; CHECK-NEXT: landingpad
;; CHECK: {{^}}catch:
;; CHECK: load i32, ptr %{{[0-9]+}}
;; CHECK: call void %{{[0-9]+}}(ptr %0, ptr %exn){{$}}
;; CHECK-NOT: invoke
;; CHECK: notail call void %{{[0-9]+}}(ptr %{{[0-9]+}})
;; CHECK: {{^}}no_match:
;; CHECK-NEXT: br label %catch2
;; CHECK: {{^}}catch2:
;; CHECK-NOT: call
;; CHECK: br i1 %{{[0-9]+}}, label %br_if_leave, label %br_if_cont
;; CHECK: {{^}}br_if_cont:
;; CHECK: call void %{{[0-9]+}}(ptr %0, ptr %exn) #
;; CHECK-NEXT: unreachable
;; CHECK: {{^}}br_if_leave:
;; CHECK: call void %{{[0-9]+}}(ptr %0, ptr %exn){{$}}
;; CHECK-NEXT: br label %return
