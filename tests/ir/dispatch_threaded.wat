;; On x86-64 a br_table of 8 or more targets on a byte (i32.load8_u: an
;; interpreter's opcode) is a load from a constant table of 256 block
;; addresses and an indirectbr (lower_dispatch.c): entry i is target i's edge
;; below the count and the default's from there on, so no range check; LLVM
;; then copies the dispatch into every handler, each ending in its own
;; indirect jump.  Seven targets, an index that is not a byte, a br_table
;; outside any loop (not a dispatch) and AArch64 keep the switch.
;; RUN: -O0 => X86
;; RUN: -O0 --target=aarch64-linux-gnu => OTHER
;; RUN-ASM: -O2 => ASM
(module
  (memory 1)
  (func $interpret (export "interpret") (param i32) (result i32)
    (local i32)
    (loop $step
      (block $halt
        (block $op7
          (block $op6
            (block $op5
              (block $op4
                (block $op3
                  (block $op2
                    (block $op1
                      (block $op0
                        (br_table $op0 $op1 $op2 $op3 $op4 $op5 $op6 $op7 $halt (i32.load8_u (local.get 0))))
                        (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 3)) (i32.const 0)))
                        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                        (br $step))
                      (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 4)) (i32.const 1)))
                      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                      (br $step))
                    (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 5)) (i32.const 2)))
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (br $step))
                  (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 6)) (i32.const 3)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (br $step))
                (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 7)) (i32.const 4)))
                (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                (br $step))
              (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 8)) (i32.const 5)))
              (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (br $step))
            (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 9)) (i32.const 6)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $step))
          (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 10)) (i32.const 7)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br $step)))
    (local.get 1))
  ;; seven targets: a switch
  (func $small_switch (export "small_switch") (param i32) (result i32)
    (local i32)
    (loop $step
      (block $halt
        (block $op6
          (block $op5
            (block $op4
              (block $op3
                (block $op2
                  (block $op1
                    (block $op0
                      (br_table $op0 $op1 $op2 $op3 $op4 $op5 $op6 $halt (i32.load8_u (local.get 0))))
                      (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 3)) (i32.const 0)))
                      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                      (br $step))
                    (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 4)) (i32.const 1)))
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (br $step))
                  (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 5)) (i32.const 2)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (br $step))
                (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 6)) (i32.const 3)))
                (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                (br $step))
              (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 7)) (i32.const 4)))
              (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (br $step))
            (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 8)) (i32.const 5)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $step))
          (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 9)) (i32.const 6)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br $step)))
    (local.get 1))
  ;; an index that is not a byte: a switch
  (func $word_index (export "word_index") (param i32) (result i32)
    (local i32)
    (loop $step
      (block $halt
        (block $op7
          (block $op6
            (block $op5
              (block $op4
                (block $op3
                  (block $op2
                    (block $op1
                      (block $op0
                        (br_table $op0 $op1 $op2 $op3 $op4 $op5 $op6 $op7 $halt (i32.load (local.get 0))))
                        (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 3)) (i32.const 0)))
                        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                        (br $step))
                      (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 4)) (i32.const 1)))
                      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                      (br $step))
                    (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 5)) (i32.const 2)))
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (br $step))
                  (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 6)) (i32.const 3)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (br $step))
                (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 7)) (i32.const 4)))
                (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                (br $step))
              (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 8)) (i32.const 5)))
              (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (br $step))
            (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 9)) (i32.const 6)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $step))
          (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 10)) (i32.const 7)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br $step)))
    (local.get 1))
  ;; no loop: not a dispatch, a switch
  (func $once (export "once") (param i32) (result i32)
    (block $halt (block $op7 (block $op6 (block $op5 (block $op4 (block $op3
      (block $op2 (block $op1 (block $op0
        (br_table $op0 $op1 $op2 $op3 $op4 $op5 $op6 $op7 $halt (i32.load8_u (local.get 0))))
        (return (i32.const 10)))
        (return (i32.const 11)))
        (return (i32.const 12)))
        (return (i32.const 13)))
        (return (i32.const 14)))
        (return (i32.const 15)))
        (return (i32.const 16)))
        (return (i32.const 17)))
    (i32.const 18))
)

;; X86: @w2n_dispatch = private unnamed_addr constant [256 x ptr] [ptr blockaddress(@w2n_f0, %[[OP0:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[OP1:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[OP2:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[OP3:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[OP4:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[OP5:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[OP6:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[OP7:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[HALT:br_table_edge[0-9]*]]), ptr blockaddress(@w2n_f0, %[[HALT]]), {{(ptr blockaddress\(@w2n_f0, %br_table_edge[0-9]*\), ){245}ptr}} blockaddress(@w2n_f0, %[[HALT]])]
;; X86-NOT: @w2n_dispatch
;; X86-LABEL: define {{.*}} @w2n_f0(
;; X86: %[[INDEX:[0-9]+]] = zext i8 %{{[0-9]+}} to i32
;; X86: %[[WIDE:[0-9]+]] = zext i32 %[[INDEX]] to i64
;; X86: %dispatch_slot = getelementptr inbounds [256 x ptr], ptr @w2n_dispatch, i64 0, i64 %[[WIDE]]
;; X86-NEXT: %dispatch_code = load ptr, ptr %dispatch_slot
;; X86-NEXT: indirectbr ptr %dispatch_code, [label %[[OP0]], label %[[OP1]], label %[[OP2]], label %[[OP3]], label %[[OP4]], label %[[OP5]], label %[[OP6]], label %[[OP7]], label %[[HALT]]]
;; X86-NOT: switch
;; X86-LABEL: define {{.*}} @w2n_f1(
;; X86-NOT: indirectbr
;; X86: switch i32
;; X86-LABEL: define {{.*}} @w2n_f2(
;; X86-NOT: indirectbr
;; X86: switch i32
;; X86-LABEL: define {{.*}} @w2n_f3(
;; X86-NOT: indirectbr
;; X86: switch i32
;; OTHER-NOT: indirectbr
;; OTHER-NOT: @w2n_dispatch
;; ASM-LABEL: <w2n_f0>:
;; ASM: jmpq *
;; ASM: jmpq *
;; ASM: jmpq *
;; ASM-LABEL: <w2n_f1>:
;; ASM-NOT: jmpq *
;; ASM-LABEL: <w2n_f2>:
