;; Explicit bounds checks of one address merged into the first
;; (compiler/emit/bounds_merge.c): wherever a later access is out of bounds,
;; the trap is still "out of bounds memory access", and nothing that writes,
;; calls or traps otherwise between the first access and the later one moves
;; past the trap.  One page: the last byte is 65535.
(module
  (memory 1 4)
  (func (export "fields") (param $p i32) (result i32)
    (i32.add
      (i32.add (i32.load offset=4 (local.get $p)) (i32.load offset=8 (local.get $p)))
      (i32.load offset=12 (local.get $p))))
  (func (export "byte_then_word") (param $p i32) (result i32)
    (i32.add (i32.load8_u (local.get $p)) (i32.load offset=20 (local.get $p))))
  ;; A store between: it happens, then the far load traps.
  (func (export "store_then_far") (param $p i32) (result i32)
    (i32.store (local.get $p) (i32.const 42))
    (i32.load offset=16 (local.get $p)))
  ;; A division between: it traps first.
  (func (export "divide_between") (param $p i32) (param $d i32) (result i32)
    (i32.add
      (i32.div_u (i32.load (local.get $p)) (local.get $d))
      (i32.load offset=8 (local.get $p))))
  ;; A call between, which writes: the write happens, then the trap.
  (func $mark (i32.store (i32.const 0) (i32.const 7)))
  (func (export "call_between") (param $p i32) (result i32)
    (i32.add
      (i32.load (local.get $p))
      (block (result i32) (call $mark) (i32.load offset=8 (local.get $p)))))
  (func (export "peek") (param $a i32) (result i32) (i32.load (local.get $a)))
  ;; A call that grows the memory, then a nearer field: its check goes
  ;; (the size never shrinks); one past the old end is still checked.
  (func $grow (drop (memory.grow (i32.const 1))))
  (func (export "grow_then_nearer") (param $p i32) (result i32) (local $a i32)
    (local.set $a (i32.load offset=8 (local.get $p)))
    (call $grow)
    (i32.add (local.get $a) (i32.load offset=4 (local.get $p))))
  (func (export "grow_then_farther") (param $p i32) (result i32) (local $a i32)
    (local.set $a (i32.load offset=4 (local.get $p)))
    (call $grow)
    (i32.add (local.get $a) (i32.load offset=65540 (local.get $p))))
  (data (i32.const 65528) "\01\00\00\00\02\00\00\00"))

(assert_return (invoke "fields" (i32.const 65520)) (i32.const 3))
(assert_trap (invoke "fields" (i32.const 65524)) "out of bounds memory access")
(assert_trap (invoke "fields" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "fields" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "byte_then_word" (i32.const 65508)) (i32.const 1))
(assert_trap (invoke "byte_then_word" (i32.const 65513)) "out of bounds memory access")
(assert_trap (invoke "byte_then_word" (i32.const 65536)) "out of bounds memory access")

(assert_trap (invoke "store_then_far" (i32.const 65520)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65520)) (i32.const 42))

(assert_trap (invoke "divide_between" (i32.const 65532) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "divide_between" (i32.const 65532) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "divide_between" (i32.const 65524) (i32.const 1)) (i32.const 2))

(assert_return (invoke "peek" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "call_between" (i32.const 65532)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 0)) (i32.const 7))

(assert_return (invoke "grow_then_nearer" (i32.const 65520)) (i32.const 1))
(assert_trap (invoke "grow_then_nearer" (i32.const 131064)) "out of bounds memory access")
(assert_return (invoke "grow_then_farther" (i32.const 131064)) (i32.const 0))
(assert_trap (invoke "grow_then_farther" (i32.const 196604)) "out of bounds memory access")

;; Two i32 sums a constant apart (an interpreter's stack slots, sp * 4 +
;; fp + 8 and (sp - 1) * 4 + fp + 16): one check of the second slot's end,
;; and where it fails each slot checked as it was, in 32 bits.
(module
  (memory 1)
  (func (export "slots") (param $fp i32) (param $sp i32) (result i32)
    (local $a i32)
    (local.set $a (i32.add (i32.add (local.get $fp) (i32.const 8))
                           (i32.shl (local.get $sp) (i32.const 2))))
    (i32.store (local.get $a)
      (i32.add (i32.load (local.get $a))
               (i32.load (i32.add (i32.add (local.get $fp) (i32.const 16))
                                  (i32.shl (i32.sub (local.get $sp) (i32.const 1))
                                           (i32.const 2))))))
    (i32.load (local.get $a)))
  (func (export "byte_then_word") (param $p i32) (result i32)
    (i32.add (i32.load8_u (local.get $p))
             (i32.load (i32.add (local.get $p) (i32.const 4)))))
  (data (i32.const 65528) "\01\00\00\00\02\00\00\00"))

(assert_return (invoke "slots" (i32.const 65520) (i32.const 0)) (i32.const 3))
(assert_trap (invoke "slots" (i32.const 65524) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "slots" (i32.const 65528) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "slots" (i32.const 65520) (i32.const 1073741824)) (i32.const 5))
(assert_trap (invoke "slots" (i32.const -16) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "byte_then_word" (i32.const 65524)) (i32.const 5))
(assert_trap (invoke "byte_then_word" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "byte_then_word" (i32.const -4)) "out of bounds memory access")

;; A 4 GiB memory: the second sum wraps to 0, in bounds; the merged check
;; fails there, and the recheck finds both accesses in bounds.
(module
  (memory 65536)
  (func (export "pair") (param $a i32) (result i32)
    (i32.add (i32.load (local.get $a))
             (i32.load (i32.add (local.get $a) (i32.const 4)))))
  (func (export "poke") (param $a i32) (param $v i32) (i32.store (local.get $a) (local.get $v))))
(invoke "poke" (i32.const -4) (i32.const 5))
(invoke "poke" (i32.const 0) (i32.const 7))
(assert_return (invoke "pair" (i32.const -4)) (i32.const 12))
(assert_return (invoke "pair" (i32.const 65528)) (i32.const 0))
(assert_trap (invoke "pair" (i32.const -3)) "out of bounds memory access")
