;; casts_hot.wat — casts in a hot loop: an array of shapes of four kinds
;; (circle, rectangle, square <: rectangle, and null) rebuilt each round
;; and measured by dispatching on the dynamic type with br_on_cast,
;; br_on_cast_fail, ref.test and ref.cast, each kind counted and every
;; area checked against its closed form.  The shapes of round r: i % 4 is
;; the kind, the size s = (i + r) % 13 + 1.
(module
  (type $shape (sub (struct (field $tag i32))))
  (type $circle (sub final $shape (struct (field $tag i32) (field $r i32))))
  (type $rect (sub $shape (struct (field $tag i32) (field $w i32) (field $h i32))))
  (type $square (sub final $rect (struct (field $tag i32) (field $w i32) (field $h i32))))
  (type $shapes (array (mut (ref null $shape))))

  (func $size (param $r i32) (param $i i32) (result i32)
    (i32.add (i32.rem_u (i32.add (local.get $i) (local.get $r)) (i32.const 13)) (i32.const 1)))

  (func $make (param $i i32) (param $s i32) (result (ref null $shape))
    (block $null
      (block $square
        (block $rect
          (block $circle
            (br_table $circle $rect $square $null (i32.rem_u (local.get $i) (i32.const 4))))
          (return (struct.new $circle (i32.const 0) (local.get $s))))
        (return (struct.new $rect (i32.const 1) (local.get $s) (i32.add (local.get $s) (i32.const 2)))))
      (return (struct.new $square (i32.const 2) (local.get $s) (local.get $s))))
    (ref.null $shape))

  (func $expected_area (param $i i32) (param $s i32) (result i32)
    (block $null
      (block $square
        (block $rect
          (block $circle
            (br_table $circle $rect $square $null (i32.rem_u (local.get $i) (i32.const 4))))
          (return (i32.mul (i32.const 3) (i32.mul (local.get $s) (local.get $s)))))
        (return (i32.mul (local.get $s) (i32.add (local.get $s) (i32.const 2)))))
      (return (i32.mul (local.get $s) (local.get $s))))
    (i32.const 0))

  ;; Area by dynamic type; a square is a rect, tested first so br_on_cast
  ;; to $rect must not take it.
  (func $area (param $x (ref null $shape)) (result i32)
    (local $q (ref null $rect))
    (if (ref.is_null (local.get $x)) (then (return (i32.const 0))))
    (if (ref.test (ref $square) (local.get $x))
      (then
        (local.set $q (ref.cast (ref $rect) (local.get $x)))
        (if (i32.ne (struct.get $rect $w (local.get $q)) (struct.get $rect $h (local.get $q)))
          (then unreachable))
        (return (i32.mul (struct.get $rect $w (local.get $q)) (struct.get $rect $w (local.get $q))))))
    (drop (block $not_circle (result (ref null $shape))
      (return (i32.mul (i32.const 3)
        (call $square_of (struct.get $circle $r
          (br_on_cast_fail $not_circle (ref null $shape) (ref $circle) (local.get $x))))))))
    (block $is_rect (result (ref $rect))
      (br_on_cast $is_rect (ref null $shape) (ref $rect) (local.get $x))
      unreachable)
    (local.set $q)
    (if (i32.ne (struct.get $shape $tag (local.get $q)) (i32.const 1)) (then unreachable))
    (i32.mul (struct.get $rect $w (local.get $q)) (struct.get $rect $h (local.get $q))))

  (func $square_of (param $v i32) (result i32) (i32.mul (local.get $v) (local.get $v)))

  (func (export "run") (param $rounds i32) (param $n i32) (result i64)
    (local $a (ref null $shapes)) (local $x (ref null $shape)) (local $r i32) (local $i i32)
    (local $rects i32) (local $sum i64)
    (loop $round
      (local.set $a (array.new_default $shapes (local.get $n)))
      (local.set $i (i32.const 0))
      (loop $fill
        (array.set $shapes (local.get $a) (local.get $i)
          (call $make (local.get $i) (call $size (local.get $r) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $fill (i32.lt_u (local.get $i) (local.get $n))))
      (local.set $i (i32.const 0))
      (local.set $rects (i32.const 0))
      (loop $measure
        (local.set $x (array.get $shapes (local.get $a) (local.get $i)))
        (if (i32.ne (call $area (local.get $x))
                    (call $expected_area (local.get $i) (call $size (local.get $r) (local.get $i))))
          (then unreachable))
        ;; squares and rects are rects; circles and nulls are not
        (local.set $rects (i32.add (local.get $rects) (ref.test (ref $rect) (local.get $x))))
        (if (i32.ne (ref.test (ref null $circle) (local.get $x))
                    (i32.or (i32.eqz (i32.rem_u (local.get $i) (i32.const 4)))
                            (i32.eq (i32.rem_u (local.get $i) (i32.const 4)) (i32.const 3))))
          (then unreachable))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $area (local.get $x)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $measure (i32.lt_u (local.get $i) (local.get $n))))
      (if (i32.ne (local.get $rects)
                  (i32.add (i32.div_u (i32.add (local.get $n) (i32.const 2)) (i32.const 4))
                           (i32.div_u (i32.add (local.get $n) (i32.const 1)) (i32.const 4))))
        (then unreachable))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $sum))
)
