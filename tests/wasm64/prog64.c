/*
 * prog64.c — a freestanding C program for wasm64 (clang --target=wasm64
 * -nostdlib): 64-bit pointers into a 64-bit memory, memory.size/grow in
 * i64 pages, bulk memory, an indirect call, and output through WASI fd_write.
 *
 * No wasi-libc exists for wasm64 in Debian, so the program declares the two
 * WASI calls it uses itself with WASI's own (32-bit) signatures: pointers are
 * passed as u32, which holds as long as the buffers lie below 4 GiB, and
 * iovecs use the 32-bit layout.  Its output is compared with prog64.expected.
 */
#include <stddef.h>
#include <stdint.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

WASI("fd_write") int32_t wasi_fd_write(int32_t fd, uint32_t iovs, int32_t niovs, uint32_t nwritten);
WASI("proc_exit") _Noreturn void wasi_proc_exit(int32_t status);

typedef struct iovec32 {
    uint32_t buf;
    uint32_t len;
} iovec32;

/* The compiler turns loops into these; the program supplies them (no libc). */
void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n); /* memory.fill with i64 operands */
    return dst;
}
void *memcpy(void *dst, const void *src, size_t n) {
    __builtin_memcpy(dst, src, n); /* memory.copy with i64 operands */
    return dst;
}

static uint32_t low32(const void *p) {
    uintptr_t a = (uintptr_t)p;
    if (a >> 32)
        wasi_proc_exit(70); /* the shim cannot pass that address */
    return (uint32_t)a;
}

static void write_bytes(const char *s, size_t n) {
    static iovec32 iov;
    static uint32_t written;
    iov.buf = low32(s);
    iov.len = (uint32_t)n;
    wasi_fd_write(1, low32(&iov), 1, low32(&written));
}

static size_t length(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void put(const char *s) { write_bytes(s, length(s)); }

static void put_u64(uint64_t v) {
    char buf[24];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    write_bytes(buf + i, sizeof buf - i);
}

static void line(const char *label, uint64_t v) {
    put(label);
    put(": ");
    put_u64(v);
    put("\n");
}

static uint64_t sieve_count(uint8_t *composite, size_t n) {
    memset(composite, 0, n);
    uint64_t primes = 0;
    for (size_t i = 2; i < n; i++) {
        if (composite[i])
            continue;
        primes++;
        for (size_t j = i * i; j < n; j += i)
            composite[j] = 1;
    }
    return primes;
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

typedef uint64_t (*op_fn)(uint64_t, uint64_t);
static uint64_t add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t mul(uint64_t a, uint64_t b) { return a * b; }
static op_fn ops[] = {add, mul};

static uint8_t small[1000];

__attribute__((export_name("_start"))) void start(void) {
    put("hello from wasm64\n");
    line("pointer bytes", sizeof(void *));
    line("pages at start", __builtin_wasm_memory_size(0));

    /* 16 MiB more memory: the new pages begin at the old end. */
    size_t old = __builtin_wasm_memory_grow(0, 256);
    line("grow returned the old size", old == (size_t)-1 ? 0 : 1);
    uint8_t *heap = (uint8_t *)(old * 65536);
    line("primes below 1000", sieve_count(small, sizeof small));
    line("primes below 16000000", sieve_count(heap, 16000000));

    /* Copy between the two regions, then hash. */
    memcpy(heap, small, sizeof small);
    line("hash of the copy", fnv1a(heap, sizeof small) == fnv1a(small, sizeof small));
    line("pages now", __builtin_wasm_memory_size(0));

    volatile int which = 1;
    line("6 * 7 through a table", ops[which](6, 7));
    line("2^40 + 1", ops[which - 1](UINT64_C(1) << 40, 1));
    wasi_proc_exit(0);
}
