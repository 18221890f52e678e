;; The size of a memory is never below its declared minimum (memory only
;; grows; an import has at least what it declares), and
;; the load of the size says so with !range (at least 2 pages here), so
;; that LLVM drops the explicit check of an access that lies below the
;; minimum whatever its operand: a table lookup with an index masked to 8
;; bits (f0), a constant address whose last byte is the minimum's (f1).  An
;; access that may pass the minimum keeps its check: one byte further (f2),
;; an address of any value (f3).
;; RUN: -O0 --bounds-checks=explicit => RANGE
;; RUN: -O2 --bounds-checks=explicit => FOLDED
;; RUN: -O2 --bounds-checks=explicit --target=aarch64-linux-gnu => FOLDED
(module
  (memory 2 4)
  (func (export "lookup") (param $i i32) (result i32)
    (i32.load offset=1024 (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2))))
  (func (export "last_word") (result i32)
    (i32.load (i32.const 131068)))
  (func (export "past_minimum") (result i32)
    (i32.load (i32.const 131069)))
  (func (export "any") (param $a i32) (result i32)
    (i32.load (local.get $a))))

;; RANGE-LABEL: define internal i32 @w2n_f0(
;; RANGE: %mem_size = load i64, ptr %{{[0-9]+}}, align 8, !tbaa !{{[0-9]+}}, !range ![[R:[0-9]+]]
;; RANGE: ![[R]] = !{i64 131072, i64 0}

;; FOLDED-LABEL: define internal i32 @w2n_f0(
;; FOLDED-NOT: icmp
;; FOLDED-NOT: trap
;; FOLDED: load i32
;; FOLDED: ret i32
;; FOLDED-LABEL: define internal i32 @w2n_f1(
;; FOLDED-NOT: icmp
;; FOLDED-NOT: trap
;; FOLDED: load i32
;; FOLDED: ret i32
;; FOLDED-LABEL: define internal i32 @w2n_f2(
;; FOLDED: icmp
;; FOLDED: trap
;; FOLDED-LABEL: define internal i32 @w2n_f3(
;; FOLDED: icmp
;; FOLDED: trap
