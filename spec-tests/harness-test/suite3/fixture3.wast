;; A Wasm 3.0-syntax script for the harness's own test (spec3.fixture): module
;; definitions and instances, named instances, register, `either` results.
;; Five commands are wrong on purpose, so the harness must count them failed: the
;; assert_trap of an instance that instantiates fine, the last `either`, the two
;; assert_exception of a function that returns and of one that traps, and an
;; action that ends in an uncaught exception.
(module definition $Adder
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (global (export "g") i32 (i32.const 7)))
(module instance $A1 $Adder)
(module instance $A2 $Adder)
(register "adder" $A1)

(module
  (import "adder" "add" (func $add (param i32 i32) (result i32)))
  (func (export "twice") (param i32) (result i32)
    (call $add (local.get 0) (local.get 0)))
  (func (export "pair") (result i32 f32)
    (i32.const 3) (f32.const nan)))

(assert_return (invoke $A2 "add" (i32.const 2) (i32.const 3)) (i32.const 5))
(assert_return (get $A1 "g") (i32.const 7))
(assert_return (invoke "twice" (i32.const 21)) (either (i32.const 41) (i32.const 42)))
(assert_return (invoke "pair")
  (either (i32.const 3) (i32.const 4)) (f32.const nan:canonical))
(assert_trap (module instance $Adder) "never traps")
(assert_invalid (module (func (result i32))) "type mismatch")
(module definition $Bad (func (export "f") (result i32) (i32.const 1)))




(assert_return (invoke "twice" (i32.const 1)) (either (i32.const 3) (i32.const 4)))

(module
  (func (export "returns") (result i32) (i32.const 1))
  (func (export "traps") (unreachable)))
(assert_exception (invoke "returns"))
(assert_exception (invoke "traps"))

(module
  (tag $t (param i32))
  (func (export "throws") (throw $t (i32.const 7))))
(assert_exception (invoke "throws"))
(invoke "throws")
