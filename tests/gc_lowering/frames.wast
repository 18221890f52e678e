;; References held in the frames of compiled code while the collector moves
;; them (compiler/lower/lower_gc.c, statepoints), on every target: each of 41
;; frames of a recursion boxes the host value (any.convert_extern of a value
;; that is no object: a 16-byte box in the heap) and keeps the box in a local
;; while the frames above it allocate; the deepest allocates 2,000,000 boxes
;; (32 MB: about 30 collections of the 1 MiB minimum window) and drops them.
;; On the way back each frame unboxes its own box into the table at its
;; depth: the value passed in comes back from every slot only if every
;; frame's box was relocated.
(module
  (table $seen 64 externref)
  (func $churn (param $e externref) (param $n i32)
    (loop $l
      (drop (any.convert_extern (local.get $e)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func $frame (export "frame") (param $e externref) (param $depth i32) (param $n i32)
    (local $box anyref) (local $i31 i31ref)
    (local.set $box (any.convert_extern (local.get $e)))
    (local.set $i31 (ref.i31 (local.get $depth)))
    (if (local.get $depth)
      (then (call $frame (local.get $e) (i32.sub (local.get $depth) (i32.const 1))
                         (local.get $n)))
      (else (call $churn (local.get $e) (local.get $n))))
    (call $churn (local.get $e) (i32.const 1000))
    (table.set $seen (i31.get_u (local.get $i31)) (extern.convert_any (local.get $box))))
  (func (export "seen") (param i32) (result externref) (table.get $seen (local.get 0)))
  (func (export "round") (param externref) (result externref)
    (extern.convert_any (any.convert_extern (local.get 0)))))

(assert_return (invoke "round" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "round" (ref.null extern)) (ref.null extern))
(invoke "frame" (ref.extern 7) (i32.const 40) (i32.const 2000000))
(assert_return (invoke "seen" (i32.const 0)) (ref.extern 7))
(assert_return (invoke "seen" (i32.const 1)) (ref.extern 7))
(assert_return (invoke "seen" (i32.const 20)) (ref.extern 7))
(assert_return (invoke "seen" (i32.const 39)) (ref.extern 7))
(assert_return (invoke "seen" (i32.const 40)) (ref.extern 7))
(assert_return (invoke "seen" (i32.const 41)) (ref.null extern))
