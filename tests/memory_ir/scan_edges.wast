;; Scanning loops with a counted bound (docs/architecture.md, "Loop
;; versioning"; docs/performance.md "Scanning loops in guard mode"): a loop
;; the data may leave in the middle, lz77's match loop and csvstat's field
;; copy.  In explicit mode its fast version runs when the range check proves
;; every trip the count allows inside memory (compiler/loops/loop_bounds.c);
;; in guard mode it has the slow version only.  At the edges the answers and
;; traps are Wasm's: a match that ends on the last byte, one that would read
;; past it, one that the data stops just before it, a cursor that counts down
;; through 0 and wraps, a copy whose store on the last byte happens before the
;; next access traps.  One page: the last byte is 65535.
(module
  (memory 1 2)
  ;; k = 0; while (k < limit && a[k] == b[k]) k++; (two moving bytes)
  (func (export "match") (param $a i32) (param $b i32) (param $limit i32) (result i32)
    (local $k i32)
    (block $done
      (br_if $done (i32.eqz (local.get $limit)))
      (loop $next
        (br_if $done (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $k)))
                             (i32.load8_u (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $k) (local.get $limit)))))
    (local.get $k))
  ;; The same, counting down from $a and $b: a[-k] == b[-k].
  (func (export "match_down") (param $a i32) (param $b i32) (param $limit i32) (result i32)
    (local $k i32)
    (block $done
      (br_if $done (i32.eqz (local.get $limit)))
      (loop $next
        (br_if $done (i32.ne (i32.load8_u (i32.sub (local.get $a) (local.get $k)))
                             (i32.load8_u (i32.sub (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $k) (local.get $limit)))))
    (local.get $k))
  ;; for (n = 0; n < limit; n++) { c = in[n]; if (c == ',') break; out[n] = c + 1; }
  (func (export "field") (param $in i32) (param $out i32) (param $limit i32) (result i32)
    (local $n i32) (local $c i32)
    (block $done
      (br_if $done (i32.eqz (local.get $limit)))
      (loop $next
        (local.set $c (i32.load8_u offset=1 (i32.add (local.get $in) (local.get $n))))
        (br_if $done (i32.eq (local.get $c) (i32.const 44)))
        (i32.store8 (i32.add (local.get $out) (local.get $n))
                    (i32.add (local.get $c) (i32.const 1)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $n) (local.get $limit)))))
    (local.get $n))
  (func (export "peek") (param $a i32) (result i32) (i32.load8_u (local.get $a)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (data (i32.const 100) "abc,de")
  (data (i32.const 500) "\07")
  (data (i32.const 65533) "x"))

;; The match reads the last byte, and one byte more traps.
(assert_return (invoke "match" (i32.const 65530) (i32.const 0) (i32.const 3)) (i32.const 3))
(assert_return (invoke "match" (i32.const 65534) (i32.const 65520) (i32.const 2)) (i32.const 2))
(assert_trap (invoke "match" (i32.const 65534) (i32.const 65520) (i32.const 3)) "out of bounds memory access")
(assert_trap (invoke "match" (i32.const 65520) (i32.const 65535) (i32.const 2)) "out of bounds memory access")
;; The data stops it before the end: 'x' at 65533 differs from b's 0.
(assert_return (invoke "match" (i32.const 65530) (i32.const 0) (i32.const 1000)) (i32.const 3))
(assert_return (invoke "match" (i32.const 0) (i32.const 65530) (i32.const -1)) (i32.const 3))
;; A sum that wraps: the first address is past the end, or below 0 after a few.
(assert_trap (invoke "match" (i32.const -1) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "match" (i32.const 0) (i32.const -2) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "match_down" (i32.const 3) (i32.const 200) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "match_down" (i32.const 3) (i32.const 200) (i32.const 4)) (i32.const 4))
(assert_return (invoke "match_down" (i32.const 102) (i32.const 3) (i32.const 10)) (i32.const 0))
(assert_return (invoke "match_down" (i32.const 99) (i32.const 300) (i32.const 100)) (i32.const 100))
(assert_trap (invoke "match_down" (i32.const 99) (i32.const 300) (i32.const 101)) "out of bounds memory access")
(assert_return (invoke "match_down" (i32.const 3) (i32.const 503) (i32.const 10)) (i32.const 3))
;; The copy stops at the comma; on the last byte it stores, then traps (it
;; reads what it stored one trip before).
(assert_return (invoke "field" (i32.const 99) (i32.const 1000) (i32.const 50)) (i32.const 3))
(assert_return (invoke "peek" (i32.const 1002)) (i32.const 100))
(assert_return (invoke "peek" (i32.const 1003)) (i32.const 0))
(assert_trap (invoke "field" (i32.const 65530) (i32.const 65532) (i32.const 10)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65535)) (i32.const 4))
(assert_return (invoke "peek" (i32.const 65534)) (i32.const 3))
(assert_trap (invoke "field" (i32.const 65533) (i32.const 0) (i32.const 10)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 0)) (i32.const 4))
(assert_return (invoke "peek" (i32.const 1)) (i32.const 5))
(assert_return (invoke "peek" (i32.const 2)) (i32.const 0))
;; After the memory grows, the same scan runs past the old end.
(assert_return (invoke "grow") (i32.const 1))
(assert_return (invoke "match" (i32.const 65536) (i32.const 2000) (i32.const 3)) (i32.const 3))
(assert_return (invoke "match" (i32.const 131070) (i32.const 2000) (i32.const 2)) (i32.const 2))
(assert_trap (invoke "match" (i32.const 131070) (i32.const 2000) (i32.const 3)) "out of bounds memory access")
