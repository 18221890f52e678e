/*
 * sjlj_runtime.c — the three functions clang-19's `-mllvm -wasm-enable-sjlj`
 * lowering calls (LLVM's WebAssemblyLowerEmscriptenEHSjLj): setjmp records
 * (function invocation, label) in the buffer; setjmp_test answers the label
 * when the buffer belongs to the given invocation, else 0; longjmp throws
 * the `__c_longjmp` tag (tag 1 of __builtin_wasm_throw) with a pointer to
 * {env, value}, which the lowered code's catch reads.  Debian 12's
 * wasi-libc has none of them, so longjmp.c brings its own.  Compiled without
 * the lowering (it calls neither setjmp nor longjmp).
 */
#include "sjlj_runtime.h"

void __wasm_setjmp(void *env, uint32_t label, void *invocation) {
    jump_target *t = env;
    t->invocation = invocation;
    t->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *invocation) {
    jump_target *t = env;
    return t->invocation == invocation ? t->label : 0;
}

_Noreturn void __wasm_longjmp(void *env, int value) {
    jump_target *t = env;
    t->arg.env = env;
    t->arg.value = value ? value : 1; /* longjmp(env, 0) returns 1 */
    __builtin_wasm_throw(1, &t->arg); /* tag 1: C's longjmp */
}
