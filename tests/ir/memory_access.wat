;; Bounds checks of single accesses, outside any loop (-O0: the lowering's shape).
;; Guard mode: the access itself is the check, so it is volatile (LLVM may not
;; move, merge or drop it) and nothing compares it with the memory size.
;; Explicit mode: each access compares its end with the memory size and
;; branches to the out-of-bounds trap (code 2, W2N_TRAP_MEMORY_OOB) first.
;; RISC-V, guard mode: a faulting store may already have written some bytes,
;; so a volatile load of its last byte comes first (lower.h,
;; w2n_lower_mem_store_address).
;; RUN: -O0 => GUARD
;; RUN: -O0 --bounds-checks=explicit => EXPLICIT
;; RUN: -O0 --target=aarch64-linux-gnu => GUARD
;; RUN: -O0 --target=riscv64-linux-gnu => GUARD RISCV-GUARD
;; RUN: -O0 --target=riscv64-linux-gnu --bounds-checks=explicit => EXPLICIT
(module
  (memory 1)
  (func (export "copy") (param $a i32) (param $b i32)
    (i32.store offset=8 (local.get $b) (i32.load offset=4 (local.get $a)))))

;; GUARD-LABEL: define internal void @w2n_f0(
;; GUARD-NOT: mem_size
;; GUARD: load volatile i32, ptr
;; GUARD-NOT: mem_size
;; GUARD: store volatile i32 %{{[0-9]+}}, ptr
;; GUARD: ret void
;; GUARD-NEXT: }

;; EXPLICIT-LABEL: define internal void @w2n_f0(
;; EXPLICIT: %[[SIZE1:mem_size[0-9]*]] = load i64
;; EXPLICIT-NEXT: %[[OOB1:[0-9]+]] = icmp ugt i64 %{{[0-9]+}}, %[[SIZE1]]
;; EXPLICIT-NEXT: %[[E1:[0-9]+]] = call i1 @llvm.expect.i1(i1 %[[OOB1]], i1 false)
;; EXPLICIT-NEXT: br i1 %[[E1]], label %[[TRAP:trap]], label %[[OK1:ok[0-9]*]]
;; EXPLICIT: [[TRAP]]:
;; EXPLICIT: call void %{{[0-9]+}}(ptr %0, i32 2)
;; EXPLICIT-NEXT: unreachable
;; EXPLICIT: [[OK1]]:
;; EXPLICIT-NOT: volatile
;; EXPLICIT: load i32, ptr %{{[0-9]+}}, align 1
;; EXPLICIT: %[[SIZE2:mem_size[0-9]*]] = load i64
;; EXPLICIT-NEXT: %[[OOB2:[0-9]+]] = icmp ugt i64 %{{[0-9]+}}, %[[SIZE2]]
;; EXPLICIT-NEXT: %[[E2:[0-9]+]] = call i1 @llvm.expect.i1(i1 %[[OOB2]], i1 false)
;; EXPLICIT-NEXT: br i1 %[[E2]], label %[[TRAP]], label %[[OK2:ok[0-9]*]]
;; EXPLICIT: [[OK2]]:
;; EXPLICIT-NOT: volatile
;; EXPLICIT: store i32 %{{[0-9]+}}, ptr %{{[0-9]+}}, align 1
;; RISCV-GUARD-LABEL: define internal void @w2n_f0(
;; RISCV-GUARD: load volatile i32, ptr
;; RISCV-GUARD: %[[BASE:[0-9]+]] = getelementptr i8, ptr %mem_base{{[0-9]*}}, i64 %{{[0-9]+}}
;; RISCV-GUARD-NEXT: %[[LAST:[0-9]+]] = getelementptr i8, ptr %[[BASE]], i64 3
;; RISCV-GUARD-NEXT: %store_probe = load volatile i8, ptr %[[LAST]]
;; RISCV-GUARD-NEXT: store volatile i32 %{{[0-9]+}}, ptr %[[BASE]]
