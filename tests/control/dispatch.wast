;; A br_table of 8 or more targets on a byte: on x86-64 a table of 256 code
;; addresses and an indirectbr (compiler/lower/lower_dispatch.c).  Every
;; byte picks what Wasm says: target i below the count, the default from
;; there on, through 255; the opcode's load still traps where it is out of
;; bounds.  One page: the last byte is 65535.
(module
  (memory 1)
  ;; the byte at $at picks one of nine targets or the default (in a loop,
  ;; which makes it a dispatch, though it does not go round)
  (func $pick (export "pick") (param $at i32) (result i32)
    (loop $never (block $default
      (block $t8
        (block $t7
          (block $t6
            (block $t5
              (block $t4
                (block $t3
                  (block $t2
                    (block $t1
                      (block $t0
                        (br_table $t0 $t1 $t2 $t3 $t4 $t5 $t6 $t7 $t8 $t0 $default
                          (i32.load8_u (local.get $at))))
                      (return (i32.const 100)))
                    (return (i32.const 101)))
                  (return (i32.const 102)))
                (return (i32.const 103)))
              (return (i32.const 104)))
            (return (i32.const 105)))
          (return (i32.const 106)))
        (return (i32.const 107)))
      (return (i32.const 108))))
    (i32.const 999))
  (func (export "pick_byte") (param $op i32) (result i32)
    (i32.store8 (i32.const 16) (local.get $op))
    (call $pick (i32.const 16)))
  ;; an interpreter: 0 acc += 1, 1 acc *= 2, 2 acc -= 3, 3 acc ^= pc,
  ;; 4-7 no-ops, 8 jump back to the start while acc < $limit, else stop
  ;; (and any byte past 8): the program is the bytes from 32 on
  (func (export "run") (param $limit i32) (result i32)
    (local $pc i32) (local $acc i32) (local $op i32)
    (local.set $pc (i32.const 32))
    (block $stop
      (loop $step
        (local.set $op (local.get $pc))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (block $op8
          (block $nop
            (block $op3
              (block $op2
                (block $op1
                  (block $op0
                    (br_table $op0 $op1 $op2 $op3 $nop $nop $nop $nop $op8 $stop
                      (i32.load8_u (local.get $op))))
                  (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
                  (br $step))
                (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
                (br $step))
              (local.set $acc (i32.sub (local.get $acc) (i32.const 3)))
              (br $step))
            (local.set $acc (i32.xor (local.get $acc) (local.get $pc)))
            (br $step))
          (br $step))
        (br_if $stop (i32.ge_u (local.get $acc) (local.get $limit)))
        (local.set $pc (i32.const 32))
        (br $step)))
    (local.get $acc))
  (data (i32.const 32) "\00\01\00\04\03\02\05\00\08\ff"))

(assert_return (invoke "pick_byte" (i32.const 0)) (i32.const 100))
(assert_return (invoke "pick_byte" (i32.const 1)) (i32.const 101))
(assert_return (invoke "pick_byte" (i32.const 2)) (i32.const 102))
(assert_return (invoke "pick_byte" (i32.const 3)) (i32.const 103))
(assert_return (invoke "pick_byte" (i32.const 4)) (i32.const 104))
(assert_return (invoke "pick_byte" (i32.const 5)) (i32.const 105))
(assert_return (invoke "pick_byte" (i32.const 6)) (i32.const 106))
(assert_return (invoke "pick_byte" (i32.const 7)) (i32.const 107))
(assert_return (invoke "pick_byte" (i32.const 8)) (i32.const 108))
(assert_return (invoke "pick_byte" (i32.const 9)) (i32.const 100))
(assert_return (invoke "pick_byte" (i32.const 10)) (i32.const 999))
(assert_return (invoke "pick_byte" (i32.const 11)) (i32.const 999))
(assert_return (invoke "pick_byte" (i32.const 127)) (i32.const 999))
(assert_return (invoke "pick_byte" (i32.const 128)) (i32.const 999))
(assert_return (invoke "pick_byte" (i32.const 254)) (i32.const 999))
(assert_return (invoke "pick_byte" (i32.const 255)) (i32.const 999))
(assert_return (invoke "pick_byte" (i32.const 256)) (i32.const 100))
(assert_return (invoke "pick_byte" (i32.const 0x103)) (i32.const 103))
(assert_return (invoke "pick_byte" (i32.const -1)) (i32.const 999))
(assert_return (invoke "pick" (i32.const 65535)) (i32.const 100))
(assert_trap (invoke "pick" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "pick" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "run" (i32.const 0)) (i32.const 36))
(assert_return (invoke "run" (i32.const 1000)) (i32.const 1820))
(assert_return (invoke "run" (i32.const 100000)) (i32.const 114716))
