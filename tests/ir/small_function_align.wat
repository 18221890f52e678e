;; On x86-64 a function of at most 96 bytes of Wasm body starts on a 64-byte
;; line (the target table's small_function_align; lower_module.c), so its hot
;; path spans the fewest fetch windows; a larger one keeps LLVM's alignment,
;; and so does every function on AArch64 and at -O0.
;; RUN: -O2 => X86
;; RUN: -O2 --target=aarch64-linux-gnu => OTHER
;; RUN: -O0 => OTHER
(module
  (func $small (export "small") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
  (func $large (export "large") (param i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1000000)))
    (local.get 0)))

;; X86: define internal i32 @w2n_f0(ptr {{.*}}) #{{[0-9]+}} align 64 {
;; X86: define internal i32 @w2n_f1(ptr {{.*}}) #{{[0-9]+}} {
;; OTHER-NOT: align 64
