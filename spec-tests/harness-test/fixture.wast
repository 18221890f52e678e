;; Fixture for spec-tests/harness-test/check: a script whose verdicts are
;; decided by the fake tools next to it, not by w2n.  The comment on each
;; command says what the fake runner answers.

(module $a
  (func (export "ok") (result i32) (i32.const 1))
  (func (export "wrong") (result i32) (i32.const 2))
  (func (export "crash"))
  (func (export "hang"))
  (func (export "nan") (result f32) (f32.const nan))
  (global (export "g") i32 (i32.const 7)))

(assert_return (invoke "ok") (i32.const 1))                  ;; pass
(assert_return (invoke "wrong") (i32.const 1))               ;; fail
(assert_return (get $a "g") (i32.const 7))                   ;; pass
(invoke "crash")                                             ;; runner dies: fail
(assert_return (invoke $a "ok") (i32.const 1))               ;; pass (after replay)
(register "a" $a)                                            ;; pass
(assert_trap (invoke "ok") "unreachable")                    ;; pass (fake traps "ok")
(assert_invalid (module (func (result i32))) "type mismatch") ;; rejected: pass
(assert_malformed (module quote "(func") "unexpected token") ;; text: skipped
(assert_return (invoke "hang"))                              ;; times out: fail
(assert_return (invoke "nan") (f32.const nan:canonical))     ;; pass
(module (func (export "x")))                                 ;; pass
(assert_return (invoke "x"))                                 ;; pass
