;; A module without exceptions compiles as before they existed: nounwind
;; functions, plain calls, no personality routine (exceptions.wat has them).
;; RUN: -O2 => CHECK
;; CHECK-NOT: personality
;; CHECK-NOT: invoke
;; CHECK-NOT: landingpad
;; CHECK: attributes #0 = { nounwind
(module
  (import "env" "f" (func $f))
  (func (export "g") (call $f))
)
