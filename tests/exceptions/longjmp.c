/*
 * longjmp.c — C setjmp/longjmp through Wasm exceptions, built by clang-19
 * with `-mllvm -wasm-enable-sjlj`, which lowers them onto the legacy
 * exception instructions (try/catch/rethrow and the `__c_longjmp` tag).
 *
 * Debian 12's wasi-libc (0.0~git20220510) has no <setjmp.h> for wasm and
 * none of the functions that lowering calls, so this program is freestanding
 * and brings its own (sjlj_runtime.c).
 *
 * Exports, called by run_eh_program.sh (longjmp.expected):
 *   deep(n)      longjmp from n frames below setjmp, returns the value + n
 *   nested(n)    a longjmp to an outer setjmp through a function with its own
 *   value0()     longjmp(env, 0) makes setjmp return 1
 *   again(n)     one setjmp point jumped to n times (a loop made of longjmps)
 */
#include "sjlj_runtime.h"

static jmp_buf outer, inner;
static volatile int frames;

__attribute__((noinline)) static int descend(int n, int value) {
    frames++;
    if (n == 0)
        longjmp(outer, value);
    return descend(n - 1, value) + 1;
}

__attribute__((export_name("deep"))) int deep(int n) {
    frames = 0;
    int got = setjmp(outer);
    if (got == 0)
        return descend(n, 1000) - 1; /* never: descend jumps */
    return got + frames;
}

/* A frame with a setjmp of its own lies between the longjmp and its target:
 * the jump must pass it (its buffer is not the target's). */
__attribute__((noinline)) static int middle(int n) {
    if (setjmp(inner) != 0)
        return -1; /* not the target: never */
    return descend(n, 7);
}

__attribute__((export_name("nested"))) int nested(int n) {
    frames = 0;
    int got = setjmp(outer);
    if (got == 0)
        return middle(n);
    return got * 100 + frames;
}

__attribute__((export_name("value0"))) int value0(void) {
    int got = setjmp(outer);
    if (got == 0)
        longjmp(outer, 0);
    return got;
}

__attribute__((export_name("again"))) int again(int n) {
    static volatile int count;
    count = 0;
    int got = setjmp(outer);
    if (count < n) {
        count++;
        descend(3, count);
    }
    return got * 1000 + count;
}
