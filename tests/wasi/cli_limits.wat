;; cli_limits: a memory of 2 pages and a table of 2 elements that grow on
;; request, for --max-memory and --max-table-elements (run_cli_test.sh).
(module
  (memory 2)
  (table $t 2 funcref)
  (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow_table") (param i32) (result i32)
    (table.grow $t (ref.null func) (local.get 0))))
