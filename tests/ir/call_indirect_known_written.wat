;; A module with an instruction that may write a table (here table.set) has
;; no table with known elements: every call_indirect takes the ordinary path
;; through the element's record (lower_table_known.c).
;; RUN: -O0 => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (table $tab 2 2 funcref)
  (func $a (type $t) (local.get 0))
  (elem (i32.const 0) func $a)
  (func (export "call") (param $i i32) (result i32)
    (call_indirect (type $t) (i32.const 5) (local.get $i)))
  (func (export "clear") (table.set $tab (i32.const 0) (ref.null func))))

;; CHECK-NOT: code_type
;; CHECK-LABEL: define internal i32 @w2n_f1(
;; CHECK-NOT: known_code
;; CHECK: %table_elems = load ptr
