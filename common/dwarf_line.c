/*
 * dwarf_line.c — decode DWARF 2–5 line-number programs (dwarf_line.h).
 *
 * The state machine of DWARF 5 §6.2, one instruction stream per program
 * (VLIW op_index is not modelled: no target of w2n or Wasm has it).  Files
 * of all programs go into one list; each row names its file by its index
 * there.  A cursor that fails stays failed, so the loops check it once.
 */
#include "dwarf_line.h"

#include "byte_cursor.h"
#include "grow.h"

#include <stdlib.h>
#include <string.h>

enum {
    DW_LNS_copy = 1,
    DW_LNS_advance_pc = 2,
    DW_LNS_advance_line = 3,
    DW_LNS_set_file = 4,
    DW_LNS_set_column = 5,
    DW_LNS_const_add_pc = 8,
    DW_LNS_fixed_advance_pc = 9,
    DW_LNE_end_sequence = 1,
    DW_LNE_set_address = 2,
    DW_LNCT_path = 1,
    DW_LNCT_directory_index = 2,
    DW_FORM_block = 0x09,
    DW_FORM_data1 = 0x0b,
    DW_FORM_data2 = 0x05,
    DW_FORM_data4 = 0x06,
    DW_FORM_data8 = 0x07,
    DW_FORM_data16 = 0x1e,
    DW_FORM_string = 0x08,
    DW_FORM_strp = 0x0e,
    DW_FORM_udata = 0x0f,
    DW_FORM_line_strp = 0x1f
};

static const char *string_at(const uint8_t *base, size_t size, uint64_t offset) {
    if (!base || offset >= size || !memchr(base + offset, 0, size - offset))
        return NULL;
    return (const char *)base + offset;
}

/* ---- the table being built ------------------------------------------------- */

typedef struct builder {
    w2n_line_table *t;
    size_t rows_cap, files_cap;
} builder;

static bool add_row(builder *b, const w2n_line_row *row) {
    if (b->t->nrows == b->rows_cap) {
        w2n_line_row *rows = w2n_grow(b->t->rows, &b->rows_cap, b->t->nrows + 1, sizeof *rows, 256);
        if (!rows)
            return false;
        b->t->rows = rows;
    }
    b->t->rows[b->t->nrows] = *row;
    b->t->rows[b->t->nrows].order = (uint32_t)b->t->nrows;
    b->t->nrows++;
    return true;
}

/* Appends "dir/name" (name alone when absolute or without a directory). */
static bool add_file(builder *b, const char *dir, const char *name) {
    if (b->t->nfiles == b->files_cap) {
        char **files = w2n_grow(b->t->files, &b->files_cap, b->t->nfiles + 1, sizeof *files, 16);
        if (!files)
            return false;
        b->t->files = files;
    }
    bool join = dir && *dir && name[0] != '/';
    size_t len = (join ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *path = malloc(len);
    if (!path)
        return false;
    if (join) {
        strcpy(path, dir);
        strcat(path, "/");
        strcat(path, name);
    } else {
        strcpy(path, name);
    }
    b->t->files[b->t->nfiles++] = path;
    return true;
}

/* ---- the header's directory and file tables ---------------------------------- */

typedef struct program {
    unsigned version, offset_size, min_inst, line_range, opcode_base;
    int line_base;
    bool default_stmt;
    const uint8_t *opcode_lengths;
    const char **dirs;
    size_t ndirs;
    uint32_t first_file; /* of this program's files in the table */
    uint32_t nfiles;
} program;

/* One attribute of a DWARF 5 entry; a string when the form is one. */
static bool read_form(w2n_byte_cursor *c, const program *p, const w2n_dwarf_strings *s,
                      uint64_t form, const char **out_str, uint64_t *out_num) {
    *out_str = NULL;
    *out_num = 0;
    switch (form) {
    case DW_FORM_string: *out_str = w2n_cursor_cstring(c); break;
    case DW_FORM_line_strp:
        *out_str = string_at(s ? s->line_str : NULL, s ? s->line_str_size : 0,
                             w2n_cursor_fixed(c, p->offset_size));
        break;
    case DW_FORM_strp:
        *out_str =
            string_at(s ? s->str : NULL, s ? s->str_size : 0, w2n_cursor_fixed(c, p->offset_size));
        break;
    case DW_FORM_udata: *out_num = w2n_cursor_uleb(c); break;
    case DW_FORM_data1: *out_num = w2n_cursor_fixed(c, 1); break;
    case DW_FORM_data2: *out_num = w2n_cursor_fixed(c, 2); break;
    case DW_FORM_data4: *out_num = w2n_cursor_fixed(c, 4); break;
    case DW_FORM_data8: *out_num = w2n_cursor_fixed(c, 8); break;
    case DW_FORM_data16:
        if (w2n_cursor_has(c, 16))
            c->p += 16;
        break;
    case DW_FORM_block: {
        uint64_t n = w2n_cursor_uleb(c);
        if (w2n_cursor_has(c, n))
            c->p += n;
        break;
    }
    default: return false;
    }
    return !c->failed;
}

/* DWARF 5: a format (content type, form pairs), then the entries.  Each
 * entry's path and directory index are returned through the callback's
 * slots; dirs_only fills p->dirs, otherwise files are added. */
static bool read_entries_v5(w2n_byte_cursor *c, program *p, const w2n_dwarf_strings *s, builder *b,
                            bool dirs_only) {
    unsigned nformat = (unsigned)w2n_cursor_fixed(c, 1);
    uint64_t format[2 * 16];
    if (nformat > 16)
        return false;
    for (unsigned i = 0; i < 2 * nformat; i++)
        format[i] = w2n_cursor_uleb(c);
    uint64_t count = w2n_cursor_uleb(c);
    if (c->failed || count > (uint64_t)(c->end - c->p))
        return false;
    if (dirs_only) {
        p->dirs = calloc(count ? count : 1, sizeof *p->dirs);
        if (!p->dirs)
            return false;
    }
    for (uint64_t e = 0; e < count; e++) {
        const char *path = "", *str;
        uint64_t dir = 0, num;
        for (unsigned i = 0; i < nformat; i++) {
            if (!read_form(c, p, s, format[2 * i + 1], &str, &num))
                return false;
            if (format[2 * i] == DW_LNCT_path && str)
                path = str;
            else if (format[2 * i] == DW_LNCT_directory_index)
                dir = num;
        }
        if (dirs_only)
            p->dirs[p->ndirs++] = path;
        else if (!add_file(b, dir < p->ndirs ? p->dirs[dir] : NULL, path))
            return false;
        else
            p->nfiles++;
    }
    return true;
}

/* DWARF 2–4: NUL-terminated lists of strings; directory 0 is the unit's own. */
static bool read_entries_v4(w2n_byte_cursor *c, program *p, builder *b) {
    size_t cap = 8;
    p->dirs = calloc(cap, sizeof *p->dirs);
    if (!p->dirs)
        return false;
    p->dirs[p->ndirs++] = NULL;
    while (w2n_cursor_has(c, 1) && *c->p) {
        if (p->ndirs == cap) {
            const char **dirs = w2n_grow(p->dirs, &cap, p->ndirs + 1, sizeof *dirs, 8);
            if (!dirs)
                return false;
            p->dirs = dirs;
        }
        p->dirs[p->ndirs++] = w2n_cursor_cstring(c);
    }
    w2n_cursor_fixed(c, 1);
    while (w2n_cursor_has(c, 1) && *c->p) {
        const char *name = w2n_cursor_cstring(c);
        uint64_t dir = w2n_cursor_uleb(c);
        w2n_cursor_uleb(c); /* modification time */
        w2n_cursor_uleb(c); /* length */
        if (c->failed || !add_file(b, dir < p->ndirs ? p->dirs[dir] : NULL, name))
            return false;
        p->nfiles++;
    }
    w2n_cursor_fixed(c, 1);
    return !c->failed;
}

/* ---- the program ---------------------------------------------------------------- */

typedef struct state {
    w2n_line_row row;
    uint32_t file;         /* as the program numbers it */
    size_t sequence_start; /* index of the sequence's first row */
} state;

static void reset(state *st, const program *p) {
    size_t start = st->sequence_start;
    memset(st, 0, sizeof *st);
    st->sequence_start = start;
    st->file = p->version >= 5 ? 0 : 1;
    st->row.line = 1;
}

static bool emit(builder *b, const program *p, state *st) {
    uint32_t index = p->version >= 5 ? st->file : st->file - 1;
    st->row.file = index < p->nfiles ? p->first_file + index : UINT32_MAX;
    return add_row(b, &st->row);
}

static bool run_extended(w2n_byte_cursor *c, const program *p, state *st, builder *b) {
    uint64_t len = w2n_cursor_uleb(c);
    if (c->failed || len == 0 || !w2n_cursor_has(c, len))
        return false;
    const uint8_t *next = c->p + len;
    uint8_t op = (uint8_t)w2n_cursor_fixed(c, 1);
    if (op == DW_LNE_end_sequence) {
        st->row.end = true;
        if (!emit(b, p, st))
            return false;
        for (size_t i = st->sequence_start; i < b->t->nrows; i++)
            b->t->rows[i].sequence_end = st->row.address;
        st->sequence_start = b->t->nrows;
        reset(st, p);
    } else if (op == DW_LNE_set_address) {
        if (len - 1 > 8)
            return false;
        st->row.address = w2n_cursor_fixed(c, (unsigned)(len - 1));
    }
    c->p = next; /* others (define_file, discriminators, vendors) are skipped */
    return true;
}

static bool run_program(w2n_byte_cursor *c, const program *p, builder *b) {
    state st = {.sequence_start = b->t->nrows};
    reset(&st, p);
    while (!c->failed && c->p < c->end) {
        uint8_t op = (uint8_t)w2n_cursor_fixed(c, 1);
        if (op >= p->opcode_base) {
            unsigned adj = op - p->opcode_base;
            st.row.address += (uint64_t)(adj / p->line_range) * p->min_inst;
            st.row.line += (uint32_t)(p->line_base + (int)(adj % p->line_range));
            if (!emit(b, p, &st))
                return false;
            continue;
        }
        switch (op) {
        case 0:
            if (!run_extended(c, p, &st, b))
                return false;
            break;
        case DW_LNS_copy:
            if (!emit(b, p, &st))
                return false;
            break;
        case DW_LNS_advance_pc: st.row.address += w2n_cursor_uleb(c) * p->min_inst; break;
        case DW_LNS_advance_line: st.row.line += (uint32_t)w2n_cursor_sleb(c); break;
        case DW_LNS_set_file: st.file = (uint32_t)w2n_cursor_uleb(c); break;
        case DW_LNS_set_column: st.row.column = (uint32_t)w2n_cursor_uleb(c); break;
        case DW_LNS_const_add_pc:
            st.row.address += (uint64_t)((255u - p->opcode_base) / p->line_range) * p->min_inst;
            break;
        case DW_LNS_fixed_advance_pc: st.row.address += w2n_cursor_fixed(c, 2); break;
        default: /* skip the operands the header says it has */
            for (unsigned i = 0; i < p->opcode_lengths[op - 1]; i++)
                w2n_cursor_uleb(c);
        }
    }
    return !c->failed;
}

/* The header up to the tables; false if malformed or of an unknown version. */
static bool read_header(w2n_byte_cursor *c, program *p) {
    p->version = (unsigned)w2n_cursor_fixed(c, 2);
    if (p->version < 2 || p->version > 5)
        return false;
    if (p->version >= 5)
        w2n_cursor_fixed(c, 2); /* address size, segment selector size */
    uint64_t header_length = w2n_cursor_fixed(c, p->offset_size);
    if (c->failed || header_length > (uint64_t)(c->end - c->p))
        return false;
    p->min_inst = (unsigned)w2n_cursor_fixed(c, 1);
    if (p->version >= 4)
        w2n_cursor_fixed(c, 1); /* maximum operations per instruction */
    p->default_stmt = w2n_cursor_fixed(c, 1) != 0;
    uint64_t line_base = w2n_cursor_fixed(c, 1); /* a signed byte */
    p->line_base = line_base >= 0x80 ? (int)line_base - 0x100 : (int)line_base;
    p->line_range = (unsigned)w2n_cursor_fixed(c, 1);
    p->opcode_base = (unsigned)w2n_cursor_fixed(c, 1);
    if (c->failed || p->line_range == 0 || p->opcode_base == 0 ||
        !w2n_cursor_has(c, p->opcode_base - 1))
        return false;
    p->opcode_lengths = c->p;
    c->p += p->opcode_base - 1;
    return true;
}

w2n_status w2n_line_table_decode(const uint8_t *section, size_t size,
                                 const w2n_dwarf_strings *strings, w2n_line_table *table,
                                 w2n_error *err) {
    builder b = {table, table->nrows, table->nfiles};
    w2n_byte_cursor all = w2n_byte_cursor_of(section, size);
    while (all.p < all.end) {
        uint64_t offset = (uint64_t)(all.p - section);
        program p = {.offset_size = 4, .first_file = table->nfiles};
        uint64_t length = w2n_cursor_fixed(&all, 4);
        if (length == 0xffffffffu) {
            length = w2n_cursor_fixed(&all, 8);
            p.offset_size = 8;
        }
        if (all.failed || length > (uint64_t)(all.end - all.p))
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, offset,
                                 ".debug_line: unit length past the section's end");
        w2n_byte_cursor c = w2n_byte_cursor_of(all.p, length);
        all.p += length;
        bool ok = read_header(&c, &p) &&
                  (p.version >= 5 ? read_entries_v5(&c, &p, strings, &b, true) &&
                                        read_entries_v5(&c, &p, strings, &b, false)
                                  : read_entries_v4(&c, &p, &b)) &&
                  run_program(&c, &p, &b);
        free(p.dirs);
        if (!ok)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, offset,
                                 ".debug_line: malformed line program (DWARF %u)", p.version);
    }
    return W2N_OK;
}

static int compare_rows(const void *a, const void *b) {
    const w2n_line_row *x = a, *y = b;
    if (x->address != y->address)
        return x->address < y->address ? -1 : 1;
    if (x->end != y->end)
        return x->end ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void w2n_line_table_sort(w2n_line_table *table) {
    if (table->nrows > 1)
        qsort(table->rows, table->nrows, sizeof *table->rows, compare_rows);
}

const w2n_line_row *w2n_line_table_find(const w2n_line_table *table, uint64_t address) {
    size_t lo = 0, hi = table->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table->rows[mid].address <= address)
            lo = mid + 1;
        else
            hi = mid;
    }
    enum {
        MAX_LOOKBACK = 64
    };
    for (size_t i = lo, steps = 0; i > 0 && steps < MAX_LOOKBACK; i--, steps++) {
        const w2n_line_row *row = &table->rows[i - 1];
        if (!row->end && address < row->sequence_end)
            return row;
    }
    return NULL;
}

void w2n_line_table_free(w2n_line_table *table) {
    for (uint32_t i = 0; i < table->nfiles; i++)
        free(table->files[i]);
    free(table->files);
    free(table->rows);
    memset(table, 0, sizeof *table);
}
