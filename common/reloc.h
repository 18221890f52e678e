/*
 * reloc.h — relocation arithmetic, one table per architecture.
 *
 * Each architecture (reloc_<arch>.c) is data: a table from ELF relocation
 * type to a "howto" (name, bytes patched, what the loader must prepare, and
 * an apply function built from the shared helpers of reloc.c), plus the
 * shape of its call stub.  The loader (image.c) owns addresses and symbols;
 * the apply functions only see numbers and a byte buffer, so every table
 * builds and is tested on every host.  All three targets are little-endian.
 *
 * Contract of an apply function: it computes the value X of the relocation
 * from the arguments, checks range and alignment, and only then writes; on
 * any failure the bytes are left untouched (so the loader may retry a branch
 * through a stub).  It stores X in args->value either way.
 */
#ifndef W2N_RELOC_H
#define W2N_RELOC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "w2n/abi.h"

typedef enum w2n_reloc_result {
    W2N_RELOC_OK = 0,
    W2N_RELOC_OVERFLOW,   /* X does not fit the field */
    W2N_RELOC_MISALIGNED, /* X has low bits the field cannot hold */
    W2N_RELOC_BAD_ADDEND, /* an addend the type does not allow (GOT with A != 0) */
    W2N_RELOC_BAD_INSN    /* the instruction at the place is not the expected kind */
} w2n_reloc_result;

/* What the loader must do for a relocation type besides calling apply. */
enum w2n_reloc_flags {
    W2N_RELOC_IGNORE = 1u << 0,  /* nothing to do (NONE, RELAX, ALIGN) */
    W2N_RELOC_GOT = 1u << 1,     /* needs a GOT slot holding S: args->got */
    W2N_RELOC_STUB_OK = 1u << 2, /* an external function may be reached via its stub */
    W2N_RELOC_LOW = 1u << 3,     /* absolute 32-bit: wants the image in the low 2 GiB */
    W2N_RELOC_PAIR_HI = 1u << 4, /* RISC-V HI20 whose X a PCREL_LO12 refers to */
    W2N_RELOC_PAIR_LO = 1u << 5, /* RISC-V PCREL_LO12: args->pair is the HI20's X */
    W2N_RELOC_GOT_BASE = 1u << 6 /* needs args->got_base (x86-64 GOTOFF/GOTPC) */
};

typedef struct w2n_reloc_args {
    uint8_t *loc;      /* the bytes to patch (howto->size of them) */
    uint64_t P;        /* run-time address of the place */
    uint64_t S;        /* symbol value (or its stub) */
    int64_t A;         /* addend */
    uint64_t Z;        /* symbol size (SIZE32/SIZE64) */
    uint64_t got;      /* address of the GOT slot of S (W2N_RELOC_GOT) */
    uint64_t got_base; /* address of the GOT (W2N_RELOC_GOT_BASE) */
    int64_t pair;      /* X of the matching HI20 (W2N_RELOC_PAIR_LO) */
    int64_t value;     /* out: the computed X */
} w2n_reloc_args;

typedef w2n_reloc_result (*w2n_reloc_fn)(w2n_reloc_args *a);

typedef struct w2n_reloc_howto {
    uint32_t type;
    const char *name;   /* "R_AARCH64_CALL26" */
    uint8_t size;       /* bytes read/written at the place */
    uint8_t flags;      /* enum w2n_reloc_flags */
    w2n_reloc_fn apply; /* NULL only with W2N_RELOC_IGNORE */
} w2n_reloc_howto;

/* A type we know by name but do not support (TLS, dynamic-linker types),
 * so that the error names it. */
typedef struct w2n_reloc_name {
    uint32_t type;
    const char *name;
} w2n_reloc_name;

typedef struct w2n_reloc_arch {
    w2n_arch arch;
    const char *name; /* "aarch64" */
    uint16_t machine; /* ELF e_machine */
    /* e_flags & eflags_mask must equal eflags_value (e.g. the RISC-V float
     * ABI: our runtime is lp64d); eflags_meaning names it in errors. */
    uint32_t eflags_mask, eflags_value;
    const char *eflags_meaning;
    const w2n_reloc_howto *howtos;
    size_t nhowtos;
    const w2n_reloc_name *unsupported;
    size_t nunsupported;
    size_t stub_size; /* bytes per call stub (a multiple of 8) */
    /* Write a stub at `loc` (run-time address stub_addr) that jumps to target
     * from anywhere in the address space; clobbers only registers the ABI
     * lets a veneer/PLT entry clobber. */
    void (*write_stub)(uint8_t *loc, uint64_t stub_addr, uint64_t target);
    /* A 32-bit difference of two symbols, as the assembler writes it when it
     * cannot resolve it: a pair at one place that adds the first and
     * subtracts the second (RISC-V's ADD32, SUB32; 0 on targets that write
     * a PC-relative type instead), and that PC-relative type (S + A - P),
     * which says the same when the second symbol lies in the patched
     * section (compiler/emit/label_differences.c). */
    uint32_t diff_add32, diff_sub32, pcrel32;
} w2n_reloc_arch;

extern const w2n_reloc_arch w2n_reloc_x86_64;
extern const w2n_reloc_arch w2n_reloc_aarch64;
extern const w2n_reloc_arch w2n_reloc_riscv64;

/* The table for an architecture, or for an ELF machine; NULL if unknown. */
const w2n_reloc_arch *w2n_reloc_arch_get(w2n_arch arch);
const w2n_reloc_arch *w2n_reloc_arch_for_machine(uint16_t machine);

/* The howto of a relocation type, or NULL if the type is not supported. */
const w2n_reloc_howto *w2n_reloc_lookup(const w2n_reloc_arch *arch, uint32_t type);

/* The psABI name of a type, supported or not ("R_X86_64_TLSGD"), or NULL. */
const char *w2n_reloc_type_name(const w2n_reloc_arch *arch, uint32_t type);

/* A short phrase for a result ("value out of range"). */
const char *w2n_reloc_result_name(w2n_reloc_result r);

/* ---- shared arithmetic (reloc.c) ------------------------------------------ */

/* Little-endian loads and stores of unaligned fields, inline and one
 * memory access each (the loader reads every ELF field and relocation
 * through them); byte-swapped on a big-endian host. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define W2N_LE16(v) __builtin_bswap16(v)
#define W2N_LE32(v) __builtin_bswap32(v)
#define W2N_LE64(v) __builtin_bswap64(v)
#else
#define W2N_LE16(v) (v)
#define W2N_LE32(v) (v)
#define W2N_LE64(v) (v)
#endif

static inline uint16_t w2n_reloc_rd16(const uint8_t *p) {
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return W2N_LE16(v);
}
static inline uint32_t w2n_reloc_rd32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return W2N_LE32(v);
}
static inline uint64_t w2n_reloc_rd64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return W2N_LE64(v);
}
static inline void w2n_reloc_wr16(uint8_t *p, uint16_t v) {
    v = W2N_LE16(v);
    memcpy(p, &v, sizeof v);
}
static inline void w2n_reloc_wr32(uint8_t *p, uint32_t v) {
    v = W2N_LE32(v);
    memcpy(p, &v, sizeof v);
}
static inline void w2n_reloc_wr64(uint8_t *p, uint64_t v) {
    v = W2N_LE64(v);
    memcpy(p, &v, sizeof v);
}

/* Does v fit in a signed / unsigned field of `bits` bits? */
int w2n_reloc_fits_signed(int64_t v, unsigned bits);
int w2n_reloc_fits_unsigned(uint64_t v, unsigned bits);

/* Replace bits [lo, lo+width) of word with the low `width` bits of v. */
uint32_t w2n_reloc_insert(uint32_t word, unsigned lo, unsigned width, uint64_t v);

/* Write a plain little-endian data field of `bytes` bytes (1, 2, 4, 8)
 * after checking that v fits as signed or unsigned, as the psABIs say for
 * data relocations: -2^(n-1) <= v < 2^n. */
w2n_reloc_result w2n_reloc_data(uint8_t *loc, unsigned bytes, int64_t v);
/* The same without a range check (truncating _NC / 64-bit fields). */
void w2n_reloc_data_nc(uint8_t *loc, unsigned bytes, uint64_t v);

/* Patch a 32-bit instruction's field: check that v is a multiple of
 * 1 << shift and that v >> shift fits `width` signed (or unsigned) bits,
 * then insert v >> shift at bit `lo`. */
w2n_reloc_result w2n_reloc_insn_signed(uint8_t *loc, int64_t v, unsigned shift, unsigned lo,
                                       unsigned width);
w2n_reloc_result w2n_reloc_insn_unsigned(uint8_t *loc, uint64_t v, unsigned shift, unsigned lo,
                                         unsigned width);

#endif
