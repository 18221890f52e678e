;; Loop versioning at -O2 (docs/architecture.md, "Loop versioning"): an
;; innermost counted loop gets one range check against the memory size before
;; it (CHOICE), which picks the fast version: plain accesses, no per-access
;; check, vectorised (FAST).  Otherwise the ordinary version runs (SLOW): a
;; volatile access in guard mode, a compare and branch to the trap per access
;; in explicit mode.
;; RUN: -O2 => CHOICE FAST GUARD-SLOW
;; RUN: -O2 --bounds-checks=explicit => CHOICE FAST EXPLICIT-SLOW
(module
  (memory 1)
  (func (export "scale") (param $p i32) (param $n i32)
    (local $i i32)
    (loop $next
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
        (i32.mul (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))
                 (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))))

;; CHOICE-LABEL: define internal void @w2n_f0(
;; CHOICE: %mem_size = load i64
;; CHOICE: %[[OUT:[.a-z0-9]+]] = icmp ugt i64 %{{[0-9]+}}, %mem_size
;; CHOICE: br i1 %[[OUT]], label %{{[a-z0-9_.]+}}, label %{{[a-z0-9_.]+}}

;; The fast version, from its entry to its last back edge: no compare with the
;; memory size, no branch to a trap, nothing volatile; whole vectors.
;; FAST-LABEL: define internal void @w2n_f0(
;; FAST: br i1 %{{.*}}, label %{{[a-z0-9_.]+}}, label %[[ENTRY:[a-z0-9_.]+]]
;; FAST: {{^}}[[ENTRY]]:
;; FAST-NOT: {{volatile|mem_size|label %trap}}
;; FAST: load <4 x i32>
;; FAST-NOT: {{volatile|mem_size|label %trap}}
;; FAST: store <4 x i32>
;; FAST-NOT: {{volatile|mem_size|label %trap}}
;; FAST: br i1 %{{.*}}, label %loop_join, label %loop, !llvm.loop

;; GUARD-SLOW-LABEL: define internal void @w2n_f0(
;; GUARD-SLOW: load volatile i32
;; GUARD-SLOW: store volatile i32
;; GUARD-SLOW-LABEL: define internal void @w2n_tramp_0(

;; EXPLICIT-SLOW-LABEL: define internal void @w2n_f0(
;; EXPLICIT-SLOW: {{^}}loop{{[0-9]+}}:
;; EXPLICIT-SLOW: %[[OOB:[0-9]+]] = icmp sgt i64 %{{[0-9]+}}, %mem_size.room
;; EXPLICIT-SLOW-NEXT: br i1 %[[OOB]], label %trap, label %[[OK:ok[0-9]*]]
;; EXPLICIT-SLOW: {{^}}[[OK]]:
;; EXPLICIT-SLOW-NOT: volatile
;; EXPLICIT-SLOW: load i32
;; EXPLICIT-SLOW: store i32
;; EXPLICIT-SLOW-LABEL: define internal void @w2n_tramp_0(
