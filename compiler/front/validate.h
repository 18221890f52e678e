/*
 * validate.h — the validator's state and the helpers its rule files share:
 * validate.c (module-level rules, control, variables, the table's
 * signatures) and validate_gc.c (the GC instructions).  Private to the
 * front end.
 */
#ifndef W2N_VALIDATE_H
#define W2N_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "instr.h"
#include "module.h"

#define T_UNKNOWN 0 /* the operand stack's bottom: matches every type */

typedef struct frame {
    uint32_t op;                /* BLOCK, LOOP, IF, ELSE, TRY_TABLE, TRY, CATCH, CATCH_ALL,
                                     or 0 for the function */
    const w2n_valtype *params;  /* NULL with nparams 0 */
    const w2n_valtype *results; /* NULL: the single result is in `single` */
    uint32_t nparams, nresults;
    w2n_valtype single;
    uint32_t height;
    uint32_t init_height; /* of the validator's `inits` log at entry */
    bool unreachable;
} frame;

typedef struct validator {
    const w2n_module *m;
    w2n_error *err;
    bool *refs; /* C.refs: functions that ref.func may name */
    w2n_valtype *vals;
    uint32_t nvals;
    size_t cap_vals;
    frame *ctrls;
    uint32_t nctrls;
    size_t cap_ctrls;
    w2n_valtype *locals; /* params then declared locals */
    bool *local_set;     /* per local: holds a value (non-defaultable ones start unset) */
    uint32_t nlocals, cap_locals;
    uint32_t *inits; /* locals set since their frame began, innermost last */
    uint32_t ninits;
    size_t cap_inits;
    const w2n_functype *type; /* of the function being checked */
    int64_t func;
    size_t at;               /* offset of the current instruction */
    const char *instruction; /* its name, for messages; NULL outside bodies */
} validator;

bool w2n_validate_fail(validator *v, w2n_status code, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define INVALID(v, ...) w2n_validate_fail((v), W2N_ERR_INVALID, (v)->at, __VA_ARGS__)

/* Whether a value of type a may stand where b is expected. */
bool w2n_validate_matches(const validator *v, w2n_valtype a, w2n_valtype b);

/* The operand stack: push, pop one of a type, pop any reference (the
 * stack's bottom becomes (ref bot)), pop or push a sequence. */
bool w2n_validate_push(validator *v, w2n_valtype t);
bool w2n_validate_pop_expect(validator *v, w2n_valtype expect);
bool w2n_validate_pop_ref(validator *v, w2n_valtype *out);
bool w2n_validate_pop_vals(validator *v, const w2n_valtype *ts, uint32_t n);
bool w2n_validate_push_vals(validator *v, const w2n_valtype *ts, uint32_t n);

/* Index checks, each failing with the spec's "unknown ..." message. */
bool w2n_validate_type_index(validator *v, uint32_t t);
bool w2n_validate_valtype(validator *v, w2n_valtype t);
bool w2n_validate_data_index(validator *v, uint32_t d);
bool w2n_validate_elem_index(validator *v, uint32_t e);
bool w2n_validate_label(validator *v, uint32_t l);

/* The frame label l names, and the types a branch to it carries. */
const frame *w2n_validate_label_frame(validator *v, uint32_t l);
const w2n_valtype *w2n_validate_label_types(const frame *f, uint32_t *n);

/* The GC instructions (0xFB prefix and ref.eq), validate_gc.c. */
bool w2n_validate_gc_op(validator *v, const w2n_instr *in);

#endif
