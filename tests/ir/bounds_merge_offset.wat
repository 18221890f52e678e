;; Explicit bounds checks of two i32 sums a constant apart merged into the
;; first (compiler/emit/bounds_merge.c; w2n_i32_offset in
;; compiler/loops/loop_affine.c): an interpreter's
;; `stack[sp - 2] op= stack[sp - 1]`, whose slots are `fp + 8 + sp * 4` and
;; `fp + 16 + (sp - 1) * 4`, is one compare of the second slot's end, 8
;; past the first; where it fails, a recheck block tests each slot as
;; it was (the second rebuilt as the first plus 4 in 32 bits, since the sum
;; may wrap) before trapping.  The same when the first access is a byte
;; (`size > p`, which traps on false).  Unrelated sums keep their checks.
;; The merged check compares the address with the size less 8.
;; RUN: -O2 --bounds-checks=explicit => EXPLICIT
;; RUN: -O2 --bounds-checks=explicit --target=aarch64-linux-gnu => EXPLICIT
;; RUN: -O2 => GUARD
(module
  (memory 1)
  (func (export "slots") (param $fp i32) (param $sp i32)
    (local $a i32)
    (local.set $a (i32.add (i32.add (local.get $fp) (i32.const 8))
                           (i32.shl (local.get $sp) (i32.const 2))))
    (i32.store (local.get $a)
      (i32.add (i32.load (local.get $a))
               (i32.load (i32.add (i32.add (local.get $fp) (i32.const 16))
                                  (i32.shl (i32.sub (local.get $sp) (i32.const 1))
                                           (i32.const 2)))))))
  (func (export "byte_then_word") (param $p i32) (result i32)
    (i32.add (i32.load8_u (local.get $p))
             (i32.load (i32.add (local.get $p) (i32.const 4)))))
  (func (export "apart") (param $p i32) (param $q i32) (result i32)
    (i32.add (i32.load (local.get $p)) (i32.load (local.get $q)))))

;; EXPLICIT-LABEL: define internal void @w2n_f0(
;; EXPLICIT: %[[X:[0-9]+]] = zext i32 %[[A:[0-9]+]] to i64
;; EXPLICIT: %[[ROOM:mem_size.room]] = sub i64 %mem_size, 8
;; EXPLICIT-NEXT: %[[WIDE:[0-9]+]] = icmp sgt i64 %[[X]], %[[ROOM]]
;; EXPLICIT-NEXT: br i1 %[[WIDE]], label %oob_recheck, label %ok
;; EXPLICIT-NOT: icmp
;; EXPLICIT: ret void
;; EXPLICIT: oob_recheck:
;; EXPLICIT-NEXT: %[[R4:mem_size.room[0-9]*]] = sub i64 %mem_size, 4
;; EXPLICIT-NEXT: icmp sgt i64 %[[X]], %[[R4]]
;; EXPLICIT-NEXT: %[[Y:[0-9]+]] = add i32 %[[A]], 4
;; EXPLICIT-NEXT: zext i32 %[[Y]] to i64
;; EXPLICIT: br i1 %{{[0-9]+}}, label %trap, label %ok

;; EXPLICIT-LABEL: define internal i32 @w2n_f1(
;; EXPLICIT: sub i64 %mem_size, 8
;; EXPLICIT-NEXT: %[[WIDE2:[0-9]+]] = icmp sgt i64
;; EXPLICIT-NEXT: %[[OK2:[0-9]+]] = xor i1 %[[WIDE2]], true
;; EXPLICIT-NEXT: br i1 %[[OK2]], label %ok, label %oob_recheck
;; EXPLICIT-NOT: icmp
;; EXPLICIT: ret i32
;; EXPLICIT: oob_recheck:
;; EXPLICIT: add i32 %{{[0-9]+}}, 4
;; EXPLICIT: br i1 %{{[0-9]+}}, label %ok, label %trap

;; EXPLICIT-LABEL: define internal i32 @w2n_f2(
;; EXPLICIT: icmp sgt i64
;; EXPLICIT: icmp sgt i64
;; EXPLICIT-NOT: oob_recheck
;; EXPLICIT: ret i32

;; GUARD-LABEL: define internal void @w2n_f0(
;; GUARD-NOT: icmp
;; GUARD-NOT: oob_recheck
;; GUARD: ret void
