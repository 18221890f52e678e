;; subtype_chain.wat — a chain of ten struct types, $t9 <: $t8 <: ... <: $t0,
;; each adding an i32 field (so $tK has K+1 fields): deeper than the
;; 6 supertypes a descriptor's display holds (docs/gc.md), so casts to
;; $t6..$t9 take the other path.  Objects of every depth are made in turn,
;; kept in an array of (ref null $t0), and each is tested against every
;; level (ref.test must say depth >= level), cast down (ref.cast,
;; br_on_cast) and read through its supertypes: field L of an object made
;; with x is x + L at every level.  Written by a script; the pattern is
;; the same for each level.
(module
  (type $t0 (sub (struct (field i32))))
  (type $t1 (sub $t0 (struct (field i32) (field i32))))
  (type $t2 (sub $t1 (struct (field i32) (field i32) (field i32))))
  (type $t3 (sub $t2 (struct (field i32) (field i32) (field i32) (field i32))))
  (type $t4 (sub $t3 (struct (field i32) (field i32) (field i32) (field i32) (field i32))))
  (type $t5 (sub $t4 (struct (field i32) (field i32) (field i32) (field i32) (field i32) (field i32))))
  (type $t6 (sub $t5 (struct (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32))))
  (type $t7 (sub $t6 (struct (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32))))
  (type $t8 (sub $t7 (struct (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32))))
  (type $t9 (sub $t8 (struct (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32))))
  (type $objs (array (mut (ref null $t0))))

  ;; An object of type $tK whose field L is x + L.
  (func $make (param $k i32) (param $x i32) (result (ref $t0))
    (block $d9
    (block $d8
    (block $d7
    (block $d6
    (block $d5
    (block $d4
    (block $d3
    (block $d2
    (block $d1
    (block $d0
      (br_table $d0 $d1 $d2 $d3 $d4 $d5 $d6 $d7 $d8 $d9 (local.get $k)))
    (return (struct.new $t0 (i32.add (local.get $x) (i32.const 0)))))
    (return (struct.new $t1 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)))))
    (return (struct.new $t2 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)))))
    (return (struct.new $t3 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.add (local.get $x) (i32.const 3)))))
    (return (struct.new $t4 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.add (local.get $x) (i32.const 3)) (i32.add (local.get $x) (i32.const 4)))))
    (return (struct.new $t5 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.add (local.get $x) (i32.const 3)) (i32.add (local.get $x) (i32.const 4)) (i32.add (local.get $x) (i32.const 5)))))
    (return (struct.new $t6 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.add (local.get $x) (i32.const 3)) (i32.add (local.get $x) (i32.const 4)) (i32.add (local.get $x) (i32.const 5)) (i32.add (local.get $x) (i32.const 6)))))
    (return (struct.new $t7 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.add (local.get $x) (i32.const 3)) (i32.add (local.get $x) (i32.const 4)) (i32.add (local.get $x) (i32.const 5)) (i32.add (local.get $x) (i32.const 6)) (i32.add (local.get $x) (i32.const 7)))))
    (return (struct.new $t8 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.add (local.get $x) (i32.const 3)) (i32.add (local.get $x) (i32.const 4)) (i32.add (local.get $x) (i32.const 5)) (i32.add (local.get $x) (i32.const 6)) (i32.add (local.get $x) (i32.const 7)) (i32.add (local.get $x) (i32.const 8)))))
    (return (struct.new $t9 (i32.add (local.get $x) (i32.const 0)) (i32.add (local.get $x) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.add (local.get $x) (i32.const 3)) (i32.add (local.get $x) (i32.const 4)) (i32.add (local.get $x) (i32.const 5)) (i32.add (local.get $x) (i32.const 6)) (i32.add (local.get $x) (i32.const 7)) (i32.add (local.get $x) (i32.const 8)) (i32.add (local.get $x) (i32.const 9))))
  )

  ;; 1 if o is a $tL (its depth is at least L), checking its field L
  ;; through a cast to $tL.
  (func $level (param $o (ref null $t0)) (param $l i32) (param $x i32) (result i32)
    (block $no
    (block $l9
    (block $l8
    (block $l7
    (block $l6
    (block $l5
    (block $l4
    (block $l3
    (block $l2
    (block $l1
    (block $l0
      (br_table $l0 $l1 $l2 $l3 $l4 $l5 $l6 $l7 $l8 $l9 $no (local.get $l)))
    (br_if $no (i32.eqz (ref.test (ref $t0) (local.get $o))))
    (if (i32.ne (struct.get $t0 0 (ref.cast (ref $t0) (local.get $o)))
                (i32.add (local.get $x) (i32.const 0)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t1) (local.get $o))))
    (if (i32.ne (struct.get $t1 1 (ref.cast (ref $t1) (local.get $o)))
                (i32.add (local.get $x) (i32.const 1)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t2) (local.get $o))))
    (if (i32.ne (struct.get $t2 2 (ref.cast (ref $t2) (local.get $o)))
                (i32.add (local.get $x) (i32.const 2)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t3) (local.get $o))))
    (if (i32.ne (struct.get $t3 3 (ref.cast (ref $t3) (local.get $o)))
                (i32.add (local.get $x) (i32.const 3)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t4) (local.get $o))))
    (if (i32.ne (struct.get $t4 4 (ref.cast (ref $t4) (local.get $o)))
                (i32.add (local.get $x) (i32.const 4)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t5) (local.get $o))))
    (if (i32.ne (struct.get $t5 5 (ref.cast (ref $t5) (local.get $o)))
                (i32.add (local.get $x) (i32.const 5)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t6) (local.get $o))))
    (if (i32.ne (struct.get $t6 6 (ref.cast (ref $t6) (local.get $o)))
                (i32.add (local.get $x) (i32.const 6)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t7) (local.get $o))))
    (if (i32.ne (struct.get $t7 7 (ref.cast (ref $t7) (local.get $o)))
                (i32.add (local.get $x) (i32.const 7)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t8) (local.get $o))))
    (if (i32.ne (struct.get $t8 8 (ref.cast (ref $t8) (local.get $o)))
                (i32.add (local.get $x) (i32.const 8)))
      (then unreachable))
    (return (i32.const 1)))
    (br_if $no (i32.eqz (ref.test (ref $t9) (local.get $o))))
    (if (i32.ne (struct.get $t9 9 (ref.cast (ref $t9) (local.get $o)))
                (i32.add (local.get $x) (i32.const 9)))
      (then unreachable))
    (return (i32.const 1)))
    (i32.const 0))

  ;; br_on_cast down to $t7 (past the display): its field 7, or -1.
  (func $field7 (param $o (ref null $t0)) (result i32)
    (block $is7 (result (ref $t7))
      (br_on_cast $is7 (ref null $t0) (ref $t7) (local.get $o))
      (return (i32.const -1)))
    (struct.get $t7 7))

  (func (export "run") (param $rounds i32) (param $n i32) (result i64)
    (local $a (ref null $objs)) (local $o (ref null $t0)) (local $r i32) (local $i i32)
    (local $k i32) (local $l i32) (local $x i32) (local $hits i32) (local $sum i64)
    (loop $round
      (local.set $a (array.new_default $objs (local.get $n)))
      (local.set $i (i32.const 0))
      (loop $fill
        (array.set $objs (local.get $a) (local.get $i)
          (call $make (i32.rem_u (i32.add (local.get $i) (local.get $r)) (i32.const 10))
                      (i32.add (i32.mul (local.get $r) (i32.const 100)) (local.get $i))))
        ;; and garbage, so that a small run fills the heap often
        (drop (array.new_default $objs (i32.const 12)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $fill (i32.lt_u (local.get $i) (local.get $n))))
      (local.set $i (i32.const 0))
      (loop $each
        (local.set $o (array.get $objs (local.get $a) (local.get $i)))
        (local.set $k (i32.rem_u (i32.add (local.get $i) (local.get $r)) (i32.const 10)))
        (local.set $x (i32.add (i32.mul (local.get $r) (i32.const 100)) (local.get $i)))
        (local.set $hits (i32.const 0))
        (local.set $l (i32.const 0))
        (loop $levels
          (local.set $hits (i32.add (local.get $hits)
            (call $level (local.get $o) (local.get $l) (local.get $x))))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br_if $levels (i32.lt_u (local.get $l) (i32.const 10))))
        ;; an object of depth k is of exactly the levels 0..k
        (if (i32.ne (local.get $hits) (i32.add (local.get $k) (i32.const 1)))
          (then unreachable))
        (if (i32.ne (call $field7 (local.get $o))
                    (select (i32.add (local.get $x) (i32.const 7)) (i32.const -1)
                            (i32.ge_u (local.get $k) (i32.const 7))))
          (then unreachable))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $hits))))
        (local.set $sum (i64.add (local.get $sum)
          (i64.extend_i32_u (struct.get $t0 0 (local.get $o)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $each (i32.lt_u (local.get $i) (local.get $n))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $sum))
)
