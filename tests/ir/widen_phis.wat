;; A 32-bit phi that is used as an address becomes a 64-bit phi of the
;; zero-extended values (compiler/emit/widen_phis.c), on the targets whose
;; 32-bit instructions clear the upper half: the loop then needs no move to
;; extend the list node and the log pointer at each use (x86-64: the loop is
;; six instructions instead of eight).  RISC-V keeps 32-bit phis.
;; RUN: -O2 => WIDE
;; RUN: -O2 --target=aarch64-linux-gnu => WIDE
;; RUN: -O2 --target=riscv64-linux-gnu => NARROW
;; RUN-ASM: -O2 => ASM
(module
  (memory 1)
  ;; Sums a linked list's values and logs each node's address.
  (func $walk (export "walk") (param $node i32) (param $log i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $node)))
        (i32.store (local.get $log) (local.get $node))
        (local.set $log (i32.add (local.get $log) (i32.const 4)))
        (local.set $sum (i32.add (local.get $sum) (i32.load offset=4 (local.get $node))))
        (local.set $node (i32.load (local.get $node)))
        (br $next)))
    (local.get $sum)))

;; WIDE-LABEL: br_if_cont:
;; WIDE-DAG: %[[A:[0-9]+]] = phi i64
;; WIDE-DAG: %[[B:[0-9]+]] = phi i64
;; WIDE-DAG: getelementptr i8, ptr %mem_base, i64 %[[A]]
;; WIDE-DAG: getelementptr i8, ptr %mem_base, i64 %[[B]]
;; WIDE-DAG: trunc i64 %[[A]] to i32
;; WIDE: br i1

;; NARROW-LABEL: br_if_cont:
;; NARROW-NOT: phi i64
;; NARROW: zext i32
;; NARROW: br i1

;; The store of the node, the log's step and the sum's load follow one
;; another with no extension between them.
;; ASM-LABEL: <w2n_f0>:
;; ASM: movl %e{{[a-z]+}}, (%r{{[a-z0-9]+}},%r{{[a-z0-9]+}})
;; ASM-NEXT: addl $0x4, %e{{[a-z]+}}
;; ASM-NEXT: addl 0x4(%r{{[a-z0-9]+}},%r{{[a-z0-9]+}}), %eax
