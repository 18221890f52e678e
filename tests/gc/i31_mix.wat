;; i31_mix.wat — anyref arrays mixing i31s, boxed i32s (structs) and small
;; arrays, summed by dispatching on the dynamic type (ref.test, br_on_cast,
;; ref.cast), with negative values whose i31.get_s and i31.get_u differ.
;; i31s never allocate; the boxes and arrays beside them do, so a tiny heap
;; collects with i31s in the same arrays and locals as objects, and must
;; leave them as they are.  Element j of round r holds v = r*31 + j*7 - 500.
(module
  (type $box (struct (field $v i32)))
  (type $cell (array i32))
  (type $mix (array (mut anyref)))

  (func $value (param $r i32) (param $j i32) (result i32)
    (i32.sub (i32.add (i32.mul (local.get $r) (i32.const 31))
                      (i32.mul (local.get $j) (i32.const 7)))
             (i32.const 500)))

  (func $make (param $r i32) (param $n i32) (result (ref $mix))
    (local $a (ref null $mix)) (local $j i32) (local $v i32)
    (local.set $a (array.new_default $mix (local.get $n)))
    (loop $each
      (local.set $v (call $value (local.get $r) (local.get $j)))
      (array.set $mix (local.get $a) (local.get $j)
        (if (result anyref) (i32.eqz (i32.rem_u (local.get $j) (i32.const 3)))
          (then (ref.i31 (local.get $v)))
          (else
            (if (result anyref) (i32.eq (i32.rem_u (local.get $j) (i32.const 3)) (i32.const 1))
              (then (struct.new $box (local.get $v)))
              (else (array.new_fixed $cell 1 (local.get $v)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $j) (local.get $n))))
    (ref.as_non_null (local.get $a)))

  ;; The value an element holds, whatever holds it.
  (func $read (param $x anyref) (result i32)
    (if (ref.test (ref i31) (local.get $x))
      (then (return (i31.get_s (ref.cast (ref i31) (local.get $x))))))
    (drop (block $not_box (result anyref)
      (return (struct.get $box $v
        (br_on_cast_fail $not_box anyref (ref $box) (local.get $x))))))
    (array.get $cell (ref.cast (ref $cell) (local.get $x)) (i32.const 0)))

  (func $kind (param $x anyref) (result i32)
    (i32.add (ref.test (ref i31) (local.get $x))
      (i32.add (i32.mul (ref.test (ref $box) (local.get $x)) (i32.const 2))
               (i32.mul (ref.test (ref array) (local.get $x)) (i32.const 4)))))

  (func (export "run") (param $rounds i32) (param $n i32) (result i64)
    (local $a (ref null $mix)) (local $prev (ref null $mix)) (local $r i32) (local $j i32)
    (local $x anyref) (local $sum i64)
    (loop $round
      (local.set $a (call $make (local.get $r) (local.get $n)))
      (local.set $j (i32.const 0))
      (loop $each
        (local.set $x (array.get $mix (local.get $a) (local.get $j)))
        (if (i32.ne (call $read (local.get $x)) (call $value (local.get $r) (local.get $j)))
          (then unreachable))
        ;; one kind per element, the one it was made as
        (if (i32.ne (call $kind (local.get $x))
                    (i32.shl (i32.const 1) (i32.rem_u (local.get $j) (i32.const 3))))
          (then unreachable))
        (local.set $sum (i64.add (local.get $sum)
          (i64.extend_i32_s (call $read (local.get $x)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $each (i32.lt_u (local.get $j) (local.get $n))))
      ;; the previous round's array, moved by now, still reads the same
      (if (i32.eqz (ref.is_null (local.get $prev)))
        (then
          (if (i32.ne (call $read (array.get $mix (local.get $prev) (i32.const 1)))
                      (call $value (i32.sub (local.get $r) (i32.const 1)) (i32.const 1)))
            (then unreachable))
          ;; equal i31s are ref.eq; a fresh box of the same value is not
          (if (i32.eqz (ref.eq (ref.cast eqref (array.get $mix (local.get $prev) (i32.const 0)))
                               (ref.i31 (call $value (i32.sub (local.get $r) (i32.const 1))
                                                     (i32.const 0)))))
            (then unreachable))
          (if (ref.eq (ref.cast eqref (array.get $mix (local.get $prev) (i32.const 1)))
                      (struct.new $box (call $value (i32.sub (local.get $r) (i32.const 1))
                                                    (i32.const 1))))
            (then unreachable))))
      (local.set $prev (local.get $a))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $sum))

  ;; i31's edges: the top bit of 31 is the sign for get_s only, bit 31 of
  ;; the i32 is dropped.
  (func (export "edges") (result i32 i32 i32 i32 i32)
    (i31.get_s (ref.i31 (i32.const 0x40000000)))
    (i31.get_u (ref.i31 (i32.const 0x40000000)))
    (i31.get_s (ref.i31 (i32.const 0x7fffffff)))
    (i31.get_u (ref.i31 (i32.const -1)))
    (i31.get_s (ref.i31 (i32.const 0x80000005))))
)
