/*
 * test_object_trust.c — the loader checks an object against itself and its
 * seal before anything runs (issue 12, holes 2, 3 and 4).
 *
 * Each corruption is made twice: as is, where the seal's SHA-256 must catch
 * it, and resealed (w2n_seal_update), as an attacker who can rewrite the
 * hash would, where the cross-check between metadata and code must catch it
 * with its own message.  Metadata is rewritten by decoding ".w2n.module",
 * changing the w2n_meta and pointing the section header at a re-encoded copy
 * appended to the file, so counts can grow.  Objects are compiled from
 * small modules in the text format (wat_kit.h).
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <string.h>

#include "elf_kit.h"
#include "meta.h"
#include "seal.h"
#include "wat_kit.h"

typedef struct object {
    uint8_t *bytes;
    size_t size;
} object;

static object compile_wat(const char *wat, w2n_bounds_mode bounds) {
    uint8_t *wasm;
    size_t wasm_size;
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = 1;
    opts.bounds = bounds;
    object o;
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &o.bytes, &o.size, &err), W2N_OK, "%s",
                 err.message);
    free(wasm);
    return o;
}

/* Load; on failure the error is one line and returned in *msg. */
static w2n_status try_load(const object *o, const uint8_t *key, char *msg, size_t msg_size) {
    w2n_object *obj = NULL;
    w2n_error err;
    memset(&err, 0, sizeof err);
    w2n_status st = w2n_object_load_trusted(o->bytes, o->size, key, &obj, &err);
    if (st == W2N_OK) {
        w2n_object_free(obj);
        snprintf(msg, msg_size, "(loaded)");
    } else {
        cr_assert_neq(err.message[0], 0, "an error always has a message");
        cr_assert_null(strchr(err.message, '\n'), "one line: %s", err.message);
        snprintf(msg, msg_size, "%s", err.message);
    }
    return st;
}

static void expect_refusal(const object *o, const char *needle) {
    char msg[512];
    cr_assert_eq(try_load(o, NULL, msg, sizeof msg), W2N_ERR_BAD_OBJECT, "%s", msg);
    cr_assert(strstr(msg, needle), "expected '%s' in: %s", needle, msg);
}

/* The section header of ".w2n.module" (the seal is not part of the ELF). */
static Elf64_Shdr *meta_header(object *o) {
    unsigned n;
    Elf64_Shdr *sh = (Elf64_Shdr *)elf_sections(o->bytes, o->size - W2N_SEAL_SIZE, &n);
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(elf_section_name(o->bytes, i), W2N_META_SECTION))
            return &sh[i];
    cr_assert_fail("no %s section", W2N_META_SECTION);
    return NULL;
}

static void decode_meta(object *o, w2n_meta *m) {
    Elf64_Shdr *sh = meta_header(o);
    w2n_error err;
    cr_assert_eq(w2n_meta_decode(o->bytes + sh->sh_offset, sh->sh_size, m, &err), W2N_OK, "%s",
                 err.message);
}

/* Replace the metadata by `m`, appended before a new seal; the object's
 * bytes are reallocated.  `reseal` false leaves the old (now wrong) hash. */
static void replace_meta(object *o, const w2n_meta *m, bool reseal) {
    uint8_t *enc;
    size_t enc_size;
    w2n_error err;
    cr_assert_eq(w2n_meta_encode(m, &enc, &enc_size, &err), W2N_OK);
    uint8_t seal[W2N_SEAL_SIZE];
    size_t content = o->size - W2N_SEAL_SIZE;
    memcpy(seal, o->bytes + content, W2N_SEAL_SIZE);
    size_t at = (content + 7) & ~(size_t)7;
    o->bytes = realloc(o->bytes, at + enc_size + W2N_SEAL_SIZE);
    memset(o->bytes + content, 0, at - content);
    memcpy(o->bytes + at, enc, enc_size);
    memcpy(o->bytes + at + enc_size, seal, W2N_SEAL_SIZE);
    o->size = at + enc_size + W2N_SEAL_SIZE;
    Elf64_Shdr *sh = meta_header(o);
    sh->sh_offset = at;
    sh->sh_size = enc_size;
    free(enc);
    if (reseal)
        cr_assert_eq(w2n_seal_update(o->bytes, o->size, &err), W2N_OK);
}

/* The corruption as is (the hash catches it), then resealed (the
 * cross-check catches it with `needle`). */
static void both_refused(const object *orig, void (*corrupt)(object *, bool), const char *needle) {
    for (int reseal = 0; reseal < 2; reseal++) {
        object o = {malloc(orig->size), orig->size};
        memcpy(o.bytes, orig->bytes, o.size);
        corrupt(&o, reseal);
        expect_refusal(&o, reseal ? needle : "SHA-256 does not match");
        free(o.bytes);
    }
}

/* A corruption of the metadata alone: `edit` changes the decoded meta. */
typedef void (*meta_edit)(w2n_meta *m);
static meta_edit current_edit;

static void apply_edit(object *o, bool reseal) {
    w2n_meta m;
    decode_meta(o, &m);
    current_edit(&m);
    replace_meta(o, &m, reseal);
    w2n_meta_free(&m);
}

static void meta_refused(const object *orig, meta_edit edit, const char *needle) {
    current_edit = edit;
    both_refused(orig, apply_edit, needle);
}

/* An i64 where the type says otherwise: as a funcref it would be called. */
static void forge_integer(w2n_const_expr *c) {
    c->kind = W2N_CONST_I64;
    c->bits[0] = 0x4141414141414141u;
}

static const char *PEEK =
    "(module (memory 1)"
    "  (func (export \"peek\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
    "  (func (export \"two\") (result i32) (i32.const 2)))";

/* ---- hole 2: the bounds-mode flag against the code's own marker -------------------- */

static void set_explicit_flag(w2n_meta *m) { m->flags ^= W2N_FLAG_EXPLICIT_BOUNDS; }

Test(object_trust, flipped_bounds_flag_refused) {
    object guard = compile_wat(PEEK, W2N_BOUNDS_GUARD);
    char msg[512];
    cr_assert_eq(try_load(&guard, NULL, msg, sizeof msg), W2N_OK, "%s", msg);
    /* Guard code must never get an exact-size memory. */
    meta_refused(&guard, set_explicit_flag,
                 "metadata says explicit bounds checks but its code was compiled for guard-page");
    object expl = compile_wat(PEEK, W2N_BOUNDS_EXPLICIT);
    cr_assert_eq(try_load(&expl, NULL, msg, sizeof msg), W2N_OK, "%s", msg);
    meta_refused(&expl, set_explicit_flag,
                 "metadata says guard-page bounds checks but its code was compiled for explicit");
    free(guard.bytes);
    free(expl.bytes);
}

/* Where the bounds-mode constant lies in the file. */
static size_t marker_offset(const object *o) {
    unsigned n;
    const Elf64_Shdr *sh = elf_sections(o->bytes, o->size - W2N_SEAL_SIZE, &n);
    for (unsigned i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        const Elf64_Sym *syms = (const Elf64_Sym *)(o->bytes + sh[i].sh_offset);
        const char *strs = (const char *)o->bytes + sh[sh[i].sh_link].sh_offset;
        for (size_t k = 0; k < sh[i].sh_size / sizeof *syms; k++)
            if (!strcmp(strs + syms[k].st_name, W2N_SYM_BOUNDS_MODE)) {
                cr_assert_eq(syms[k].st_size, 8);
                return sh[syms[k].st_shndx].sh_offset + syms[k].st_value;
            }
    }
    cr_assert_fail("no symbol %s", W2N_SYM_BOUNDS_MODE);
    return 0;
}

static void flip_marker_bit(object *o, bool reseal) {
    o->bytes[marker_offset(o) + 3] ^= 0x04;
    if (reseal)
        cr_assert_eq(w2n_seal_update(o->bytes, o->size, NULL), W2N_OK);
}

/* The marker made an absolute symbol at address 0: never read through. */
static void absolute_marker(object *o, bool reseal) {
    unsigned n;
    const Elf64_Shdr *sh = elf_sections(o->bytes, o->size - W2N_SEAL_SIZE, &n);
    for (unsigned i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        Elf64_Sym *syms = (Elf64_Sym *)(o->bytes + sh[i].sh_offset);
        const char *strs = (const char *)o->bytes + sh[sh[i].sh_link].sh_offset;
        for (size_t k = 0; k < sh[i].sh_size / sizeof *syms; k++)
            if (!strcmp(strs + syms[k].st_name, W2N_SYM_BOUNDS_MODE) ||
                !strcmp(strs + syms[k].st_name, W2N_SYM_FUNCTIONS)) {
                syms[k].st_shndx = SHN_ABS;
                syms[k].st_value = 0;
            }
    }
    if (reseal)
        cr_assert_eq(w2n_seal_update(o->bytes, o->size, NULL), W2N_OK);
}

Test(object_trust, absolute_symbols_not_read) {
    object o = compile_wat(PEEK, W2N_BOUNDS_GUARD);
    both_refused(&o, absolute_marker, "lacks the 8-byte symbol w2n_bounds_mode");
    free(o.bytes);
}

/* Every single-bit flip of the marker, in either mode, names no mode:
 * none turns guard into explicit or back. */
Test(object_trust, bounds_marker_bit_flips_refused) {
    object guard = compile_wat(PEEK, W2N_BOUNDS_GUARD);
    uint64_t v;
    memcpy(&v, guard.bytes + marker_offset(&guard), 8);
    cr_assert_eq(v, W2N_BOUNDS_MODE_GUARD);
    both_refused(&guard, flip_marker_bit, "which names no bounds mode");
    for (int bit = 0; bit < 64; bit++) {
        uint64_t g = W2N_BOUNDS_MODE_GUARD ^ (UINT64_C(1) << bit);
        uint64_t e = W2N_BOUNDS_MODE_EXPLICIT ^ (UINT64_C(1) << bit);
        cr_assert(g != W2N_BOUNDS_MODE_EXPLICIT && e != W2N_BOUNDS_MODE_GUARD);
    }
    free(guard.bytes);
}

/* ---- hole 3: the start function's type ------------------------------------------------ */

/* An import (i32) -> i32, a valid start function, and a function with
 * NRESULTS i64 results: the two a forged start index may name. */
#define NRESULTS 40
static char *start_module(void) {
    static char wat[2048];
    size_t n = (size_t)snprintf(wat, sizeof wat,
                                "(module (import \"env\" \"host\" (func (param i32) (result i32)))"
                                "  (func $ok) (start $ok) (func (export \"many\") (result");
    for (int i = 0; i < NRESULTS; i++)
        n += (size_t)snprintf(wat + n, sizeof wat - n, " i64");
    n += (size_t)snprintf(wat + n, sizeof wat - n, ")");
    for (int i = 0; i < NRESULTS; i++)
        n += (size_t)snprintf(wat + n, sizeof wat - n, " i64.const %d", i);
    snprintf(wat + n, sizeof wat - n, "))");
    return wat;
}

static void start_at_import(w2n_meta *m) { m->start = 0; /* the host import: (i32) -> i32 */ }

static void start_at_many_results(w2n_meta *m) { m->start = 2; /* NRESULTS i64 results */ }

Test(object_trust, start_function_must_be_void_to_void) {
    object o = compile_wat(start_module(), W2N_BOUNDS_GUARD);
    char msg[512];
    cr_assert_eq(try_load(&o, NULL, msg, sizeof msg), W2N_OK, "%s", msg);
    meta_refused(&o, start_at_import, "start function 0 has 1 parameters and 1 results");
    meta_refused(&o, start_at_many_results, "start function 2 has 0 parameters and 40 results");
    free(o.bytes);
}

/* ---- hole 4: counts against symbol sizes --------------------------------------------- */

static void grow_function_count(w2n_meta *m) {
    cr_assert_eq(m->nfuncs, 2);
    uint32_t *types = malloc(4 * sizeof *types);
    for (int i = 0; i < 4; i++)
        types[i] = m->func_types[i % 2];
    free(m->func_types);
    m->func_types = types;
    m->nfuncs = 4;
}

static void shrink_function_count(w2n_meta *m) {
    m->nfuncs = 1;
    free(m->exports[1].name); /* "two" would name function 1 */
    m->nexports = 1;
}

Test(object_trust, function_count_must_match_symbols) {
    object o = compile_wat(PEEK, W2N_BOUNDS_GUARD);
    meta_refused(
        &o, grow_function_count,
        "symbol w2n_functions has 8 bytes, but the metadata declares 4 entries (16 bytes)");
    meta_refused(&o, shrink_function_count,
                 "symbol w2n_functions has 8 bytes, but the metadata declares 1 entries (4 bytes)");
    free(o.bytes);
}

/* A global's initialiser must have the global's type: a funcref global
 * initialised with an integer would hand compiled code a wild pointer. */
static void retype_global_init(w2n_meta *m) {
    cr_assert_eq(m->nglobals, 1);
    forge_integer(&m->globals[0].init);
}

Test(object_trust, constant_types_checked) {
    object o =
        compile_wat("(module (global (export \"g\") funcref (ref.null func)))", W2N_BOUNDS_GUARD);
    char msg[512];
    cr_assert_eq(try_load(&o, NULL, msg, sizeof msg), W2N_OK, "%s", msg);
    meta_refused(&o, retype_global_init, "initialiser of another type than its global 0");
    free(o.bytes);
}

/* An element that is an integer, in a funcref segment. */
static void integer_element(w2n_meta *m) {
    cr_assert_eq(m->nelems, 1);
    forge_integer(&m->elems[0].items[0]);
}

/* An externref segment aimed at a funcref table. */
static void externref_segment(w2n_meta *m) {
    m->elems[0].type = W2N_EXTERNREF;
    m->elems[0].items[0].kind = W2N_CONST_REF_NULL;
    m->elems[0].items[0].index = W2N_EXTERNREF;
}

Test(object_trust, element_types_checked) {
    object o = compile_wat("(module (table 1 funcref) (func $f) (elem (i32.const 0) func $f))",
                           W2N_BOUNDS_GUARD);
    char msg[512];
    cr_assert_eq(try_load(&o, NULL, msg, sizeof msg), W2N_OK, "%s", msg);
    meta_refused(&o, integer_element, "element of another type than its segment, in segment 0");
    meta_refused(&o, externref_segment,
                 "active element segment of the wrong offset or table type 0");
    free(o.bytes);
}

/* ---- the seal ------------------------------------------------------------------------- */

/* Every byte of a small object, flipped, is refused on its hash: never
 * loaded, never a crash. */
Test(object_trust, every_byte_flip_refused) {
    object o = compile_wat(PEEK, W2N_BOUNDS_GUARD);
    char msg[512];
    for (size_t i = 0; i < o.size; i++) {
        o.bytes[i] ^= 0x01;
        cr_assert_eq(try_load(&o, NULL, msg, sizeof msg), W2N_ERR_BAD_OBJECT, "flip at %zu loaded",
                     i);
        o.bytes[i] ^= 0x01;
    }
    cr_assert_eq(try_load(&o, NULL, msg, sizeof msg), W2N_OK, "%s", msg);
    free(o.bytes);
}

/* Does byte i lie in the ELF header, a section header or a section's
 * contents?  The rest is padding of the layout for mapping (page-aligned
 * regions, common/image_layout.h), which nothing reads. */
static bool in_some_section(const object *o, size_t i) {
    unsigned n;
    const Elf64_Shdr *sh = elf_sections(o->bytes, o->size - W2N_SEAL_SIZE, &n);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)o->bytes;
    if (i < sizeof *eh || (i >= eh->e_shoff && i < eh->e_shoff + (size_t)n * sizeof *sh))
        return true;
    for (unsigned k = 1; k < n; k++)
        if (sh[k].sh_type != SHT_NOBITS && i >= sh[k].sh_offset &&
            i < sh[k].sh_offset + sh[k].sh_size)
            return true;
    return false;
}

/* The same flips resealed (a forger who rewrites the hash): every one is
 * loaded or refused cleanly; the metadata and headers never crash the
 * loader.  The code bytes are the object's to choose, so none is run. */
Test(object_trust, resealed_byte_flips_fail_cleanly) {
    object o = compile_wat(PEEK, W2N_BOUNDS_GUARD);
    char msg[512];
    size_t refused = 0, content = o.size - W2N_SEAL_SIZE, meaningful = 0;
    for (size_t i = 0; i < content; i++) {
        bool counts = in_some_section(&o, i);
        uint8_t saved = o.bytes[i];
        o.bytes[i] ^= (uint8_t)(0x80 >> (i % 8));
        cr_assert_eq(w2n_seal_update(o.bytes, o.size, NULL), W2N_OK);
        bool no = try_load(&o, NULL, msg, sizeof msg) != W2N_OK;
        refused += no && counts;
        meaningful += counts;
        o.bytes[i] = saved;
    }
    cr_assert_gt(refused, meaningful / 10, "only %zu of %zu refused", refused, meaningful);
    free(o.bytes);
}

/* ---- signatures ----------------------------------------------------------------------- */

Test(object_trust, signed_objects) {
    if (!w2n_sign_available())
        cr_skip_test("built without W2N_SIGNING");
    uint8_t pk[W2N_SIGN_PUBLIC_SIZE], sk[W2N_SIGN_SECRET_SIZE];
    uint8_t pk2[W2N_SIGN_PUBLIC_SIZE], sk2[W2N_SIGN_SECRET_SIZE];
    cr_assert_eq(w2n_sign_keygen(pk, sk, NULL), W2N_OK);
    cr_assert_eq(w2n_sign_keygen(pk2, sk2, NULL), W2N_OK);
    object o = compile_wat(PEEK, W2N_BOUNDS_GUARD);
    char msg[512];
    /* Unsigned, with a key required. */
    cr_assert_eq(try_load(&o, pk, msg, sizeof msg), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(msg, "not signed, and a trusted key is required"), "%s", msg);
    cr_assert_eq(w2n_seal_sign(o.bytes, o.size, sk, NULL), W2N_OK);
    w2n_seal_info info;
    cr_assert_eq(w2n_seal_read(o.bytes, o.size, &info, NULL), W2N_OK);
    cr_assert(info.is_signed);
    cr_assert_eq(memcmp(info.key, pk, sizeof pk), 0);
    cr_assert_eq(try_load(&o, pk, msg, sizeof msg), W2N_OK, "%s", msg);
    cr_assert_eq(try_load(&o, NULL, msg, sizeof msg), W2N_OK, "%s", msg);
    /* Another key. */
    cr_assert_eq(try_load(&o, pk2, msg, sizeof msg), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(msg, "signed by another key"), "%s", msg);
    /* Tampered content, resealed: the hash matches, the signature does not. */
    o.bytes[100] ^= 1;
    cr_assert_eq(w2n_seal_update(o.bytes, o.size, NULL), W2N_OK);
    cr_assert_eq(try_load(&o, pk, msg, sizeof msg), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(msg, "signature does not verify"), "%s", msg);
    o.bytes[100] ^= 1;
    /* Tampered signature, resealed. */
    size_t sig = o.size - W2N_SEAL_SIZE + W2N_SEAL_SIG_AT;
    o.bytes[sig + 5] ^= 0x10;
    cr_assert_eq(w2n_seal_update(o.bytes, o.size, NULL), W2N_OK);
    cr_assert_eq(try_load(&o, pk, msg, sizeof msg), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(msg, "signature does not verify"), "%s", msg);
    o.bytes[sig + 5] ^= 0x10;
    /* Re-signed by the other key, with its public key swapped for ours. */
    cr_assert_eq(w2n_seal_sign(o.bytes, o.size, sk2, NULL), W2N_OK);
    memcpy(o.bytes + o.size - W2N_SEAL_SIZE + W2N_SEAL_KEY_AT, pk, sizeof pk);
    cr_assert_eq(w2n_seal_update(o.bytes, o.size, NULL), W2N_OK);
    cr_assert_eq(try_load(&o, pk, msg, sizeof msg), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(msg, "signature does not verify"), "%s", msg);
    free(o.bytes);
}
