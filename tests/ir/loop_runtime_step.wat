;; Loop versioning of a loop whose induction moves by a run-time step (sieve's
;; `for (j = i * i; j < limit; j += i) composite[j] = 1`): the back edge's
;; bound gives the trip count with the step's value in it (a division by the
;; step, taken only when the step moves towards the bound), so in explicit
;; mode one range check before the loop (STEP) picks a version whose store
;; has no check (FAST); the other version checks every store (SLOW).  Before,
;; only a constant step was understood and every store kept its check.
;; RUN: -O2 --bounds-checks=explicit => STEP FAST SLOW
(module
  (memory 1)
  (func (export "mark") (param $j i32) (param $step i32) (param $n i32)
    (loop $next
      (i32.store8 offset=16 (local.get $j) (i32.const 1))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step)))
                             (local.get $n))))))

;; STEP-LABEL: define internal void @w2n_f0(
;; STEP: %mem_size = load i64
;; STEP: icmp sgt i32 %2, 0
;; STEP: udiv i64
;; STEP: icmp ule i64 %{{[0-9]+}}, %mem_size
;; STEP: br i1 %{{[0-9]+}}, label %loop.preheader, label %loop2

;; FAST-LABEL: define internal void @w2n_f0(
;; FAST: {{^}}loop.preheader:
;; FAST-NOT: {{mem_size|label %trap}}
;; FAST: store i8 1
;; FAST-NOT: {{mem_size|label %trap}}
;; FAST: br i1 %{{[0-9]+}}, label %loop, label %loop_join

;; SLOW-LABEL: define internal void @w2n_f0(
;; SLOW: {{^}}loop2:
;; SLOW: icmp sgt i64 %{{[0-9]+}}, %mem_size.room
;; SLOW: label %trap
;; SLOW: store i8 1
