;; Loop versioning over a 64-bit memory (docs/abi.md, "64-bit memories"): the
;; same range proof in 64 bits.  Before the loop (CHOICE): at most 2^36 trips,
;; offset + size within the size (room = size - 4), the first address within
;; the room and the span within what is left of it -- compares that cannot
;; wrap.  The fast version (FAST) then has no check per access and is
;; vectorised; the ordinary one (SLOW) keeps the exact per-access check, an
;; add with overflow and a compare with the size, in both bounds modes.
;; RUN: -O2 => CHOICE FAST SLOW GUARD-SLOW
;; RUN: -O2 --bounds-checks=explicit => CHOICE FAST SLOW
(module
  (memory i64 1)
  (func (export "scale") (param $p i64) (param $n i64)
    (local $i i64)
    (loop $next
      (i32.store (i64.add (local.get $p) (i64.shl (local.get $i) (i64.const 2)))
        (i32.mul (i32.load (i64.add (local.get $p) (i64.shl (local.get $i) (i64.const 2))))
                 (i32.const 3)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $next (i64.lt_u (local.get $i) (local.get $n))))))

;; CHOICE-LABEL: define internal void @w2n_f0(
;; CHOICE: %mem_size = load i64
;; CHOICE-DAG: icmp ult i64 %{{[0-9]+}}, 68719476737
;; CHOICE-DAG: %[[ROOM:[0-9]+]] = add i64 %mem_size, -4
;; CHOICE-DAG: icmp uge i64 %[[ROOM]], %1
;; CHOICE-DAG: %[[LEFT:[0-9]+]] = sub i64 %[[ROOM]], %1
;; CHOICE-DAG: icmp ule i64 %{{[0-9]+}}, %[[LEFT]]
;; CHOICE: br i1 %{{[0-9]+}}, label %{{[a-z0-9_.]+}}, label %{{[a-z0-9_.]+}}

;; FAST-LABEL: define internal void @w2n_f0(
;; FAST: br i1 %{{.*}}, label %[[ENTRY:[a-z0-9_.]+]], label %{{[a-z0-9_.]+}}
;; FAST: {{^}}[[ENTRY]]:
;; FAST-NOT: {{volatile|mem_size|label %trap|uadd.with.overflow}}
;; FAST: load <4 x i32>
;; FAST-NOT: {{volatile|mem_size|label %trap|uadd.with.overflow}}
;; FAST: store <4 x i32>
;; FAST-NOT: {{volatile|mem_size|label %trap|uadd.with.overflow}}
;; FAST: br i1 %{{.*}}, label %loop_join, label %loop, !llvm.loop

;; SLOW-LABEL: define internal void @w2n_f0(
;; SLOW: {{^}}loop{{[0-9]+}}:
;; SLOW: call { i64, i1 } @llvm.uadd.with.overflow.i64(i64 %{{[0-9]+}}, i64 4)
;; SLOW: icmp ugt i64 %{{[0-9]+}}, %mem_size
;; SLOW: br i1 %{{[0-9]+}}, label %trap, label %ok
;; SLOW-LABEL: define internal void @w2n_tramp_0(

;; GUARD-SLOW-LABEL: define internal void @w2n_f0(
;; GUARD-SLOW: {{^}}loop{{[0-9]+}}:
;; GUARD-SLOW: load volatile i32
;; GUARD-SLOW: store volatile i32
;; GUARD-SLOW-LABEL: define internal void @w2n_tramp_0(
