;; The x86-64 baseline CPU's tuning (compiler/emit/target.c) keeps a Wasm
;; address `node + 8 + 4*c` in one three-part LEA instead of LLVM's generic
;; split into LEA and ADD: one cycle less on a chain of dependent loads (the
;; linked kernel's tree walk).  A --cpu brings its own tuning (skylake splits
;; it), and --features can ask for the split back.
;; RUN-ASM: -O2 => ONE
;; RUN-ASM: -O2 --cpu=skylake => SPLIT
;; RUN-ASM: -O2 --features=+slow-3ops-lea => SPLIT
(module
  (memory 1)
  (func $depth (export "depth") (param $node i32) (param $key i32) (result i32)
    (local $d i32) (local $k i32)
    (block $done
      (loop $walk
        (br_if $done (i32.eqz (local.get $node)))
        (local.set $k (i32.load (local.get $node)))
        (br_if $done (i32.eq (local.get $k) (local.get $key)))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        ;; node = node->child[key > k], the child at node + 8 + 4 * (key > k)
        (local.set $node
          (i32.load
            (i32.add (i32.add (local.get $node) (i32.const 8))
                     (i32.shl (i32.gt_u (local.get $key) (local.get $k)) (i32.const 2)))))
        (br $walk)))
    (local.get $d)))

;; ONE-LABEL: <w2n_f0>:
;; ONE: leal 0x8(%r{{[a-z0-9]+}},%r{{[a-z0-9]+}},4), %[[CHILD:[a-z0-9]+]]
;; ONE-NEXT: movl (%r{{[a-z0-9]+}},%r{{[a-z0-9]+}}), %
;; SPLIT-LABEL: <w2n_f0>:
;; SPLIT: leal (%r{{[a-z0-9]+}},%r{{[a-z0-9]+}},4), %[[CHILD:[a-z0-9]+]]
;; SPLIT-NEXT: addl $0x8, %[[CHILD]]
