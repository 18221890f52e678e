;; cli_bad_import: imports a WASI function that does not exist.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "foo" (func))
  (memory (export "memory") 1)
  (func (export "_start")))
