/*
 * sjlj_runtime.h — the jmp_buf of longjmp.c and its runtime
 * (sjlj_runtime.c), for clang-19's `-mllvm -wasm-enable-sjlj`.
 */
#ifndef W2N_TESTS_EH_SJLJ_RUNTIME_H
#define W2N_TESTS_EH_SJLJ_RUNTIME_H
#include <stdint.h>

typedef struct jump_target {
    void *invocation; /* the function invocation that called setjmp */
    uint32_t label;   /* which setjmp call inside it */
    struct {          /* the payload of __c_longjmp: LLVM reads it */
        void *env;
        int value;
    } arg;
} jump_target;
typedef jump_target jmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int value);

#endif
