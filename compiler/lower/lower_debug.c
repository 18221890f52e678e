/*
 * lower_debug.c — `w2n compile -g`: native DWARF for the lowered code.
 *
 * Each Wasm function becomes a DISubprogram (its name from the name
 * section, else func[N]) and each lowered instruction gets the location
 * the module's own line table gives its code offset (source_lines.c), so
 * LLVM's DWARF maps native addresses to the C source.  A module without a
 * line table gets the Wasm code offsets instead: file `<module>.wasm`,
 * line = the instruction's byte offset in the module (docs/debugging.md),
 * which the runtime prints as an offset.  Lines and functions (full
 * emission: line-tables-only drops subprograms without inlined code, and
 * debuggers need them for names and frames); no variables or
 * types.  The object's DWARF is version 4 (the runtime reads its line
 * table; DWARF 4 file names need no string relocations).  Nothing here
 * runs without -g, so such objects do not change.
 */
#include "lower.h"
#include "source_lines.h"
#include "w2n/version.h"

#include <llvm-c/DebugInfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct w2n_lower_debug {
    LLVMDIBuilderRef di;
    LLVMMetadataRef cu, wasm_file, fn_type;
    LLVMMetadataRef *files; /* per file of the line table, made on first use */
    w2n_source_lines lines;
};

static LLVMMetadataRef make_file(LLVMDIBuilderRef di, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        return LLVMDIBuilderCreateFile(di, path, strlen(path), "", 0);
    return LLVMDIBuilderCreateFile(di, slash + 1, strlen(slash + 1), path, (size_t)(slash - path));
}

static LLVMMetadataRef source_file(w2n_lower_debug *d, uint32_t index) {
    if (index >= d->lines.table.nfiles)
        return d->wasm_file;
    if (!d->files[index])
        d->files[index] = make_file(d->di, d->lines.table.files[index]);
    return d->files[index];
}

w2n_status w2n_lower_debug_begin(w2n_lower_module *lm, w2n_error *err) {
    w2n_lower_debug *d = w2n_xcalloc(1, sizeof *d);
    w2n_status s = w2n_source_lines_read(lm->m, &d->lines, err);
    if (s != W2N_OK) {
        free(d);
        return s;
    }
    d->files = w2n_xcalloc(d->lines.table.nfiles + 1, sizeof *d->files);
    d->di = LLVMCreateDIBuilder(lm->mod);
    char wasm_name[256];
    snprintf(wasm_name, sizeof wasm_name, "%s.wasm",
             lm->m->module_name && *lm->m->module_name ? lm->m->module_name : "module");
    d->wasm_file = LLVMDIBuilderCreateFile(d->di, wasm_name, strlen(wasm_name), "", 0);
    LLVMMetadataRef cu_file = d->lines.table.nfiles ? source_file(d, 0) : d->wasm_file;
    static const char producer[] = "w2n " W2N_VERSION;
    d->cu =
        LLVMDIBuilderCreateCompileUnit(d->di, LLVMDWARFSourceLanguageC11, cu_file, producer,
                                       sizeof producer - 1, lm->opts && lm->opts->opt_level > 0, "",
                                       0, 0, "", 0, LLVMDWARFEmissionFull, 0, 0, 0, "", 0, "", 0);
    d->fn_type = LLVMDIBuilderCreateSubroutineType(d->di, d->wasm_file, NULL, 0, LLVMDIFlagZero);
    LLVMMetadataRef version = LLVMValueAsMetadata(LLVMConstInt(lm->t_i32, 4, 0));
    LLVMAddModuleFlag(lm->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13, version);
    LLVMMetadataRef di_version =
        LLVMValueAsMetadata(LLVMConstInt(lm->t_i32, LLVMDebugMetadataVersion(), 0));
    LLVMAddModuleFlag(lm->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18, di_version);
    lm->debug = d;
    return W2N_OK;
}

/* File and line of the instruction at a module offset. */
static void locate(w2n_lower_debug *d, size_t offset, LLVMMetadataRef *file, unsigned *line,
                   unsigned *column) {
    const w2n_line_row *row = w2n_source_lines_at(&d->lines, offset);
    if (d->lines.present) {
        *file = row ? source_file(d, row->file) : d->wasm_file;
        *line = row ? row->line : 0;
        *column = row ? row->column : 0;
    } else {
        *file = d->wasm_file;
        *line = (unsigned)offset;
        *column = 0;
    }
}

void w2n_lower_debug_function(w2n_lower_func *f, size_t body_start) {
    w2n_lower_debug *d = f->lm->debug;
    if (!d)
        return;
    const w2n_module *m = f->lm->m;
    char fallback[32];
    const char *name = m->func_names ? m->func_names[f->func_index] : NULL;
    if (!name || !*name) {
        snprintf(fallback, sizeof fallback, "func[%u]", f->func_index);
        name = fallback;
    }
    LLVMMetadataRef file;
    unsigned line, column;
    locate(d, body_start, &file, &line, &column);
    /* No linkage name: debuggers would show it ("w2n:compute") instead. */
    f->di_scope =
        LLVMDIBuilderCreateFunction(d->di, file, name, strlen(name), "", 0, file, line, d->fn_type,
                                    1, 1, line, LLVMDIFlagZero, f->lm->opts->opt_level > 0);
    f->di_file = file;
    f->di_block = f->di_scope;
    LLVMSetSubprogram(f->fn, f->di_scope);
    LLVMSetCurrentDebugLocation2(
        f->b, LLVMDIBuilderCreateDebugLocation(f->lm->ctx, line, column, f->di_scope, NULL));
}

void w2n_lower_debug_instr(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_debug *d = f->lm->debug;
    if (!d)
        return;
    LLVMMetadataRef file;
    unsigned line, column;
    locate(d, in->offset, &file, &line, &column);
    /* A line of another file (an inlined header function, say) needs a
     * scope in that file. */
    if (file != f->di_file) {
        f->di_file = file;
        f->di_block = LLVMDIBuilderCreateLexicalBlockFile(d->di, f->di_scope, file, 0);
    }
    LLVMSetCurrentDebugLocation2(
        f->b, LLVMDIBuilderCreateDebugLocation(f->lm->ctx, line, column, f->di_block, NULL));
}

void w2n_lower_debug_end(w2n_lower_module *lm) {
    w2n_lower_debug *d = lm->debug;
    if (!d)
        return;
    LLVMDIBuilderFinalize(d->di);
    LLVMDisposeDIBuilder(d->di);
    w2n_source_lines_free(&d->lines);
    free(d->files);
    free(d);
    lm->debug = NULL;
}
