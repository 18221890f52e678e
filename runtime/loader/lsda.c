/*
 * lsda.c — read the call-site table of a function's LSDA (.gcc_except_table).
 *
 * The personality routine (unwind.c) needs one answer per frame: does the
 * call the frame is in have a landing pad, and where?  Every landing pad
 * w2n emits is a handler (the code behind it matches tags itself), so the
 * action and type tables are skipped.  The format (the Itanium C++ ABI's
 * LSDA, as LLVM and GCC write it): an lpstart encoding and value, a type
 * table encoding (and offset), the call-site encoding, the table's length,
 * then entries {start, length, landing pad, action} relative to lpstart.
 * Every read is bounded by `end`: a corrupt table finds no pad.
 */
#include <string.h>

#include "byte_cursor.h"
#include "unwind_tables.h"

/* DWARF pointer encodings (the low nibble: format; bit 0x80: indirect). */
enum {
    PE_ABSPTR = 0x00,
    PE_ULEB128 = 0x01,
    PE_UDATA2 = 0x02,
    PE_UDATA4 = 0x03,
    PE_UDATA8 = 0x04,
    PE_SLEB128 = 0x09,
    PE_SDATA2 = 0x0A,
    PE_SDATA4 = 0x0B,
    PE_SDATA8 = 0x0C,
    PE_PCREL = 0x10,
    PE_OMIT = 0xFF
};

/* A value of encoding `enc` (absolute or pc-relative; no indirection: the
 * call-site table never uses it). */
static uintptr_t read_encoded(w2n_byte_cursor *c, uint8_t enc) {
    const uint8_t *at = c->p;
    uint64_t v;
    switch (enc & 0x0F) {
    case PE_ABSPTR: v = w2n_cursor_fixed(c, sizeof(uintptr_t)); break;
    case PE_ULEB128: v = w2n_cursor_uleb(c); break;
    case PE_UDATA2: v = w2n_cursor_fixed(c, 2); break;
    case PE_UDATA4: v = w2n_cursor_fixed(c, 4); break;
    case PE_UDATA8: v = w2n_cursor_fixed(c, 8); break;
    case PE_SLEB128: v = (uint64_t)w2n_cursor_sleb(c); break;
    case PE_SDATA2: v = (uint64_t)(int64_t)(int16_t)w2n_cursor_fixed(c, 2); break;
    case PE_SDATA4: v = (uint64_t)(int64_t)(int32_t)w2n_cursor_fixed(c, 4); break;
    case PE_SDATA8: v = w2n_cursor_fixed(c, 8); break;
    default: c->failed = true; return 0;
    }
    if ((enc & 0x70) == PE_PCREL)
        v += (uintptr_t)at;
    else if (enc & 0x70)
        c->failed = true; /* textrel, datarel, funcrel: not in LLVM's call-site tables */
    return (uintptr_t)v;
}

bool w2n_lsda_landing_pad(const uint8_t *lsda, size_t size, uintptr_t func_start, uintptr_t ip,
                          uintptr_t *out_pad) {
    if (!lsda)
        return false;
    w2n_byte_cursor c = w2n_byte_cursor_of(lsda, size);
    uintptr_t lpstart = func_start;
    uint8_t enc = (uint8_t)w2n_cursor_fixed(&c, 1);
    if (enc != PE_OMIT)
        lpstart = read_encoded(&c, enc);
    enc = (uint8_t)w2n_cursor_fixed(&c, 1);
    if (enc != PE_OMIT)
        w2n_cursor_uleb(&c); /* the type table's offset: not needed */
    uint8_t cs_enc = (uint8_t)w2n_cursor_fixed(&c, 1);
    uint64_t cs_len = w2n_cursor_uleb(&c);
    if (c.failed || cs_len > (uint64_t)(c.end - c.p))
        return false;
    w2n_byte_cursor t = w2n_byte_cursor_of(c.p, cs_len);
    while (t.p < t.end && !t.failed) {
        uintptr_t start = read_encoded(&t, cs_enc);
        uintptr_t len = read_encoded(&t, cs_enc);
        uintptr_t pad = read_encoded(&t, cs_enc);
        w2n_cursor_uleb(&t); /* action */
        if (t.failed)
            return false;
        /* Entries are sorted: past the ip, nothing covers it. */
        if (ip < func_start + start)
            return false;
        if (ip < func_start + start + len) {
            if (!pad)
                return false;
            *out_pad = lpstart + pad;
            return true;
        }
    }
    return false;
}
