/*
 * test_frame.c — native stack frames measured from RISC-V code (runtime
 * frame_riscv64.c), recorded by the compiler in the metadata
 * (compiler/emit/frame_record.c), and the loader's and the store's handling of a
 * recorded size that lies (common/frame.c, call.c).
 *
 * The decoder cases are hand-assembled byte sequences in the shapes LLVM 19
 * emits; the object cases compile small modules for riscv64 and x86-64 on
 * this host (a riscv64 object is measured and checked here, but only loaded
 * under qemu: tests/cross/stack_frames.sh).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "elf_object.h"
#include "frame.h"
#include "internal.h"
#include "meta.h"
#include "seal.h"
#include "wat_kit.h"

enum {
    ZERO = 0,
    RA = 1,
    SP = 2,
    S0 = 8,
    A0 = 10,
    A2 = 12,
    A3 = 13
};

typedef struct code {
    uint8_t b[256];
    size_t n;
} code;

static void i32(code *c, uint32_t insn) {
    for (int i = 0; i < 4; i++)
        c->b[c->n++] = (uint8_t)(insn >> (8 * i));
}

static void i16(code *c, uint16_t insn) {
    c->b[c->n++] = (uint8_t)insn;
    c->b[c->n++] = (uint8_t)(insn >> 8);
}

static uint32_t itype(unsigned op, unsigned f3, unsigned rd, unsigned rs1, int32_t imm) {
    return (uint32_t)imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t rtype(unsigned f7, unsigned f3, unsigned rd, unsigned rs1, unsigned rs2) {
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x33;
}

static uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) {
    return itype(0x13, 0, rd, rs1, imm);
}
static uint32_t addiw(unsigned rd, unsigned rs1, int32_t imm) {
    return itype(0x1b, 0, rd, rs1, imm);
}
static uint32_t lui(unsigned rd, uint32_t imm20) { return imm20 << 12 | rd << 7 | 0x37; }
static uint32_t add(unsigned rd, unsigned rs1, unsigned rs2) { return rtype(0, 0, rd, rs1, rs2); }
static uint32_t sub(unsigned rd, unsigned rs1, unsigned rs2) {
    return rtype(0x20, 0, rd, rs1, rs2);
}
static uint32_t mul(unsigned rd, unsigned rs1, unsigned rs2) { return rtype(1, 0, rd, rs1, rs2); }
static uint32_t csrr_vlenb(unsigned rd) { return itype(0x73, 2, rd, 0, 0xc22); }
static uint32_t ld(unsigned rd, unsigned rs1) { return itype(0x03, 3, rd, rs1, 0); }
static uint32_t ret(void) { return itype(0x67, 0, ZERO, RA, 0); }

static w2n_frame_size measure(const code *c) {
    w2n_frame_size f;
    size_t bad = 0;
    cr_assert(w2n_frame_measure_riscv64(c->b, c->n, &f, &bad), "refused at 0x%zx", bad);
    return f;
}

static size_t refused_at(const code *c) {
    w2n_frame_size f;
    size_t bad = 0;
    cr_assert_not(w2n_frame_measure_riscv64(c->b, c->n, &f, &bad), "measured %llu",
                  (unsigned long long)f.bytes);
    return bad;
}

Test(frame, small_frame_and_its_restore) {
    code c = {0};
    i32(&c, addi(SP, SP, -496));
    i32(&c, addi(SP, SP, 496));
    i32(&c, ret());
    w2n_frame_size f = measure(&c);
    cr_assert_eq(f.bytes, 496);
    cr_assert_eq(f.vlenb, 0);
}

/* LLVM 19 at -O0, 50,000 v128 locals: 0x1f0 then lui 0xc4 / sub. */
Test(frame, large_frame_through_a_register) {
    code c = {0};
    i32(&c, addi(SP, SP, -0x1f0));
    i32(&c, lui(A2, 0xc4));
    i32(&c, sub(SP, SP, A2));
    i32(&c, lui(A2, 0xc4));
    i32(&c, addiw(A2, A2, -0x401)); /* an address in the frame, not sp */
    i32(&c, add(A2, A2, SP));
    i32(&c, lui(A2, 0xc4));
    i32(&c, add(SP, SP, A2));
    i32(&c, addi(SP, SP, 0x1f0));
    i32(&c, ret());
    cr_assert_eq(measure(&c).bytes, 0x1f0 + 0xc4000);
}

Test(frame, compressed_addi16sp) {
    code c = {0};
    i16(&c, 0x7139); /* c.addi16sp sp, -64 */
    i16(&c, 0x6121); /* c.addi16sp sp, 64 */
    cr_assert_eq(measure(&c).bytes, 64);
}

/* With +v, spills of vector registers take vlenb-sized slots. */
Test(frame, vector_registers_counted_apart) {
    code c = {0};
    i32(&c, addi(SP, SP, -0x60));
    i32(&c, csrr_vlenb(A2));
    i32(&c, addi(A3, ZERO, 300));
    i32(&c, mul(A2, A2, A3));
    i32(&c, sub(SP, SP, A2));
    w2n_frame_size f = measure(&c);
    cr_assert_eq(f.bytes, 0x60);
    cr_assert_eq(f.vlenb, 300);
}

/* The epilogue restores from the frame pointer: not an allocation. */
Test(frame, restore_from_frame_pointer) {
    code c = {0};
    i32(&c, addi(SP, SP, -32));
    i32(&c, addi(S0, SP, 32));
    i32(&c, lui(A2, 1));
    i32(&c, sub(SP, SP, A2));
    i32(&c, addi(SP, S0, -32));
    i32(&c, ret());
    cr_assert_eq(measure(&c).bytes, 32 + 4096);
}

Test(frame, unknown_stack_pointer_writes_refused) {
    code c = {0};
    i32(&c, addi(SP, SP, -16));
    i32(&c, sub(SP, SP, A0)); /* a0: the vmctx, not a size */
    cr_assert_eq(refused_at(&c), 4);
    c.n = 0;
    i32(&c, ld(SP, A0));
    cr_assert_eq(refused_at(&c), 0);
    c.n = 0; /* a constant does not survive a branch */
    i32(&c, lui(A2, 0xc4));
    i32(&c, itype(0x63, 0, 8, ZERO, 0)); /* beq zero, zero, +8 (B-type, imm 8) */
    i32(&c, sub(SP, SP, A2));
    cr_assert_eq(refused_at(&c), 8);
}

/* ---- objects ---------------------------------------------------------------------------- */

typedef struct object {
    uint8_t *bytes;
    size_t size;
} object;

static char *locals_wat(int n) {
    size_t cap = 256 + (size_t)n * 5;
    char *s = malloc(cap);
    size_t len = (size_t)snprintf(s, cap, "(module (func (export \"run\") (result i32) (local");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, " v128");
    snprintf(s + len, cap - len,
             ")\n (local.set %d (v128.const i32x4 1 2 3 4))\n"
             " (i32x4.extract_lane 0 (local.get %d))))\n",
             n - 1, n - 1);
    return s;
}

static object compile_for(const char *wat, const char *target) {
    uint8_t *wasm;
    size_t wasm_size;
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options o;
    w2n_compile_options_init(&o);
    o.opt_level = 0;
    o.target = target;
    object obj;
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, wasm_size, &o, &obj.bytes, &obj.size, &err), W2N_OK, "%s",
                 err.message);
    free(wasm);
    return obj;
}

/* The object's ELF view (without the seal) and its decoded metadata. */
static void read_object(const object *o, w2n_elf *elf, w2n_meta *meta) {
    w2n_error err;
    cr_assert_eq(w2n_elf_read(o->bytes, o->size - W2N_SEAL_SIZE, elf, &err), W2N_OK, "%s",
                 err.message);
    const w2n_elf_section *s = &elf->sections[w2n_elf_find_section(elf, W2N_META_SECTION)];
    cr_assert_eq(w2n_meta_decode(s->data, s->size, meta, &err), W2N_OK, "%s", err.message);
}

/* Overwrite the recorded frame size and reseal, as a forger could. */
static void forge_frame(object *o, uint64_t bytes) {
    w2n_elf elf;
    w2n_meta meta;
    read_object(o, &elf, &meta);
    uint8_t *field = o->bytes + elf.sections[w2n_elf_find_section(&elf, W2N_META_SECTION)].offset +
                     W2N_META_FRAME_OFFSET;
    for (int i = 0; i < 8; i++)
        field[i] = (uint8_t)(bytes >> (8 * i));
    w2n_meta_free(&meta);
    w2n_elf_free(&elf);
    w2n_error err;
    cr_assert_eq(w2n_seal_update(o->bytes, o->size, &err), W2N_OK);
}

/* The compiler records what the code allocates; the loader's check accepts
 * exactly that much or more and refuses less. */
Test(frame, recorded_in_riscv64_object_and_checked, .timeout = 120) {
    char *wat = locals_wat(5000);
    object o = compile_for(wat, "riscv64");
    free(wat);
    w2n_elf elf;
    w2n_meta meta;
    read_object(&o, &elf, &meta);
    cr_assert_geq(meta.max_frame, 5000 * 16);
    cr_assert_lt(meta.max_frame, 5000 * 16 + 4096);
    w2n_error err;
    cr_assert_eq(w2n_frame_check(&elf, &meta, &err), W2N_OK, "%s", err.message);
    meta.max_frame += 4096; /* more than the code needs: harmless */
    cr_assert_eq(w2n_frame_check(&elf, &meta, &err), W2N_OK, "%s", err.message);
    meta.max_frame -= 4096 + 16; /* less: refused */
    cr_assert_eq(w2n_frame_check(&elf, &meta, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "metadata says its largest stack frame is"), "%s", err.message);
    w2n_meta_free(&meta);
    w2n_elf_free(&elf);
    free(o.bytes);
}

/* Probed targets record nothing: their guard page does the work. */
Test(frame, probed_target_records_zero) {
    char *wat = locals_wat(5000);
    object o = compile_for(wat, "x86_64");
    free(wat);
    w2n_elf elf;
    w2n_meta meta;
    read_object(&o, &elf, &meta);
    cr_assert_eq(meta.max_frame, 0);
    cr_assert_eq(meta.max_frame_vlenb, 0);
    w2n_meta_free(&meta);
    w2n_elf_free(&elf);
    free(o.bytes);
}

/* A size that claims more than any stack holds costs the liar only: the
 * store refuses to instantiate; past W2N_FRAME_MAX the loader refuses. */
Test(frame, inflated_frame_refused_at_instantiation) {
    object o = compile_for("(module (func (export \"f\")))", "x86_64");
    forge_frame(&o, (uint64_t)1 << 31);
    w2n_object *obj;
    w2n_error err;
    cr_assert_eq(w2n_object_load(o.bytes, o.size, &obj, &err), W2N_OK, "%s", err.message);
    w2n_store *store = w2n_store_new(NULL);
    w2n_instance *inst;
    w2n_trap trap;
    cr_assert_eq(w2n_instantiate(store, obj, NULL, 0, &inst, &trap, &err), W2N_ERR_LIMIT);
    cr_assert(strstr(err.message, "largest stack frame (2147483648 bytes) does not fit in this "
                                  "thread's stack"),
              "%s", err.message);
    w2n_store_free(store);
    w2n_object_free(obj);
    forge_frame(&o, W2N_FRAME_MAX + 1);
    cr_assert_eq(w2n_object_load(o.bytes, o.size, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "stack frame size out of range"), "%s", err.message);
    free(o.bytes);
}

/* An object instantiated from a host function, while a call of the store
 * runs, raises the running chain's limit to keep room for its frame. */
typedef struct nested {
    w2n_store *store;
    w2n_object *big;
    w2n_status status;
    uintptr_t before, after;
} nested;

static void instantiate_inside(void *data, w2n_instance *caller, w2n_raw *slots) {
    nested *n = data;
    n->before = n->store->stack_limit;
    w2n_instance *inst;
    w2n_trap trap;
    w2n_error err;
    n->status = w2n_instantiate(n->store, n->big, NULL, 0, &inst, &trap, &err);
    n->after = n->store->stack_limit;
}

Test(frame, instantiated_inside_a_call_raises_the_limit) {
    object a = compile_for("(module (import \"h\" \"f\" (func $f)) (func (export \"run\") "
                           "(call $f)))",
                           "x86_64");
    object b = compile_for("(module (func (export \"g\")))", "x86_64");
    forge_frame(&b, 512 * 1024);
    w2n_object *oa, *ob;
    w2n_error err;
    cr_assert_eq(w2n_object_load(a.bytes, a.size, &oa, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_object_load(b.bytes, b.size, &ob, &err), W2N_OK, "%s", err.message);
    w2n_store_options so = {.stack_size = (size_t)1 << 30}; /* the floor decides */
    nested n = {.store = w2n_store_new(&so), .big = ob, .status = W2N_ERR_INTERNAL};
    w2n_functype none = {0};
    w2n_extern imp = {.kind = W2N_EXTERN_FUNC,
                      .of.func = w2n_host_func_new(n.store, &none, instantiate_inside, &n)};
    w2n_instance *inst;
    w2n_trap trap;
    cr_assert_eq(w2n_instantiate(n.store, oa, &imp, 1, &inst, &trap, &err), W2N_OK, "%s",
                 err.message);
    w2n_extern run;
    cr_assert_eq(w2n_instance_export(inst, "run", &run), W2N_OK);
    cr_assert_eq(w2n_func_call(n.store, run.of.func, NULL, 0, NULL, 0, &trap, &err), W2N_OK, "%s",
                 err.message);
    cr_assert_eq(n.status, W2N_OK);
    cr_assert_eq(n.before, w2n_stack_low() + W2N_STACK_RESERVE);
    cr_assert_eq(n.after, w2n_stack_low() + W2N_STACK_RESERVE + 512 * 1024);
    w2n_store_free(n.store);
    w2n_object_free(oa);
    w2n_object_free(ob);
    free(a.bytes);
    free(b.bytes);
}
