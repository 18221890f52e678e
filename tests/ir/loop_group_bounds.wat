;; The range check of a versioned loop (compiler/loops/loop_bounds.c) bounds
;; each group of accesses once: accesses that differ by a constant and step
;; alike (c[2j] and c[2j+1] of a loop clang unrolled by two, their loads and
;; stores) lie inside memory exactly when the group's lowest start and
;; highest end do.  The check runs on every entry of the loop, so in
;; gemm_rows' row update, entered once per k, every comparison counted
;; (docs/performance.md, "gemm_rows: the check on every entry").  Here: a
;; cell, a row c and a row b, seven accesses, three groups, so three
;; comparisons with the memory's size per version, not seven.
;; RUN-VERSIONED: -O2 => GROUPS
;; RUN-VERSIONED: -O2 --bounds-checks=explicit => GROUPS
(module
  (memory 1)
  (func (export "update") (param $c i32) (param $b i32) (param $a i32) (param $n i32)
    (local $j i32) (local $cj i32) (local $bj i32)
    (loop $next
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
      (f64.store (local.get $cj)
        (f64.add (f64.load (local.get $cj))
                 (f64.mul (f64.load (local.get $a)) (f64.load (local.get $bj)))))
      (f64.store offset=8 (local.get $cj)
        (f64.add (f64.load offset=8 (local.get $cj))
                 (f64.mul (f64.load (local.get $a)) (f64.load offset=8 (local.get $bj)))))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br_if $next (i32.lt_u (local.get $j) (local.get $n))))))

;; GROUPS-LABEL: define internal void @w2n_f0(
;; GROUPS: icmp ule i64 %{{[0-9]+}}, %mem_size{{$}}
;; GROUPS: icmp ule i64 %{{[0-9]+}}, %mem_size{{$}}
;; GROUPS: icmp ule i64 %{{[0-9]+}}, %mem_size{{$}}
;; GROUPS-NOT: %mem_size{{$}}
;; GROUPS: br i1 %{{[0-9]+}}, label %fast_apart_entry, label %fast_choice
;; GROUPS: {{^}}fast_choice:
;; GROUPS: icmp ule i64 %{{[0-9]+}}, %mem_size1{{$}}
;; GROUPS: icmp ule i64 %{{[0-9]+}}, %mem_size1{{$}}
;; GROUPS: icmp ule i64 %{{[0-9]+}}, %mem_size1{{$}}
;; GROUPS-NOT: %mem_size1{{$}}
;; GROUPS: br i1 %{{[0-9]+}}, label %fast_entry, label %slow_entry
