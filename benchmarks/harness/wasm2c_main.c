/* wasm2c_main.c: driver for a kernel translated by wasm2c (module name
 * "kernel").  Instantiates the module with wabt's runtime
 * (libwasm-rt-impl), runs run(N) once and prints the checksum. */
#include <stdio.h>
#include <stdlib.h>
#include "w2c_kernel.h"

int main(int argc, char **argv) {
    Z_kernel_instance_t inst;
    u32 result;

    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    wasm_rt_init();
    Z_kernel_init_module();
    Z_kernel_instantiate(&inst);
    result = Z_kernelZ_run(&inst, (u32)strtoul(argv[1], NULL, 10));
    printf("%u\n", result);
    Z_kernel_free(&inst);
    wasm_rt_free();
    return 0;
}
