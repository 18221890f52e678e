;; array_data.wat — arrays from and into segments: array.new_data and
;; array.init_data from a passive data segment (bytes and i16s read signed
;; and unsigned, little-endian), array.new_elem and array.init_elem from a
;; passive element segment of structs (each made by a constant expression)
;; and i31s, in a loop that allocates, so that segments' objects and the
;; arrays made from them survive collections; and the bounds of both
;; (out of bounds memory, table and array access).
(module
  (type $bytes (array (mut i8)))
  (type $shorts (array (mut i16)))
  (type $box (struct (field i32)))
  (type $refs (array (mut anyref)))
  (data $d "\01\80\ff\7f\34\12\00\90")
  (elem $e anyref (item (struct.new $box (i32.const 7))) (item (ref.i31 (i32.const -3)))
                  (item (ref.null any)) (item (struct.new $box (i32.const 11))))

  ;; What an element holds: a box's field, an i31's value, or 1000 for null.
  (func $read (param $x anyref) (result i32)
    (if (ref.is_null (local.get $x)) (then (return (i32.const 1000))))
    (if (ref.test (ref i31) (local.get $x))
      (then (return (i31.get_s (ref.cast (ref i31) (local.get $x))))))
    (struct.get $box 0 (ref.cast (ref $box) (local.get $x))))

  (func (export "run") (param $rounds i32) (result i64)
    (local $b (ref null $bytes)) (local $s (ref null $shorts)) (local $r (ref null $refs))
    (local $i i32) (local $sum i64)
    (loop $round
      (local.set $b (array.new_data $bytes $d (i32.const 0) (i32.const 8)))
      (local.set $s (array.new_data $shorts $d (i32.const 4) (i32.const 2)))
      (local.set $r (array.new_elem $refs $e (i32.const 0) (i32.const 4)))
      (if (i32.ne (array.get_s $bytes (local.get $b) (i32.const 1)) (i32.const -128))
        (then unreachable))
      (if (i32.ne (array.get_u $bytes (local.get $b) (i32.const 2)) (i32.const 255))
        (then unreachable))
      (if (i32.ne (array.get_u $shorts (local.get $s) (i32.const 0)) (i32.const 0x1234))
        (then unreachable))
      (if (i32.ne (array.get_s $shorts (local.get $s) (i32.const 1)) (i32.const -28672))
        (then unreachable))
      ;; overwrite the middle from the segments again, shifted
      (array.init_data $bytes $d (local.get $b) (i32.const 2) (i32.const 0) (i32.const 4))
      (array.init_elem $refs $e (local.get $r) (i32.const 1) (i32.const 0) (i32.const 2))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_s
        (i32.add (array.get_s $bytes (local.get $b) (i32.const 3))
          (i32.add (call $read (array.get $refs (local.get $r) (i32.const 1)))
            (i32.add (call $read (array.get $refs (local.get $r) (i32.const 2)))
                     (call $read (array.get $refs (local.get $r) (i32.const 3)))))))))
      ;; the element segment's objects are the same each time
      (if (i32.eqz (ref.eq (ref.cast eqref (array.get $refs (local.get $r) (i32.const 0)))
                           (ref.cast eqref (array.get $refs (local.get $r) (i32.const 1)))))
        (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (local.get $rounds))))
    (local.get $sum))

  (func (export "data_oob") (param $at i32) (param $n i32) (result i32)
    (array.len (array.new_data $bytes $d (local.get $at) (local.get $n))))
  (func (export "elem_oob") (param $at i32) (param $n i32) (result i32)
    (array.len (array.new_elem $refs $e (local.get $at) (local.get $n))))
  (func (export "init_oob") (param $at i32) (result i32)
    (array.init_data $bytes $d (array.new_default $bytes (i32.const 4)) (local.get $at)
                     (i32.const 0) (i32.const 2))
    (i32.const 0))
)
