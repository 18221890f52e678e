;; Tail calls in a module that uses GC (tests/tailcall/gc_tail_call.sh): three
;; pairs of functions call each other in tail position N times, directly
;; (return_call), through a table (return_call_indirect) and through a
;; function reference (return_call_ref).  Each step allocates a node whose
;; link is the node the step was given, so the reference handed from call to
;; call is live across an allocation, and a tiny heap limit makes the
;; collector run and move it thousands of times in the loop.  Each step
;; checks the node it was given (the previous step's value, n + 1) and
;; traps `unreachable` if a collection lost or broke it.  Links are cut every
;; fourth node, so little stays alive; at n = 0 the chain holds the nodes
;; 1, 2, 3, 4 and the answer is their sum, 10.
(module
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (type $step (func (param i32 (ref null $node)) (result i32)))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $ping_i $pong_i)
  (elem declare func $ping_r $pong_r)

  ;; The node for step n, linked to `prev` unless n is a multiple of 4;
  ;; `prev` must be null (the first step) or hold n + 1.
  (func $next (param $n i32) (param $prev (ref null $node)) (result (ref $node))
    (if (ref.is_null (local.get $prev))
      (then)
      (else
        (if (i32.ne (struct.get $node $v (local.get $prev))
                    (i32.add (local.get $n) (i32.const 1)))
          (then unreachable))))
    (struct.new $node (local.get $n)
      (if (result (ref null $node)) (i32.rem_u (local.get $n) (i32.const 4))
        (then (local.get $prev))
        (else (ref.null $node)))))

  ;; The sum of the values along the chain from `node`.
  (func $sum (param $node (ref null $node)) (result i32)
    (local $s i32)
    (block $done
      (loop $walk
        (br_if $done (ref.is_null (local.get $node)))
        (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $node))))
        (local.set $node (struct.get $node $next (local.get $node)))
        (br $walk)))
    (local.get $s))

  (func $ping (type $step)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $sum (local.get 1)))
      (else (return_call $pong (i32.sub (local.get 0) (i32.const 1))
                               (call $next (local.get 0) (local.get 1))))))
  (func $pong (type $step)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $sum (local.get 1)))
      (else (return_call $ping (i32.sub (local.get 0) (i32.const 1))
                               (call $next (local.get 0) (local.get 1))))))

  (func $ping_i (type $step)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $sum (local.get 1)))
      (else (return_call_indirect $t (type $step)
              (i32.sub (local.get 0) (i32.const 1))
              (call $next (local.get 0) (local.get 1)) (i32.const 1)))))
  (func $pong_i (type $step)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $sum (local.get 1)))
      (else (return_call_indirect $t (type $step)
              (i32.sub (local.get 0) (i32.const 1))
              (call $next (local.get 0) (local.get 1)) (i32.const 0)))))

  (func $ping_r (type $step)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $sum (local.get 1)))
      (else (return_call_ref $step (i32.sub (local.get 0) (i32.const 1))
              (call $next (local.get 0) (local.get 1)) (ref.func $pong_r)))))
  (func $pong_r (type $step)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $sum (local.get 1)))
      (else (return_call_ref $step (i32.sub (local.get 0) (i32.const 1))
              (call $next (local.get 0) (local.get 1)) (ref.func $ping_r)))))

  (func (export "direct") (param i32) (result i32)
    (return_call $ping (local.get 0) (ref.null $node)))
  (func (export "indirect") (param i32) (result i32)
    (return_call $ping_i (local.get 0) (ref.null $node)))
  (func (export "by_ref") (param i32) (result i32)
    (return_call $ping_r (local.get 0) (ref.null $node))))
