;; cli_exit: writes "hi", passes a bad iovec (fault, not a crash), then calls
;; proc_exit(42) from deep inside a recursion; the start section exits too
;; when memory[100] is set (it is not).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\n")
  (func $deep (param i32)
    local.get 0 i32.eqz if i32.const 42 call $exit end
    local.get 0 i32.const 1 i32.sub call $deep)
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 0) (i32.const 0xfffffff0))
    (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
    i32.const 21 i32.ne if unreachable end
    i32.const 100 call $deep))
