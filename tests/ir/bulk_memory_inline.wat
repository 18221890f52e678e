;; memory.copy and memory.fill within one 32-bit memory are inline
;; (compiler/lower/lower_memory.c): both ranges compared with the size, the
;; out-of-bounds trap (code 2) before anything is written, then LLVM's
;; memmove/memset (a call to the C library's), volatile in guard mode so it
;; stays in order with the volatile accesses around it.  A 64-bit memory or
;; a copy between two memories keeps the runtime helper.
;; RUN: -O2 => GUARD
;; RUN: -O2 --bounds-checks=explicit => EXPLICIT
;; RUN: -O2 --target=riscv64-linux-gnu => GUARD
(module
  (memory $a 1)
  (memory $b 1)
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  (func (export "fill") (param $d i32) (param $v i32) (param $n i32)
    (memory.fill (local.get $d) (local.get $v) (local.get $n)))
  (func (export "across") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy $b $a (local.get $d) (local.get $s) (local.get $n))))

;; GUARD-LABEL: define internal void @w2n_f0(
;; GUARD: %[[SIZE:mem_size]] = load i64
;; GUARD: icmp ugt i64 %{{[0-9]+}}, %[[SIZE]]
;; GUARD: icmp ugt i64 %{{[0-9]+}}, %[[SIZE]]
;; GUARD: br i1 %{{.*}}, label %trap
;; GUARD: call void %{{[0-9]+}}(ptr {{.*}}%0, i32 2)
;; GUARD: call void @llvm.memmove.p0.p0.i64(ptr %{{[0-9]+}}, ptr %{{[0-9]+}}, i64 %{{[0-9]+}}, i1 true)
;; GUARD-LABEL: define internal void @w2n_f1(
;; GUARD: icmp ugt i64 %{{[0-9]+}}, %mem_size
;; GUARD: call void @llvm.memset.p0.i64(ptr %{{[0-9]+}}, i8 %{{[0-9]+}}, i64 %{{[0-9]+}}, i1 true)
;; GUARD-LABEL: define internal void @w2n_f2(
;; GUARD-NOT: llvm.memmove
;; GUARD: ret void

;; EXPLICIT-LABEL: define internal void @w2n_f0(
;; EXPLICIT: br i1 %{{.*}}, label %trap
;; EXPLICIT: call void @llvm.memmove.p0.p0.i64(ptr align 1 %{{[0-9]+}}, ptr align 1 %{{[0-9]+}}, i64 %{{[0-9]+}}, i1 false)
;; EXPLICIT-LABEL: define internal void @w2n_f1(
;; EXPLICIT: call void @llvm.memset.p0.i64(ptr align 1 %{{[0-9]+}}, i8 %{{[0-9]+}}, i64 %{{[0-9]+}}, i1 false)
