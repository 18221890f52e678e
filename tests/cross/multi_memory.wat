;; multi_memory.wat — the module tests/cross/multi_memory.sh compiles for each
;; target: two memories of different sizes, an active data segment in memory 1
;; (flag 2), a passive one, and every kind of access with a memory index.
;; `copy` and `copy_loop` copy a block from memory 1 to memory 0 (memory.copy
;; between two memories; a byte loop, which the loop versioning lowers twice)
;; and return a checksum of memory 0.
(module
  (memory $m0 1)
  (memory $m1 2 3)
  (export "mem0" (memory $m0))
  (export "mem1" (memory $m1))
  (data (memory $m0) (i32.const 0) "memory zero")
  (data (memory $m1) (i32.const 100) "a block from the second memory, 40 bytes")
  (data $passive "PASSIVE")

  ;; h = h * 31 + byte over memory 0 [at, at + n)
  (func $checksum (export "checksum") (param $at i32) (param $n i32) (result i64)
    (local $h i64) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
                               (i64.load8_u $m0 (i32.add (local.get $at) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $h))

  (func (export "copy") (param $dst i32) (param $src i32) (param $n i32) (result i64)
    (memory.copy $m0 $m1 (local.get $dst) (local.get $src) (local.get $n))
    (call $checksum (local.get $dst) (local.get $n)))

  ;; A loop that leaves at the bottom only (n >= 1), so that both bounds modes
  ;; lower it twice: the fast version's range check covers the stores to
  ;; memory 0, the loads from memory 1 keep their own checks.
  (func (export "copy_loop") (param $dst i32) (param $src i32) (param $n i32) (result i64)
    (local $i i32)
    (loop $next
      (i32.store8 $m0 (i32.add (local.get $dst) (local.get $i))
                  (i32.load8_u $m1 (i32.add (local.get $src) (local.get $i))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    (call $checksum (local.get $dst) (local.get $n)))

  (func (export "size0") (result i32) (memory.size $m0))
  (func (export "size1") (result i32) (memory.size $m1))
  (func (export "grow1") (param i32) (result i32) (memory.grow $m1 (local.get 0)))
  (func (export "load0") (param i32) (result i32) (i32.load $m0 (local.get 0)))
  (func (export "load1") (param i32) (result i32) (i32.load $m1 offset=4 (local.get 0)))
  (func (export "store1") (param i32 i64) (i64.store $m1 (local.get 0) (local.get 1)))
  (func (export "fill1") (param i32 i32 i32)
    (memory.fill $m1 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init1") (param i32)
    (memory.init $m1 $passive (local.get 0) (i32.const 0) (i32.const 7)))
  ;; 16 bytes from memory 1 to memory 0 as a v128, then lane 1 of memory 1's
  ;; i32x4 at src into memory 0 at dst + 16.
  (func (export "simd_copy") (param $dst i32) (param $src i32)
    (v128.store $m0 (local.get $dst) (v128.load $m1 (local.get $src)))
    (v128.store32_lane $m0 1 (i32.add (local.get $dst) (i32.const 16))
                       (v128.load $m1 (local.get $src)))))
