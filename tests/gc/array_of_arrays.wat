;; array_of_arrays.wat — a grid of n rows of i32 whose rows are all
;; replaced every round, made three ways (array.new, array.new_default,
;; array.new_default + array.fill), concatenated with array.copy into new
;; arrays, shifted in place by an overlapping array.copy, and byte arrays
;; from array.new_fixed read signed and unsigned (array_data.wat has the
;; segment instructions).  Row i
;; of round r has (i + r) % 9 + 1 elements, element k being r*1000 + i*10 + k.
(module
  (type $row (array (mut i32)))
  (type $grid (array (mut (ref null $row))))
  (type $bytes (array (mut i8)))

  (func $base (param $r i32) (param $i i32) (result i32)
    (i32.add (i32.mul (local.get $r) (i32.const 1000)) (i32.mul (local.get $i) (i32.const 10))))

  (func $length (param $r i32) (param $i i32) (result i32)
    (i32.add (i32.rem_u (i32.add (local.get $i) (local.get $r)) (i32.const 9)) (i32.const 1)))

  (func $make_row (param $r i32) (param $i i32) (result (ref $row))
    (local $row (ref null $row)) (local $len i32) (local $base i32) (local $k i32)
    (local.set $len (call $length (local.get $r) (local.get $i)))
    (local.set $base (call $base (local.get $r) (local.get $i)))
    (local.set $k (i32.const 1))
    (block $made
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 3)))
        (then (local.set $row (array.new $row (local.get $base) (local.get $len))) (br $made)))
      (local.set $row (array.new_default $row (local.get $len)))
      (if (i32.eq (i32.rem_u (local.get $i) (i32.const 3)) (i32.const 1))
        (then (local.set $k (i32.const 0)) (br $made)))
      (array.fill $row (local.get $row) (i32.const 0) (local.get $base) (local.get $len)))
    ;; element 0 is already base unless the row was made zero
    (block $done
      (loop $set
        (br_if $done (i32.ge_u (local.get $k) (local.get $len)))
        (array.set $row (local.get $row) (local.get $k) (i32.add (local.get $base) (local.get $k)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $set)))
    (ref.as_non_null (local.get $row)))

  ;; Elements from `at` on are base+0, base+1, ... for `count` of them.
  (func $expect (param $row (ref $row)) (param $at i32) (param $base i32) (param $count i32)
    (local $k i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (if (i32.ne (array.get $row (local.get $row) (i32.add (local.get $at) (local.get $k)))
                    (i32.add (local.get $base) (local.get $k)))
          (then unreachable))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each))))

  (func $sum (param $row (ref $row)) (result i32)
    (local $k i32) (local $s i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $k) (array.len (local.get $row))))
        (local.set $s (i32.add (local.get $s) (array.get $row (local.get $row) (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each)))
    (local.get $s))

  (func $bytes (result i32)
    (local $a (ref null $bytes)) (local $b (ref null $bytes))
    (local.set $a (array.new_fixed $bytes 4 (i32.const 1) (i32.const 0x80) (i32.const -1)
                                            (i32.const 0x17f)))
    (local.set $b (array.new_fixed $bytes 4 (i32.const 1) (i32.const 0x80) (i32.const 0xff)
                                            (i32.const 0x7f)))
    ;; the same bytes both ways: 1, 0x80, 0xff, 0x7f
    (if (i32.ne (array.get_s $bytes (local.get $a) (i32.const 1)) (i32.const -128))
      (then unreachable))
    (if (i32.ne (array.get_u $bytes (local.get $b) (i32.const 2)) (i32.const 255))
      (then unreachable))
    (if (i32.ne (array.get_s $bytes (local.get $b) (i32.const 2)) (i32.const -1))
      (then unreachable))
    (if (i32.ne (array.get_u $bytes (local.get $a) (i32.const 3)) (i32.const 0x7f))
      (then unreachable))
    (i32.add (array.get_u $bytes (local.get $a) (i32.const 1))
             (array.get_s $bytes (local.get $b) (i32.const 1))))

  (func (export "run") (param $rounds i32) (param $n i32) (result i64)
    (local $grid (ref null $grid)) (local $r i32) (local $i i32) (local $j i32)
    (local $a (ref null $row)) (local $b (ref null $row)) (local $cat (ref null $row))
    (local $la i32) (local $lb i32) (local $sum i64)
    (local.set $grid (array.new_default $grid (local.get $n)))
    (loop $round
      (local.set $i (i32.const 0))
      (loop $fill
        (array.set $grid (local.get $grid) (local.get $i)
          (call $make_row (local.get $r) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $fill (i32.lt_u (local.get $i) (local.get $n))))
      (local.set $i (i32.const 0))
      (loop $rows
        (local.set $j (i32.rem_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
        (local.set $a (array.get $grid (local.get $grid) (local.get $i)))
        (local.set $b (array.get $grid (local.get $grid) (local.get $j)))
        (local.set $la (array.len (local.get $a)))
        (local.set $lb (array.len (local.get $b)))
        (if (i32.ne (local.get $la) (call $length (local.get $r) (local.get $i)))
          (then unreachable))
        (call $expect (ref.as_non_null (local.get $a)) (i32.const 0)
                      (call $base (local.get $r) (local.get $i)) (local.get $la))
        ;; row i ++ row j in a new array
        (local.set $cat (array.new_default $row (i32.add (local.get $la) (local.get $lb))))
        (array.copy $row $row (local.get $cat) (i32.const 0) (local.get $a) (i32.const 0)
                    (local.get $la))
        (array.copy $row $row (local.get $cat) (local.get $la) (local.get $b) (i32.const 0)
                    (local.get $lb))
        (call $expect (ref.as_non_null (local.get $cat)) (i32.const 0)
                      (call $base (local.get $r) (local.get $i)) (local.get $la))
        (call $expect (ref.as_non_null (local.get $cat)) (local.get $la)
                      (call $base (local.get $r) (local.get $j)) (local.get $lb))
        (local.set $sum (i64.add (local.get $sum)
          (i64.extend_i32_u (call $sum (ref.as_non_null (local.get $cat))))))
        ;; shift the concatenation right by one, in place (overlapping)
        (array.copy $row $row (local.get $cat) (i32.const 1) (local.get $cat) (i32.const 0)
                    (i32.sub (array.len (local.get $cat)) (i32.const 1)))
        (call $expect (ref.as_non_null (local.get $cat)) (i32.const 1)
                      (call $base (local.get $r) (local.get $i)) (local.get $la))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $i) (local.get $n))))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $bytes))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $sum))
)
