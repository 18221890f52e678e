/*
 * frame.c — the largest native stack frame of an object, measured over its
 * function symbols by the architecture's decoder (frame_<arch>.c), and the
 * loader's check of the metadata against it.  See frame.h.
 *
 * Works on the unrelocated bytes of the ELF file: relocations only fill
 * addresses into instructions, never a stack-pointer adjustment, so the
 * compiler (on the object it just emitted) and the loader (on the object it
 * was given) measure the same thing.
 */
#include "frame.h"

typedef struct frame_decoder {
    w2n_arch arch;
    w2n_frame_measure_fn measure;
} frame_decoder;

/* Architectures whose frames LLVM does not probe (docs/abi.md, "Stack"). */
static const frame_decoder decoders[] = {
    {W2N_ARCH_RISCV64, w2n_frame_measure_riscv64},
};

w2n_frame_measure_fn w2n_frame_decoder(w2n_arch arch) {
    for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++)
        if (decoders[i].arch == arch)
            return decoders[i].measure;
    return NULL;
}

w2n_status w2n_frame_measure_object(const w2n_elf *elf, w2n_arch arch, w2n_frame_size *out,
                                    w2n_error *err) {
    out->bytes = out->vlenb = 0;
    w2n_frame_measure_fn measure = w2n_frame_decoder(arch);
    if (!measure)
        return W2N_OK;
    for (uint32_t i = 1; i < elf->nsymbols; i++) {
        const w2n_elf_symbol *sym = &elf->symbols[i];
        if (sym->type != W2N_STT_FUNC || sym->shndx == W2N_SHN_UNDEF ||
            sym->shndx >= elf->nsections)
            continue;
        const w2n_elf_section *sec = &elf->sections[sym->shndx];
        if (!(sec->flags & W2N_SHF_EXECINSTR) || !sec->data)
            continue;
        if (sym->value > sec->size || sym->size > sec->size - sym->value)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "function %s lies outside its section %s", sym->name, sec->name);
        w2n_frame_size f;
        size_t bad = 0;
        if (!measure(sec->data + sym->value, sym->size, &f, &bad))
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "cannot measure the stack frame of function %s: unknown "
                                 "stack-pointer write at offset 0x%zx",
                                 sym->name, bad);
        if (f.bytes > out->bytes)
            out->bytes = f.bytes;
        if (f.vlenb > out->vlenb)
            out->vlenb = f.vlenb;
    }
    return W2N_OK;
}

w2n_status w2n_frame_check(const w2n_elf *elf, const w2n_meta *meta, w2n_error *err) {
    w2n_frame_size f;
    w2n_status st = w2n_frame_measure_object(elf, (w2n_arch)meta->arch, &f, err);
    if (st != W2N_OK)
        return st;
    if (f.bytes > meta->max_frame || f.vlenb > meta->max_frame_vlenb)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object's metadata says its largest stack frame is %llu bytes "
                             "+ %u vector registers, but its code allocates %llu + %llu",
                             (unsigned long long)meta->max_frame, meta->max_frame_vlenb,
                             (unsigned long long)f.bytes, (unsigned long long)f.vlenb);
    return W2N_OK;
}

uint64_t w2n_frame_bytes(uint64_t bytes, uint64_t vlenb_multiple, uint64_t vlenb) {
    if (vlenb && vlenb_multiple > (UINT64_MAX - bytes) / vlenb)
        return UINT64_MAX;
    return bytes + vlenb_multiple * vlenb;
}
