/*
 * big64.c — a wasm64 program that grows its memory to 6 GiB and writes and
 * reads bytes above 4 GiB, where a 32-bit address cannot reach.  When the
 * host cannot map that much (memory.grow returns -1) it says so and exits
 * 77, which CTest reports as skipped.  Freestanding (see prog64.c).
 */
#include <stdint.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

WASI("fd_write") int32_t wasi_fd_write(int32_t fd, uint32_t iovs, int32_t niovs, uint32_t nwritten);
WASI("proc_exit") _Noreturn void wasi_proc_exit(int32_t status);

static struct { uint32_t buf, len; } iov;
static uint32_t written;

static void put(const char *s) {
    uint32_t n = 0;
    while (s[n])
        n++;
    iov.buf = (uint32_t)(uintptr_t)s; /* static data: below 4 GiB */
    iov.len = n;
    wasi_fd_write(1, (uint32_t)(uintptr_t)&iov, 1, (uint32_t)(uintptr_t)&written);
}

#define GIB (UINT64_C(1) << 30)

__attribute__((export_name("_start"))) void start(void) {
    uint64_t pages = __builtin_wasm_memory_size(0);
    if (__builtin_wasm_memory_grow(0, 6 * GIB / 65536 - pages) == (uint64_t)-1) {
        put("skipped: the host cannot map a 6 GiB linear memory\n");
        wasi_proc_exit(77);
    }
    volatile uintptr_t zero = 0; /* address 0 as a plain integer, not a null pointer */
    volatile uint8_t *mem = (volatile uint8_t *)zero;
    const uint64_t at[] = {4 * GIB, 4 * GIB + 1, 5 * GIB + 12345, 6 * GIB - 1};
    for (int i = 0; i < 4; i++)
        mem[at[i]] = (uint8_t)(0xA0 + i);
    int ok = mem[(uint32_t)at[2]] == 0; /* the same low 32 bits, below 4 GiB */
    for (int i = 0; i < 4; i++)
        ok &= mem[at[i]] == (uint8_t)(0xA0 + i);
    put(ok ? "bytes above 4 GiB: ok\n" : "bytes above 4 GiB: WRONG\n");
    if (__builtin_wasm_memory_size(0) != 6 * GIB / 65536)
        put("memory.size: WRONG\n");
    wasi_proc_exit(ok ? 0 : 1);
}
