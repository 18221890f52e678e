; walk.ll — compiled code holding GC references across a call that
; collects, for the stack walker's test (tests/unit/test_rt_stackmap.c,
; "walk"): llc-19 -filetype=obj for the host, loaded with the runtime's
; image loader, called with objects of a GC heap and a C function that
; collects.  Each function returns what it sees after the call, so the test
; can tell whether the collector found and updated its frame's slots.

%pair = type { ptr addrspace(1), ptr addrspace(1) }

declare token @llvm.experimental.gc.statepoint.p0(i64, i32, ptr, i32, i32, ...)
declare ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token, i32, i32)

; Two references live across the call: returns them, relocated.
define %pair @keep_two(ptr addrspace(1) %a, ptr addrspace(1) %b, ptr %collect) uwtable gc "statepoint-example" {
entry:
  %tok = call token (i64, i32, ptr, i32, i32, ...) @llvm.experimental.gc.statepoint.p0(i64 10, i32 0, ptr elementtype(void ()) %collect, i32 0, i32 0, i32 0, i32 0) [ "gc-live"(ptr addrspace(1) %a, ptr addrspace(1) %b) ]
  %a2 = call ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %tok, i32 0, i32 0)
  %b2 = call ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %tok, i32 1, i32 1)
  %r0 = insertvalue %pair undef, ptr addrspace(1) %a2, 0
  %r1 = insertvalue %pair %r0, ptr addrspace(1) %b2, 1
  ret %pair %r1
}

; An interior pointer (16 bytes into %obj) live across the call: returns
; the i64 it points at afterwards.
define i64 @load_through_derived(ptr addrspace(1) %obj, ptr %collect) uwtable gc "statepoint-example" {
entry:
  %field = getelementptr i8, ptr addrspace(1) %obj, i64 16
  %tok = call token (i64, i32, ptr, i32, i32, ...) @llvm.experimental.gc.statepoint.p0(i64 11, i32 0, ptr elementtype(void ()) %collect, i32 0, i32 0, i32 0, i32 0) [ "gc-live"(ptr addrspace(1) %obj, ptr addrspace(1) %field) ]
  %field2 = call ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %tok, i32 0, i32 1)
  %v = load i64, ptr addrspace(1) %field2
  ret i64 %v
}

; Two frames of compiled code: the outer keeps %a across a call to
; @keep_two, which keeps %b across the collection.
define %pair @nested(ptr addrspace(1) %a, ptr addrspace(1) %b, ptr %collect) uwtable gc "statepoint-example" {
entry:
  %tok = call token (i64, i32, ptr, i32, i32, ...) @llvm.experimental.gc.statepoint.p0(i64 12, i32 0, ptr elementtype(%pair (ptr addrspace(1), ptr addrspace(1), ptr)) @keep_two, i32 3, i32 0, ptr addrspace(1) null, ptr addrspace(1) %b, ptr %collect, i32 0, i32 0) [ "gc-live"(ptr addrspace(1) %a) ]
  %res = call %pair @llvm.experimental.gc.result.s_pairs(token %tok)
  %a2 = call ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %tok, i32 0, i32 0)
  %b2 = extractvalue %pair %res, 1
  %r0 = insertvalue %pair undef, ptr addrspace(1) %a2, 0
  %r1 = insertvalue %pair %r0, ptr addrspace(1) %b2, 1
  ret %pair %r1
}

declare %pair @llvm.experimental.gc.result.s_pairs(token)
