;; The range check that picks a loop's version compares with a load of the
;; memory size that does not carry the memory's minimum (!range), unlike an
;; access's own check (memory_min_size.wat).  Here the loop's stores, 1024 to
;; 1423, lie below the minimum (2 pages): with the minimum LLVM folds the
;; range check to true and drops the slow version, which would never run
;; anyway, and the loop nest that is left cost matmul an instruction hoist
;; in the back end (docs/performance.md).  So the check and both versions
;; stay.
;; RUN: -O2 --bounds-checks=explicit => KEEP
(module
  (memory 2)
  (func (export "fill") (param $v i32)
    (local $i i32)
    (loop $next
      (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2)) (local.get $v))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (i32.const 100))))))

;; KEEP-LABEL: define internal void @w2n_f0(
;; KEEP: %mem_size = load i64, ptr %{{[0-9]+}}, align 8, !tbaa !{{[0-9]+}}{{$}}
;; KEEP: icmp ugt i64 %mem_size, 1423
;; KEEP-NEXT: br i1 %{{[0-9]+}}, label %loop.preheader, label %loop2
;; KEEP: {{^}}loop2:
;; KEEP: icmp sgt i64 %{{[0-9]+}}, %mem_size.room
