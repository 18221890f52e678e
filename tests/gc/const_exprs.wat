;; const_exprs.wat — objects made by constant expressions at instantiation:
;; a chain of structs through immutable globals (each reads the one before),
;; arrays from array.new, array.new_default and array.new_fixed, an i31, the
;; extern/any round trip of an object, a table whose initialiser makes a
;; struct, and a passive element segment of structs; garbage made in
;; constant expressions too, so that the heap's tiny limit collects while
;; the instance is made.  Then rounds of garbage in compiled code, after
;; each of which every one of those objects is checked: values, lengths and
;; identities (ref.eq) across the moves.
(module
  (type $node (struct (field i32) (field (ref null $node))))
  (type $vec (array (mut i32)))
  (type $holder (array (mut anyref)))

  ;; 400 bytes of garbage, dropped by an array.new of length 0.
  (global $junk0 anyref (array.new $holder (array.new_default $vec (i32.const 100)) (i32.const 0)))
  (global $g0 (ref $node) (struct.new $node (i32.const 1) (ref.null $node)))
  (global $g1 (ref $node) (struct.new $node (i32.const 2) (global.get $g0)))
  (global $junk1 anyref (array.new $holder (array.new_default $vec (i32.const 100)) (i32.const 0)))
  (global $g2 (ref $node) (struct.new $node (i32.const 3) (global.get $g1)))
  (global $g3 (ref $node) (struct.new $node (i32.const 4) (global.get $g2)))
  (global $junk2 anyref (array.new $holder (array.new_default $vec (i32.const 100)) (i32.const 0)))
  (global $g4 (ref $node) (struct.new $node (i32.const 5) (global.get $g3)))
  (global $g5 (ref $node) (struct.new $node (i32.const 6) (global.get $g4)))
  (global $junk3 anyref (array.new $holder (array.new_default $vec (i32.const 100)) (i32.const 0)))
  (global $filled (ref $vec) (array.new $vec (i32.const 7) (i32.const 30)))
  (global $zeros (ref $vec) (array.new_default $vec (i32.const 20)))
  (global $fixed (ref $vec) (array.new_fixed $vec 3 (i32.const 10) (i32.const 20) (i32.const 30)))
  (global $small i31ref (ref.i31 (i32.const -5)))
  (global $outside externref (extern.convert_any (global.get $g5)))
  (global $inside anyref (any.convert_extern (global.get $outside)))
  (global $junk4 anyref (array.new $holder (array.new_default $vec (i32.const 100)) (i32.const 0)))

  ;; (a table's initialiser sees imported globals only)
  (table $shared 3 (ref $node)
    (struct.new $node (i32.const 99) (struct.new $node (i32.const 6) (ref.null $node))))
  (elem $items (ref $node)
    (item (struct.new $node (i32.const 1000) (global.get $g5)))
    (item (struct.new $node (i32.const 2000) (ref.null $node)))
    (item (global.get $g3)))

  ;; The sum of a chain's values, or -1 past 100 links.
  (func $sum (param $n (ref null $node)) (result i32)
    (local $s i32) (local $k i32)
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $n)))
        (local.set $s (i32.add (local.get $s) (struct.get $node 0 (local.get $n))))
        (local.set $n (struct.get $node 1 (local.get $n)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $k) (i32.const 100)))
        (return (i32.const -1))))
    (local.get $s))

  (func $vec_sum (param $v (ref $vec)) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $v))))
        (local.set $s (i32.add (local.get $s) (array.get $vec (local.get $v) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s))

  ;; Every object of the constant expressions, checked; its checksum.
  (func $check (export "check") (result i32)
    (local $items (ref $holder))
    (if (i32.ne (call $sum (global.get $g5)) (i32.const 21)) (then unreachable))
    (if (i32.ne (call $vec_sum (global.get $filled)) (i32.const 210)) (then unreachable))
    (if (i32.ne (array.len (global.get $zeros)) (i32.const 20)) (then unreachable))
    (if (i32.ne (call $vec_sum (global.get $zeros)) (i32.const 0)) (then unreachable))
    (if (i32.ne (call $vec_sum (global.get $fixed)) (i32.const 60)) (then unreachable))
    (if (i32.ne (i31.get_s (global.get $small)) (i32.const -5)) (then unreachable))
    ;; the round trip gives the object itself
    (if (i32.eqz (ref.eq (ref.cast eqref (global.get $inside)) (global.get $g5)))
      (then unreachable))
    ;; one object in every slot of the table
    (if (i32.eqz (ref.eq (table.get $shared (i32.const 0)) (table.get $shared (i32.const 2))))
      (then unreachable))
    (if (i32.ne (call $sum (table.get $shared (i32.const 1))) (i32.const 105)) (then unreachable))
    (local.set $items (array.new_elem $holder $items (i32.const 0) (i32.const 3)))
    (if (i32.ne (call $sum (ref.cast (ref $node) (array.get $holder (local.get $items) (i32.const 0))))
                (i32.const 1021))
      (then unreachable))
    (if (i32.eqz (ref.eq (ref.cast eqref (array.get $holder (local.get $items) (i32.const 2)))
                         (global.get $g3)))
      (then unreachable))
    (i32.add (call $sum (ref.cast (ref $node) (array.get $holder (local.get $items) (i32.const 1))))
             (i32.add (call $sum (global.get $g5)) (call $vec_sum (global.get $fixed)))))

  ;; Rounds of garbage (a 400-byte array each), the objects checked after each.
  (func (export "run") (param $rounds i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $round
      (drop (array.new_default $vec (i32.const 100)))
      (local.set $s (i32.add (local.get $s) (call $check)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (local.get $rounds))))
    (local.get $s))
)
