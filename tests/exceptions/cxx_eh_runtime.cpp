/*
 * cxx_eh_runtime.cpp — just enough of a C++ exception runtime for cxx_throw.cpp,
 * built by clang-19 -fwasm-exceptions.  Debian 12's wasm32 libc++abi is
 * built without exceptions (no __cxa_throw, __cxa_begin_catch, ...) and has
 * no libunwind, so the program brings its own, written from the Itanium C++
 * ABI and the WebAssembly tool conventions:
 *
 *  - a throw is `throw __cpp_exception` (__builtin_wasm_throw tag 0) with a
 *    pointer to the exception's unwind header;
 *  - a landing pad stores its index and its function's LSDA in
 *    __wasm_lpad_context, calls _Unwind_CallPersonality, and reads back the
 *    selector: the type-table index of the catch clause that matches (0:
 *    none, a cleanup; the code then rethrows);
 *  - the LSDA is GCC's .gcc_except_table format, its call-site table one
 *    (landing pad, action) pair per landing pad index.
 *
 * Catch clauses match by exact type (no base classes, no pointer
 * conversions): enough for the program, not a general runtime.  One thread.
 * C++ only so that the object defines the __cpp_exception tag it throws.
 */
#include <stddef.h>
#include <stdint.h>

extern "C" {

/* What LLVM's landing pads read and write (libunwind's layout). */
struct lpad_context {
    uintptr_t lpad_index;
    const uint8_t *lsda;
    uintptr_t selector;
};
struct lpad_context __wasm_lpad_context;

/* One exception: the header, then the thrown object (16-byte aligned). */
typedef struct thrown {
    const void *type;                 /* the object's std::type_info */
    void (*destroy)(void *);
    uint32_t in_use;
    uint32_t unwind_header[1];        /* what the Wasm exception's payload points to */
} __attribute__((aligned(16))) thrown;

enum { SLOTS = 32, SLOT_BYTES = 256 };
alignas(16) static unsigned char pool[SLOTS][SLOT_BYTES];
static thrown *caught[SLOTS];        /* exceptions in catch blocks, innermost last */
static unsigned ncaught;

void *__cxa_allocate_exception(size_t size);
void __cxa_throw(void *object, void *type, void (*destroy)(void *));
void *__cxa_begin_catch(void *header);
void __cxa_end_catch(void);
int _Unwind_CallPersonality(void *header);

}   // extern "C"

/* The vtable of std::type_info's class-type subclass, which each thrown
 * class's type_info object points into.  Matching here compares type_info
 * addresses and never calls through it; Debian's libc++abi.a would pull in
 * all of libc for it. */
extern const void *const class_type_info_vtable[4] __asm__(
    "_ZTVN10__cxxabiv117__class_type_infoE");
const void *const class_type_info_vtable[4] = {};

static thrown *of_header(void *header) {
    return reinterpret_cast<thrown *>(static_cast<char *>(header) -
                                      offsetof(thrown, unwind_header));
}

extern "C" void *__cxa_allocate_exception(size_t size) {
    if (size > SLOT_BYTES - sizeof(thrown))
        __builtin_trap();
    for (unsigned i = 0; i < SLOTS; i++) {
        thrown *t = reinterpret_cast<thrown *>(pool[i]);
        if (!t->in_use) {
            t->in_use = 1;
            return t + 1;
        }
    }
    __builtin_trap();
}

extern "C" void __cxa_throw(void *object, void *type, void (*destroy)(void *)) {
    thrown *t = static_cast<thrown *>(object) - 1;
    t->type = type;
    t->destroy = destroy;
    __builtin_wasm_throw(0, t->unwind_header);
}

extern "C" void *__cxa_begin_catch(void *header) {
    thrown *t = of_header(header);
    caught[ncaught++] = t;
    return t + 1;
}

extern "C" void __cxa_end_catch(void) {
    thrown *t = caught[--ncaught];
    if (t->destroy)
        t->destroy(t + 1);
    t->in_use = 0;
}

/* LEB128: the value's bits, and through *bits how many were read; the
 * last byte's bit 6 is the sign of a signed one. */
static uintptr_t read_leb(const uint8_t **p, unsigned *bits) {
    uintptr_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        v |= (uintptr_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *bits = (b & 0x40) ? shift : 0;
    return v;
}

static uintptr_t read_uleb(const uint8_t **p) {
    unsigned sign;
    return read_leb(p, &sign);
}

static intptr_t read_sleb(const uint8_t **p) {
    unsigned sign;
    uintptr_t v = read_leb(p, &sign);
    if (sign && sign < 8 * sizeof v)
        v |= ~(uintptr_t)0 << sign;
    return (intptr_t)v;
}

/* The selector of the first clause of the landing pad's action chain that
 * catches `type` (a null type_info: catch (...)), or 0. */
static uintptr_t select_clause(const uint8_t *lsda, uintptr_t lpad_index, const void *type) {
    const uint8_t *p = lsda;
    if (*p++ != 0xff)                 /* landing pad base: never set for Wasm */
        __builtin_trap();
    uint8_t type_encoding = *p++;
    const uint8_t *types = nullptr;      /* the type table ends here, indexed backwards */
    if (type_encoding != 0xff) {
        uintptr_t offset = read_uleb(&p);
        types = p + offset;
    }
    p++;                              /* call-site encoding: uleb128 */
    uintptr_t length = read_uleb(&p);
    const uint8_t *actions = p + length;
    uintptr_t action = 0;
    for (uintptr_t i = 0; p < actions; i++) {
        read_uleb(&p);                /* the landing pad */
        uintptr_t a = read_uleb(&p);
        if (i == lpad_index) {
            action = a;
            break;
        }
    }
    if (action == 0 || !types)
        return 0;                     /* cleanup only */
    const uint8_t *record = actions + action - 1;
    for (;;) {
        intptr_t index = read_sleb(&record);
        const uint8_t *next_at = record;
        intptr_t next = read_sleb(&record);
        if (index > 0) {              /* a catch clause (0: cleanup; < 0: exception spec) */
            const void *clause;
            __builtin_memcpy(&clause, types - index * 4, 4);
            if (!clause || clause == type)
                return (uintptr_t)index;
        }
        if (next == 0)
            return 0;
        record = next_at + next;
    }
}

extern "C" int _Unwind_CallPersonality(void *header) {
    __wasm_lpad_context.selector = select_clause(__wasm_lpad_context.lsda,
                                                 __wasm_lpad_context.lpad_index,
                                                 of_header(header)->type);
    return 0;
}
