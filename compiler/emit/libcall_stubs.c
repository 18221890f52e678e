/*
 * libcall_stubs.c — calls to the C library without relocations in code.
 *
 * LLVM's back end turns some intrinsics into calls to the C library
 * (llvm.memmove into memmove: every memory.copy whose length it does not
 * know).  Such a call names a symbol outside the object, so the loader had
 * to patch it in the code's pages: a program built with bulk memory had
 * 418 of them on 200 pages, each page made writable and copied at every
 * start (docs/performance.md, "Load time lost again to bulk memory's
 * calls").  Instead the module gets, per library function its intrinsics
 * may become, a stub that jumps through a pointer in .data.rel.ro, written
 * in IR so that LLVM encodes it for each target.  After code generation the
 * calls to that function are pointed at its stub: a reference inside the
 * object, which object_layout.c applies in the file.  Only the pointer is
 * patched at load, among the other code pointers of .data.rel.ro.
 *
 * The intrinsics stay as they are, so LLVM still knows what each call
 * reads and writes, and still expands the short ones inline.  A library
 * call without a stub (the 128-bit division helpers; one a partition
 * needs but another has the stub of) keeps its relocation: slower to load,
 * as correct.
 */
#include "libcall_stubs.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "elf_object.h"
#include "image_layout.h"
#include "libcall_table.h"
#include "reloc.h"

typedef struct libcall {
    const char *name;
    const char *family; /* intrinsic name prefix, or NULL */
    w2n_libcall_sig sig;
} libcall;

static const libcall libcalls[] = {
#define W2N_LIBCALL(name, family, signature, host) {#name, family, signature},
#include "libcalls.def"
#undef W2N_LIBCALL
};

enum {
    NLIBCALLS = sizeof libcalls / sizeof libcalls[0]
};

/* ---- IR: the stubs ------------------------------------------------------------------- */

static LLVMTypeRef sig_type(LLVMContextRef ctx, w2n_libcall_sig sig) {
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(ctx), f32 = LLVMFloatTypeInContext(ctx);
    LLVMTypeRef i128 = LLVMIntTypeInContext(ctx, 128);
    LLVMTypeRef p[3];
    switch (sig) {
    case W2N_LIBCALL_SIG_COPY:
        p[0] = ptr, p[1] = ptr, p[2] = i64;
        return LLVMFunctionType(ptr, p, 3, 0);
    case W2N_LIBCALL_SIG_FILL:
        p[0] = ptr, p[1] = LLVMInt32TypeInContext(ctx), p[2] = i64;
        return LLVMFunctionType(ptr, p, 3, 0);
    case W2N_LIBCALL_SIG_F64_1:
    case W2N_LIBCALL_SIG_F64_2:
    case W2N_LIBCALL_SIG_F64_3:
        p[0] = p[1] = p[2] = f64;
        return LLVMFunctionType(f64, p, 1 + (sig - W2N_LIBCALL_SIG_F64_1) / 2, 0);
    case W2N_LIBCALL_SIG_F32_1:
    case W2N_LIBCALL_SIG_F32_2:
    case W2N_LIBCALL_SIG_F32_3:
        p[0] = p[1] = p[2] = f32;
        return LLVMFunctionType(f32, p, 1 + (sig - W2N_LIBCALL_SIG_F32_1) / 2, 0);
    case W2N_LIBCALL_SIG_I128_2: p[0] = p[1] = i128; return LLVMFunctionType(i128, p, 2, 0);
    }
    return NULL;
}

/* Is the declared function `fn` an intrinsic that may become a call to c?
 * Math families have a name per element type: floor for f64, floorf for
 * f32. */
static bool may_become(LLVMValueRef fn, const libcall *c) {
    size_t len;
    const char *name = LLVMGetValueName2(fn, &len);
    size_t flen = strlen(c->family);
    if (len <= flen || strncmp(name, c->family, flen) != 0 || name[flen] != '.')
        return false;
    if (c->sig == W2N_LIBCALL_SIG_COPY || c->sig == W2N_LIBCALL_SIG_FILL)
        return true;
    LLVMTypeRef t = LLVMGetReturnType(LLVMGlobalGetValueType(fn));
    if (LLVMGetTypeKind(t) == LLVMVectorTypeKind)
        t = LLVMGetElementType(t);
    bool f32 = c->sig == W2N_LIBCALL_SIG_F32_1 || c->sig == W2N_LIBCALL_SIG_F32_2 ||
               c->sig == W2N_LIBCALL_SIG_F32_3;
    return LLVMGetTypeKind(t) == (f32 ? LLVMFloatTypeKind : LLVMDoubleTypeKind);
}

/* internal fn(args) { musttail return (*slot)(args); } with slot holding c. */
static LLVMValueRef add_stub(LLVMModuleRef mod, const libcall *c) {
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0), fty = sig_type(ctx, c->sig);
    LLVMValueRef target = LLVMGetNamedFunction(mod, c->name);
    if (!target)
        target = LLVMAddFunction(mod, c->name, fty);
    char name[64];
    snprintf(name, sizeof name, "%s%s", W2N_LIBCALL_SLOT_PREFIX, c->name);
    LLVMValueRef slot = LLVMAddGlobal(mod, ptr, name);
    LLVMSetInitializer(slot, target);
    LLVMSetLinkage(slot, LLVMInternalLinkage);
    /* Not a constant the back end may fold into a direct call again. */
    LLVMSetExternallyInitialized(slot, 1);
    LLVMSetSection(slot, W2N_LAYOUT_RELRO); /* read-only once loaded */
    LLVMSetAlignment(slot, 8);
    snprintf(name, sizeof name, "%s%s", W2N_LIBCALL_STUB_PREFIX, c->name);
    LLVMValueRef stub = LLVMAddFunction(mod, name, fty);
    LLVMSetLinkage(stub, LLVMInternalLinkage);
    unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
    LLVMAddAttributeAtIndex(stub, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(ctx, nounwind, 0));
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, stub, ""));
    LLVMValueRef args[3];
    unsigned nargs = LLVMCountParams(stub);
    LLVMGetParams(stub, args);
    LLVMValueRef call = LLVMBuildCall2(b, fty, LLVMBuildLoad2(b, ptr, slot, ""), args, nargs, "");
    LLVMSetTailCallKind(call, LLVMTailCallKindMustTail);
    LLVMBuildRet(b, call);
    LLVMDisposeBuilder(b);
    return stub;
}

unsigned w2n_libcall_stubs_add(LLVMModuleRef mod) {
    bool wanted[NLIBCALLS] = {0};
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        if (!LLVMIsDeclaration(fn) || !LLVMGetIntrinsicID(fn))
            continue;
        for (unsigned i = 0; i < NLIBCALLS; i++)
            wanted[i] |= libcalls[i].family && may_become(fn, &libcalls[i]);
    }
    LLVMValueRef stubs[NLIBCALLS];
    unsigned n = 0;
    for (unsigned i = 0; i < NLIBCALLS; i++) /* in table order: deterministic */
        if (wanted[i])
            stubs[n++] = add_stub(mod, &libcalls[i]);
    if (n)
        w2n_codegen_keep(mod, stubs, n); /* nothing calls them yet */
    return n;
}

/* ---- the object: calls pointed at the stubs ----------------------------------------- */

/* The stub for `name` in section shndx nearest to offset, or 0. */
static uint32_t nearest_stub(const w2n_elf *elf, const uint32_t *stubs, size_t nstubs,
                             const char *name, uint32_t shndx, uint64_t offset) {
    uint32_t best = 0;
    uint64_t best_distance = UINT64_MAX;
    for (size_t i = 0; i < nstubs; i++) {
        const w2n_elf_symbol *s = &elf->symbols[stubs[i]];
        if (s->shndx != shndx || strcmp(s->name + strlen(W2N_LIBCALL_STUB_PREFIX), name) != 0)
            continue;
        uint64_t d = s->value > offset ? s->value - offset : offset - s->value;
        if (d < best_distance)
            best = stubs[i], best_distance = d;
    }
    return best;
}

int64_t w2n_libcall_stubs_redirect(uint8_t *object, size_t size, w2n_error *err) {
    w2n_elf elf;
    if (w2n_elf_read(object, size, &elf, err) != W2N_OK)
        return -1;
    const w2n_reloc_arch *arch = w2n_reloc_arch_for_machine(elf.machine);
    size_t prefix = strlen(W2N_LIBCALL_STUB_PREFIX), nstubs = 0;
    uint32_t *stubs = malloc(sizeof *stubs * (elf.nsymbols ? elf.nsymbols : 1));
    if (!stubs) {
        w2n_elf_free(&elf);
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        return -1;
    }
    for (uint32_t i = 1; i < elf.nsymbols; i++) {
        const w2n_elf_symbol *s = &elf.symbols[i];
        if (s->type == W2N_STT_FUNC && s->bind == W2N_STB_LOCAL && s->shndx != W2N_SHN_UNDEF &&
            s->shndx < W2N_SHN_LORESERVE && !strncmp(s->name, W2N_LIBCALL_STUB_PREFIX, prefix))
            stubs[nstubs++] = i;
    }
    int64_t redirected = 0;
    for (uint32_t r = 1; arch && nstubs && r < elf.nsections; r++) {
        const w2n_elf_section *rs = &elf.sections[r];
        if (rs->type != W2N_SHT_RELA || !(elf.sections[rs->info].flags & W2N_SHF_EXECINSTR))
            continue;
        uint8_t *entries = object + (rs->data - elf.bytes);
        for (size_t k = 0; k < w2n_elf_rela_count(&elf, r); k++) {
            w2n_elf_rela rela = w2n_elf_rela_get(&elf, r, k);
            const w2n_elf_symbol *s = &elf.symbols[rela.sym];
            const w2n_reloc_howto *h = w2n_reloc_lookup(arch, rela.type);
            if (!rela.sym || s->shndx != W2N_SHN_UNDEF || !h || !(h->flags & W2N_RELOC_STUB_OK) ||
                (h->flags & W2N_RELOC_LOW))
                continue; /* only calls (absolute 32-bit ones are addresses) */
            uint32_t stub = nearest_stub(&elf, stubs, nstubs, s->name, rs->info, rela.offset);
            if (!stub)
                continue;
            w2n_reloc_wr64(entries + k * W2N_ELF_RELA_SIZE + 8, ((uint64_t)stub << 32) | rela.type);
            redirected++;
        }
    }
    free(stubs);
    w2n_elf_free(&elf);
    return redirected;
}
