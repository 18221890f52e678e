; statepoints.ll — hand-written gc.statepoint calls for the stack-map reader
; (tests/unit/test_stackmap.c): llc-19 -filetype=obj makes the object whose
; .llvm_stackmaps section the test parses, for each of w2n's targets.
;
;   @two_roots:  one statepoint (ID 7) with two live references, both
;                relocated and used after the call
;   @derived:    one statepoint (ID 8) with a base and an interior pointer
;                (base, derived) into it, and one (ID 9) with none
;   @no_call:    no statepoint: a function record with no records

declare void @collect()
declare token @llvm.experimental.gc.statepoint.p0(i64, i32, ptr, i32, i32, ...)
declare ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token, i32, i32)

define ptr addrspace(1) @two_roots(ptr addrspace(1) %a, ptr addrspace(1) %b) gc "statepoint-example" {
entry:
  %tok = call token (i64, i32, ptr, i32, i32, ...) @llvm.experimental.gc.statepoint.p0(i64 7, i32 0, ptr elementtype(void ()) @collect, i32 0, i32 0, i32 0, i32 0) [ "gc-live"(ptr addrspace(1) %a, ptr addrspace(1) %b) ]
  %a2 = call ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %tok, i32 0, i32 0)
  %b2 = call ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %tok, i32 1, i32 1)
  %ai = ptrtoint ptr addrspace(1) %a2 to i64
  %bi = ptrtoint ptr addrspace(1) %b2 to i64
  %sum = add i64 %ai, %bi
  %r = inttoptr i64 %sum to ptr addrspace(1)
  ret ptr addrspace(1) %r
}

define i64 @derived(ptr addrspace(1) %obj) gc "statepoint-example" {
entry:
  %field = getelementptr i8, ptr addrspace(1) %obj, i64 16
  %tok = call token (i64, i32, ptr, i32, i32, ...) @llvm.experimental.gc.statepoint.p0(i64 8, i32 0, ptr elementtype(void ()) @collect, i32 0, i32 0, i32 0, i32 0) [ "gc-live"(ptr addrspace(1) %obj, ptr addrspace(1) %field) ]
  %field2 = call ptr addrspace(1) @llvm.experimental.gc.relocate.p1(token %tok, i32 0, i32 1)
  %v = load i64, ptr addrspace(1) %field2
  %tok2 = call token (i64, i32, ptr, i32, i32, ...) @llvm.experimental.gc.statepoint.p0(i64 9, i32 0, ptr elementtype(void ()) @collect, i32 0, i32 0, i32 0, i32 0)
  ret i64 %v
}

define i64 @no_call(i64 %x) gc "statepoint-example" {
entry:
  %y = add i64 %x, 1
  ret i64 %y
}
