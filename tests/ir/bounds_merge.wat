;; Explicit bounds checks of one address merged into the first
;; (compiler/emit/bounds_merge.c, after LLVM's passes): three fields of one
;; structure are one compare of the last field's end, also when the first
;; check is a byte's (`size > p`, which branches to the trap on false); a store between two
;; accesses keeps both checks (the store must happen before a later trap);
;; past a call (which may grow the memory, never shrink it) a later check
;; that an earlier one implies goes, a constant false; guard mode has no
;; checks to merge.  Each check left compares the address with the size less
;; the end's distance, computed once after the size is read.
;; RUN: -O2 --bounds-checks=explicit => EXPLICIT
;; RUN: -O2 --bounds-checks=explicit --target=aarch64-linux-gnu => EXPLICIT
;; RUN: -O2 => GUARD
(module
  (memory 1)
  (func (export "fields") (param $p i32) (result i32)
    (i32.add
      (i32.add (i32.load offset=4 (local.get $p)) (i32.load offset=8 (local.get $p)))
      (i32.load offset=12 (local.get $p))))
  (func (export "store_between") (param $p i32) (result i32)
    (i32.store offset=4 (local.get $p) (i32.const 1))
    (i32.load offset=8 (local.get $p)))
  (func (export "byte_then_fields") (param $p i32) (result i32)
    (i32.add (i32.load8_u (local.get $p))
      (i32.add (i32.load offset=4 (local.get $p)) (i32.load offset=8 (local.get $p)))))
  (func $grow (param i32) (drop (memory.grow (local.get 0))))
  (func (export "call_then_nearer") (param $p i32) (result i32) (local $a i32)
    (local.set $a (i32.load offset=8 (local.get $p)))
    (call $grow (local.get $a))
    (i32.add (local.get $a) (i32.load offset=4 (local.get $p)))))

;; EXPLICIT-LABEL: define internal i32 @w2n_f0(
;; EXPLICIT: %[[ROOM:mem_size.room[0-9]*]] = sub i64 %mem_size, 16
;; EXPLICIT-NEXT: %[[OOB:[0-9]+]] = icmp sgt i64 %{{[0-9]+}}, %[[ROOM]]
;; EXPLICIT-NEXT: br i1 %[[OOB]], label %trap
;; EXPLICIT-NOT: icmp
;; EXPLICIT: ret i32

;; EXPLICIT-LABEL: define internal i32 @w2n_f1(
;; EXPLICIT: icmp sgt i64
;; EXPLICIT: store i32 1
;; EXPLICIT: icmp sgt i64
;; EXPLICIT: ret i32

;; EXPLICIT-LABEL: define internal i32 @w2n_f2(
;; EXPLICIT: %[[ROOM2:mem_size.room[0-9]*]] = sub i64 %mem_size, 12
;; EXPLICIT-NEXT: %[[WIDE:[0-9]+]] = icmp sgt i64 %{{[0-9]+}}, %[[ROOM2]]
;; EXPLICIT-NEXT: %[[OK:[0-9]+]] = xor i1 %[[WIDE]], true
;; EXPLICIT-NEXT: br i1 %[[OK]], label %ok, label %trap
;; EXPLICIT-NOT: icmp
;; EXPLICIT: ret i32

;; EXPLICIT-LABEL: define internal i32 @w2n_f4(
;; EXPLICIT: icmp sgt i64 %{{[0-9]+}}, %mem_size.room
;; EXPLICIT: call i64
;; EXPLICIT-NOT: icmp sgt
;; EXPLICIT: br i1 false, label %trap
;; EXPLICIT: ret i32

;; GUARD-LABEL: define internal i32 @w2n_f0(
;; GUARD-NOT: icmp
;; GUARD: ret i32
