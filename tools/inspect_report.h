/*
 * inspect_report.h — what `w2n inspect` finds in an object, gathered once
 * and then printed as text (cmd_inspect.c) or JSON (inspect_json.c).
 */
#ifndef W2N_INSPECT_REPORT_H
#define W2N_INSPECT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "memory_image.h"
#include "meta.h"
#include "seal.h"

typedef struct w2n_inspect_function {
    char *name;
    uint64_t size;        /* bytes of native code (the symbol's size) */
    bool global;          /* a global symbol (the loader's arrays), else local */
    uint32_t relocations; /* relocations applied inside its code */
} w2n_inspect_function;

typedef struct w2n_inspect_report {
    const char *path;
    unsigned machine; /* ELF e_machine */
    unsigned elf_flags;

    bool sealed; /* false: no seal (seal_message says why) */
    bool seal_matches;
    char seal_message[256]; /* why the seal is absent or does not match */
    w2n_seal_info seal;

    bool has_meta; /* a .w2n.module section is present (and decoded) */
    size_t meta_size;
    w2n_meta meta;

    uint64_t code_bytes, rodata_bytes, data_bytes;
    /* Laid out for mapping (common/image_layout.h): relocations of loaded
     * sections, and how many of them are left to the loader. */
    bool mappable;
    uint64_t relocations, load_relocations, load_relocations_in_code;
    /* The initial memory as pages of the object (common/memory_image.h). */
    bool has_memory_image;
    w2n_memory_image memory_image;
    size_t nfunctions; /* sorted by name */
    w2n_inspect_function *functions;
} w2n_inspect_report;

/* Read `path`: 0 and *r filled, or 1 after one line on stderr
 * ("w2n inspect: PATH: ..."); free with w2n_inspect_report_free either way. */
int w2n_inspect_read(const char *path, w2n_inspect_report *r);
void w2n_inspect_report_free(w2n_inspect_report *r);

/* The type of function `func` (imports first, as Wasm numbers them) in the
 * metadata, which the loader's checks keep in range. */
const w2n_functype *w2n_inspect_func_type(const w2n_meta *m, uint32_t func);

/* The ELF machine as a target name: "x86_64", "aarch64", "riscv64", "unknown". */
const char *w2n_inspect_machine_name(unsigned machine);

/* The whole report as one JSON object (docs/inspect.schema.json). */
void w2n_inspect_print_json(const w2n_inspect_report *r, FILE *out);

#endif
