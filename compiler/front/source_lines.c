/*
 * source_lines.c — read the module's DWARF line table (source_lines.h).
 *
 * The decoder keeps no custom section but the name section, so the
 * sections are walked here again over the module's bytes, which decoding
 * already checked: each a one-byte id and a LEB128 size, custom ones
 * starting with their name.  The line program itself is common/dwarf_line.c.
 */
#include "source_lines.h"

#include <string.h>

#include "reader.h"

enum {
    SECTION_CUSTOM = 0,
    SECTION_CODE = 10
};

typedef struct debug_sections {
    const uint8_t *line, *line_str, *str;
    size_t line_size, line_str_size, str_size;
} debug_sections;

static void keep_custom(debug_sections *d, const char *name, size_t name_len, const uint8_t *data,
                        size_t size) {
    if (name_len == 11 && !memcmp(name, ".debug_line", 11)) {
        d->line = data;
        d->line_size = size;
    } else if (name_len == 15 && !memcmp(name, ".debug_line_str", 15)) {
        d->line_str = data;
        d->line_str_size = size;
    } else if (name_len == 10 && !memcmp(name, ".debug_str", 10)) {
        d->str = data;
        d->str_size = size;
    }
}

/* Walk the sections; false if they do not parse (then no debug info). */
static bool find_sections(const w2n_module *m, debug_sections *d, size_t *code_start) {
    w2n_error ignored;
    w2n_reader r;
    const uint8_t *skipped;
    w2n_reader_init(&r, m->bytes, m->size, &ignored);
    if (!w2n_read_bytes(&r, 8, &skipped))
        return false;
    while (!w2n_reader_done(&r)) {
        uint8_t id;
        uint32_t size;
        w2n_reader section;
        if (!w2n_read_u8(&r, &id) || !w2n_read_u32(&r, &size) ||
            !w2n_reader_sub(&r, size, &section))
            return false;
        if (id == SECTION_CODE)
            *code_start = w2n_reader_offset(&section);
        const char *name;
        uint32_t name_len;
        if (id == SECTION_CUSTOM && w2n_read_name(&section, &name, &name_len))
            keep_custom(d, name, name_len, section.pos, w2n_reader_left(&section));
    }
    return true;
}

w2n_status w2n_source_lines_read(const w2n_module *m, w2n_source_lines *out, w2n_error *err) {
    memset(out, 0, sizeof *out);
    debug_sections d = {0};
    if (!find_sections(m, &d, &out->code_start) || !d.line)
        return W2N_OK;
    w2n_dwarf_strings strings = {d.line_str, d.line_str_size, d.str, d.str_size};
    w2n_status s = w2n_line_table_decode(d.line, d.line_size, &strings, &out->table, err);
    if (s != W2N_OK) {
        w2n_line_table_free(&out->table);
        if (s != W2N_ERR_BAD_OBJECT)
            return s;
        return w2n_error_set(err, W2N_ERR_MALFORMED, W2N_NO_OFFSET,
                             "the module's .debug_line is malformed (compile without -g)");
    }
    w2n_line_table_sort(&out->table);
    out->present = true;
    return W2N_OK;
}

const w2n_line_row *w2n_source_lines_at(const w2n_source_lines *s, size_t module_offset) {
    if (!s->present || module_offset < s->code_start)
        return NULL;
    return w2n_line_table_find(&s->table, module_offset - s->code_start);
}

void w2n_source_lines_free(w2n_source_lines *s) {
    w2n_line_table_free(&s->table);
    memset(s, 0, sizeof *s);
}
