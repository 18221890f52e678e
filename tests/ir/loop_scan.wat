;; Scanning loops in explicit mode (compiler/loops/loop_version.c, exits_early;
;; docs/performance.md "Scanning loops"): a loop whose exit the data decides,
;; jsonstat's skip_ws (`while (p < end && *p == ' ') ps->p = ++p`), keeps
;; its fast version behind the range check but gets no version that proves
;; its groups of accesses apart: that version's check, paid on every entry of
;; a loop that runs an iteration or two, saved nothing (LLVM vectorises no
;; such loop and keeps storing the cursor).  "fill", a counted loop of the
;; same accesses that leaves only at the bottom, still gets it.
;; RUN-VERSIONED: -O2 --bounds-checks=explicit => LOWERED
;; RUN: -O2 --bounds-checks=explicit => SCAN
(module
  (memory 1)
  (func (export "skip") (param $ps i32)
    (local $p i32) (local $end i32)
    (local.set $p (i32.load (local.get $ps)))
    (local.set $end (i32.load offset=4 (local.get $ps)))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $next
        (br_if $done (i32.ne (i32.load8_u (local.get $p)) (i32.const 32)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (i32.store (local.get $ps) (local.get $p))
        (br_if $next (i32.ne (local.get $p) (local.get $end))))))
  (func (export "fill") (param $ps i32)
    (local $p i32) (local $end i32)
    (local.set $p (i32.load (local.get $ps)))
    (local.set $end (i32.load offset=4 (local.get $ps)))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $next
        (i32.store8 (local.get $p) (i32.const 32))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (i32.store (local.get $ps) (local.get $p))
        (br_if $next (i32.ne (local.get $p) (local.get $end)))))))

;; As lowered: the scanning loop has a fast version and the slow one, no third.
;; LOWERED-LABEL: define internal void @w2n_f0(
;; LOWERED-NOT: fast_apart_entry
;; LOWERED: {{^}}fast_entry:
;; LOWERED-NOT: fast_apart_entry
;; LOWERED: {{^}}slow_entry:
;; LOWERED-NOT: fast_apart_entry
;; LOWERED-LABEL: define internal void @w2n_f1(
;; LOWERED: {{^}}fast_apart_entry:

;; Optimised: one range check against the size picks the fast loop, which has
;; no alias scope and no per-access check.
;; SCAN-LABEL: define internal void @w2n_f0(
;; SCAN-NOT: noalias.scope.decl
;; SCAN: %[[FITS:[0-9]+]] = icmp ult i64 %{{[0-9]+}}, %mem_size
;; SCAN-NEXT: br i1 %[[FITS]], label %[[FAST:[a-z0-9_.]+]], label
;; SCAN: {{^}}[[FAST]]:
;; SCAN-NOT: {{noalias.scope.decl|label %trap}}
;; SCAN: icmp eq i8 %{{[0-9]+}}, 32
;; SCAN-NOT: noalias.scope.decl
;; SCAN-LABEL: define internal void @w2n_f1(
