;; A table nothing can change (defined, not exported, fixed size, filled by
;; active segments at constant offsets, no instruction writes a table) has
;; known elements: call_indirect reads the callee's code from a constant array
;; per table and type, null where the element is null, of another type or not
;; this module's, and calls it with its own vmctx; a null entry takes the
;; ordinary path through the record (lower_table_known.c, lower_call.c).  An
;; exported table keeps only the ordinary path.
;; RUN: -O0 => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (type $u (func (result i64)))
  (import "m" "f" (func $imported (type $t)))
  (table $known 4 4 funcref)
  (table $exported (export "tab") 2 2 funcref)
  (func $a (type $t) (local.get 0))
  (func $b (type $u) (i64.const 7))
  (elem (table $known) (i32.const 0) func $a $b $imported)
  (elem (table $exported) (i32.const 0) func $a)
  (func (export "known") (param $i i32) (result i32)
    (call_indirect $known (type $t) (i32.const 5) (local.get $i)))
  (func (export "exported") (param $i i32) (result i32)
    (call_indirect $exported (type $t) (i32.const 5) (local.get $i))))

;; CHECK: @w2n_table0_code_type0 = private unnamed_addr constant [4 x ptr] [ptr @w2n_f1, ptr null, ptr null, ptr null]
;; CHECK-NOT: @w2n_table1_code
;; CHECK-LABEL: define internal i32 @w2n_f3(
;; CHECK: icmp uge i32 %{{[0-9]+}}, 4
;; CHECK: %known_code = load ptr, ptr %{{[0-9]+}}
;; CHECK: known_call:
;; CHECK-NEXT: notail call i32 %known_code(ptr %0, i32 5)
;; CHECK: records:
;; CHECK: %table_elems = load ptr
;; CHECK: call_joined:
;; CHECK-NEXT: phi i32
;; CHECK-LABEL: define internal i32 @w2n_f4(
;; CHECK-NOT: known_code
;; CHECK: ret i32
