/*
 * twin_kit.h — one module loaded twice (at -O0 and -O2, say), called alike:
 * each call's status, trap, i64 result and the first bytes of memory must
 * agree (test_loop_alias.c, test_loop_hoist.c).
 */
#ifndef W2N_TWIN_KIT_H
#define W2N_TWIN_KIT_H

#include <string.h>

#include "wat_kit.h"

/* An export that fills the first 64 KiB of memory 0 from a seed: the
 * module text's last function, before its closing parenthesis. */
#define TWIN_FILL                                                                            \
    "  (func (export \"fill\") (param $seed i64)\n"                                          \
    "    (local $p i32)\n"                                                                   \
    "    (loop $l\n"                                                                         \
    "      (i64.store (local.get $p) (i64.add (local.get $seed)\n"                           \
    "        (i64.mul (i64.extend_i32_u (local.get $p)) (i64.const 0x9E3779B97F4A7C15))))\n" \
    "      (local.set $p (i32.add (local.get $p) (i32.const 8)))\n"                          \
    "      (br_if $l (i32.lt_u (local.get $p) (i32.const 65536)))))"

static inline uint32_t twin_random(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* n i32 addresses, each one of `places` plus 0, 8, 16 or 24. */
static inline void twin_addresses(uint32_t *state, const uint32_t *places, size_t nplaces,
                                  w2n_value *out, size_t n) {
    for (size_t a = 0; a < n; a++) {
        uint32_t p = places[twin_random(state) % nplaces];
        out[a] = w2n_i32((int32_t)(p + 8 * (twin_random(state) % 4)));
    }
}

static inline void twin_call_one(loaded *l, const char *name, const w2n_value *args, size_t nargs,
                                 w2n_status *s, int64_t *r, w2n_trap *trap) {
    w2n_value out;
    w2n_error err;
    *s = w2n_func_call(l->store, export_func(l, name), args, nargs, &out, 1, trap, &err);
    *r = *s == W2N_OK ? out.of.i64 : 0;
}

/* Call `name` on both; `text` names the call in messages.  Counts traps. */
static inline void twin_call(loaded *ref, loaded *fast, const char *name, const w2n_value *args,
                             size_t nargs, const char *text, size_t memory_bytes, unsigned *traps) {
    w2n_status s_ref, s_fast;
    int64_t r_ref, r_fast;
    w2n_trap t_ref, t_fast;
    twin_call_one(ref, name, args, nargs, &s_ref, &r_ref, &t_ref);
    twin_call_one(fast, name, args, nargs, &s_fast, &r_fast, &t_fast);
    cr_assert_eq(s_fast, s_ref, "%s: status %d at -O2, %d at -O0", text, s_fast, s_ref);
    if (s_ref == W2N_ERR_TRAP) {
        cr_assert_eq(t_fast.code, t_ref.code, "%s: trap", text);
        (*traps)++;
    } else {
        cr_assert_eq(r_fast, r_ref, "%s: %lld at -O2, %lld at -O0", text, (long long)r_fast,
                     (long long)r_ref);
    }
    w2n_memory *ref_mem = w2n_instance_memory(ref->inst),
               *fast_mem = w2n_instance_memory(fast->inst);
    cr_assert(memcmp(w2n_memory_data(fast_mem), w2n_memory_data(ref_mem), memory_bytes) == 0,
              "%s: memory differs", text);
}

#endif
