;; In explicit bounds mode a function that calls itself from a loop that
;; reads or writes memory keeps the C convention (lower_convention.c,
;; self_calls_in_memory_loops; docs/performance.md "Private convention: not
;; for self-calls in memory loops"): such a loop keeps the memory's record live
;; across the call beside the vmctx, and with the vmctx bound to r13 at the
;; call LLVM spilled another of the loop's values (quicksort's recursive
;; sort, 3.5 % slower).  $sort calls itself from its memory loop: C in
;; explicit mode, private in guard mode.  $leaf (fib, no loop) is called
;; from run's memory loop but is not the caller: private in both (marking
;; every callee of such loops cost sqlbench instructions for no time).
;; $after is called outside any loop: private in both.
;; RUN: -O2 --bounds-checks=explicit => EXPLICIT
;; RUN: -O2 => GUARD
(module
  (memory 1)
  (func $sort (param $lo i32) (param $hi i32)
    (loop $l
      (if (i32.lt_s (local.get $lo) (local.get $hi))
        (then
          (i32.store (i32.shl (local.get $lo) (i32.const 2))
                     (i32.load (i32.shl (local.get $hi) (i32.const 2))))
          (call $sort (i32.add (local.get $lo) (i32.const 1)) (local.get $hi))
          (local.set $hi (i32.sub (local.get $hi) (i32.const 2)))
          (br $l)))))
  (func $leaf (param $x i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $x) (i32.const 2))
      (then (local.get $x))
      (else (i32.add (call $leaf (i32.sub (local.get $x) (i32.const 1)))
                     (call $leaf (i32.sub (local.get $x) (i32.const 2)))))))
  (func $after (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 7)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (call $sort (i32.const 0) (local.get $n))
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (call $leaf (i32.load (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (call $after (local.get $s))))

;; EXPLICIT-LABEL: define internal void @w2n_f0(ptr align 8
;; EXPLICIT: call void @w2n_f0(ptr
;; EXPLICIT-LABEL: define internal swiftcc i32 @w2n_f1(ptr {{.*}}swiftself
;; EXPLICIT-LABEL: define internal swiftcc i32 @w2n_f2(ptr {{.*}}swiftself
;; EXPLICIT-LABEL: define internal i32 @w2n_f3(ptr
;; EXPLICIT: call void @w2n_f0(ptr
;; EXPLICIT: call swiftcc i32 @w2n_f1(ptr {{.*}}swiftself

;; GUARD-LABEL: define internal swiftcc void @w2n_f0(ptr {{.*}}swiftself
;; GUARD: call swiftcc void @w2n_f0(ptr {{.*}}swiftself
;; GUARD-LABEL: define internal swiftcc i32 @w2n_f1(ptr {{.*}}swiftself
;; GUARD-LABEL: define internal swiftcc i32 @w2n_f2(ptr {{.*}}swiftself
