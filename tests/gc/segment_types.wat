;; segment_types.wat — arrays of every element width made from data
;; (array.new_data, array.init_data: i8, i16, i32, i64, f32, f64, v128, read
;; little-endian) and arrays of function references from an element segment
;; (array.new_elem, array.init_elem, then call_ref), in a loop that
;; allocates, so that they are made between collections; and what a dropped
;; segment leaves (nothing: n = 0 only).
(module
  (type $sig (func (param i32) (result i32)))
  (type $i8s (array (mut i8)))
  (type $i16s (array (mut i16)))
  (type $i32s (array (mut i32)))
  (type $i64s (array (mut i64)))
  (type $f32s (array (mut f32)))
  (type $f64s (array (mut f64)))
  (type $v128s (array (mut v128)))
  (type $fns (array (mut (ref null $sig))))

  ;; 32 bytes: 00 01 .. 0f, then 1.5f32 (0x3fc00000), -2.25f64
  ;; (0xc002000000000000), 4 bytes of ff.
  (data $d "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f"
           "\00\00\c0\3f" "\00\00\00\00\00\00\02\c0" "\ff\ff\ff\ff")
  (data $gone "\01\02")
  (elem $e (ref $sig) (ref.func $double) (ref.func $square) (ref.func $negate))

  (func $double (type $sig) (i32.mul (local.get 0) (i32.const 2)))
  (func $square (type $sig) (i32.mul (local.get 0) (local.get 0)))
  (func $negate (type $sig) (i32.sub (i32.const 0) (local.get 0)))

  ;; One round: every width read back, the functions called; a checksum.
  (func $round (param $x i32) (result i64)
    (local $s i64) (local $v (ref $v128s)) (local $f (ref $fns)) (local $b (ref $i8s))
    ;; i16 at 2: 0x0302; i32 at 4: 0x07060504; i64 at 8: 0x0f0e0d0c0b0a0908
    (if (i32.ne (array.get_u $i16s (array.new_data $i16s $d (i32.const 2) (i32.const 1))
                             (i32.const 0)) (i32.const 0x0302)) (then unreachable))
    (if (i32.ne (array.get $i32s (array.new_data $i32s $d (i32.const 4) (i32.const 3))
                           (i32.const 0)) (i32.const 0x07060504)) (then unreachable))
    (if (i64.ne (array.get $i64s (array.new_data $i64s $d (i32.const 8) (i32.const 1))
                           (i32.const 0)) (i64.const 0x0f0e0d0c0b0a0908)) (then unreachable))
    (if (f32.ne (array.get $f32s (array.new_data $f32s $d (i32.const 16) (i32.const 1))
                           (i32.const 0)) (f32.const 1.5)) (then unreachable))
    (if (f64.ne (array.get $f64s (array.new_data $f64s $d (i32.const 20) (i32.const 1))
                           (i32.const 0)) (f64.const -2.25)) (then unreachable))
    ;; i16 -1 signed from the ff bytes
    (if (i32.ne (array.get_s $i16s (array.new_data $i16s $d (i32.const 28) (i32.const 2))
                             (i32.const 1)) (i32.const -1)) (then unreachable))
    ;; two v128s, the second overwritten from offset 1 by init_data
    (local.set $v (array.new_data $v128s $d (i32.const 0) (i32.const 2)))
    (array.init_data $v128s $d (local.get $v) (i32.const 1) (i32.const 1) (i32.const 1))
    (if (i64.ne (i64x2.extract_lane 1 (array.get $v128s (local.get $v) (i32.const 0)))
                (i64.const 0x0f0e0d0c0b0a0908)) (then unreachable))
    (if (i32.ne (i8x16.extract_lane_u 0 (array.get $v128s (local.get $v) (i32.const 1)))
                (i32.const 1)) (then unreachable))
    ;; bytes: 16 from offset 0, then init_data of 4 at 12 from offset 28 (ff)
    (local.set $b (array.new_data $i8s $d (i32.const 0) (i32.const 16)))
    (array.init_data $i8s $d (local.get $b) (i32.const 12) (i32.const 28) (i32.const 4))
    (if (i32.ne (array.get_s $i8s (local.get $b) (i32.const 15)) (i32.const -1)) (then unreachable))
    ;; functions: [double square negate], then init_elem puts negate in slot 0
    (local.set $f (array.new_elem $fns $e (i32.const 0) (i32.const 3)))
    (local.set $s (i64.extend_i32_s
      (call_ref $sig (local.get $x) (array.get $fns (local.get $f) (i32.const 1)))))
    (array.init_elem $fns $e (local.get $f) (i32.const 0) (i32.const 2) (i32.const 1))
    (local.set $s (i64.add (local.get $s) (i64.extend_i32_s
      (call_ref $sig (local.get $x) (array.get $fns (local.get $f) (i32.const 0))))))
    (i64.add (local.get $s) (i64.extend_i32_s
      (call_ref $sig (local.get $x) (array.get $fns (local.get $f) (i32.const 2))))))

  (func (export "run") (param $rounds i32) (result i64)
    (local $i i32) (local $s i64)
    (loop $next
      (local.set $s (i64.add (local.get $s) (call $round (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $rounds))))
    (local.get $s))

  ;; After data.drop, only an empty array comes from the segment.
  (func (export "dropped") (param $n i32) (result i32)
    (data.drop $gone)
    (array.len (array.new_data $i8s $gone (i32.const 0) (local.get $n))))
  (func (export "elem_dropped") (param $n i32) (result i32)
    (elem.drop $e)
    (array.len (array.new_elem $fns $e (i32.const 0) (local.get $n))))
)
