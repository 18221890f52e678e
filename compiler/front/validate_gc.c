/*
 * validate_gc.c — the typing rules of the GC instructions (Wasm 3.0): the
 * 0xFB prefix (structs, arrays, i31, casts, extern/any conversions) and
 * ref.eq.  Each rule checks its immediates (the type's kind, the field,
 * mutability, segments), then pops and pushes as the spec's rule says.
 * References to a struct or array are popped as (ref null $t), so a null
 * passes validation and traps at run time.  w2n does not compile these
 * yet: the lowering refuses them by feature.
 */
#include "validate.h"

/* The value type a storage type holds on the stack: i32 for i8 and i16. */
static w2n_valtype unpacked(w2n_valtype storage) {
    return storage == W2N_PACKED_I8 || storage == W2N_PACKED_I16 ? W2N_I32 : storage;
}

static bool is_packed(w2n_valtype storage) {
    return storage == W2N_PACKED_I8 || storage == W2N_PACKED_I16;
}

/* Numbers, vectors, packed types and nullable references have a default. */
static bool defaultable(w2n_valtype t) {
    return !w2n_valtype_is_ref(t) || w2n_valtype_is_nullable(t);
}

static w2n_valtype ref_to(uint32_t type, bool nullable) {
    return w2n_valtype_ref(w2n_heaptype_concrete(type), nullable);
}

/* Type index t, which must name a type of this kind. */
static const w2n_typedef *typedef_of(validator *v, uint32_t t, uint8_t kind) {
    if (!w2n_validate_type_index(v, t))
        return NULL;
    const w2n_typedef *d = &v->m->typedefs[t];
    if (d->kind != kind) {
        INVALID(v, "type mismatch");
        return NULL;
    }
    return d;
}

/* A heap type immediate (a type index or the s33 of an abstract type)
 * as a w2n_heaptype; false when the index is unknown. */
static bool heap_type_imm(validator *v, int64_t imm, w2n_heaptype *out) {
    if (imm < 0) {
        *out = (w2n_heaptype)(imm & 0x7F);
        return true;
    }
    if (imm >= v->m->ntypes)
        return INVALID(v, "unknown type %llu", (unsigned long long)imm);
    *out = w2n_heaptype_concrete((uint32_t)imm);
    return true;
}

/* The struct's field `field`, checked. */
static const w2n_fieldtype *struct_field(validator *v, uint32_t type, uint32_t field) {
    const w2n_typedef *d = typedef_of(v, type, W2N_TYPE_STRUCT);
    if (!d)
        return NULL;
    if (field >= d->nfields) {
        INVALID(v, "unknown field %u", field);
        return NULL;
    }
    return &d->fields[field];
}

/* get reads a field of a value type; get_s and get_u a packed one. */
static bool check_get_kind(validator *v, const w2n_fieldtype *f, bool sign_ext) {
    if (is_packed(f->storage) != sign_ext)
        return INVALID(v, "type mismatch");
    return true;
}

static bool struct_op(validator *v, const w2n_instr *in) {
    const w2n_typedef *d;
    const w2n_fieldtype *f;
    uint32_t x = in->op <= W2N_OP_STRUCT_NEW_DEFAULT ? in->imm.index : in->imm.pair.a;
    switch (in->op) {
    case W2N_OP_STRUCT_NEW:
        if (!(d = typedef_of(v, x, W2N_TYPE_STRUCT)))
            return false;
        for (uint32_t i = d->nfields; i-- > 0;)
            if (!w2n_validate_pop_expect(v, unpacked(d->fields[i].storage)))
                return false;
        return w2n_validate_push(v, ref_to(x, false));
    case W2N_OP_STRUCT_NEW_DEFAULT:
        if (!(d = typedef_of(v, x, W2N_TYPE_STRUCT)))
            return false;
        for (uint32_t i = 0; i < d->nfields; i++)
            if (!defaultable(d->fields[i].storage))
                return INVALID(v, "field type is not defaultable");
        return w2n_validate_push(v, ref_to(x, false));
    case W2N_OP_STRUCT_GET:
    case W2N_OP_STRUCT_GET_S:
    case W2N_OP_STRUCT_GET_U:
        if (!(f = struct_field(v, x, in->imm.pair.b)) ||
            !check_get_kind(v, f, in->op != W2N_OP_STRUCT_GET) ||
            !w2n_validate_pop_expect(v, ref_to(x, true)))
            return false;
        return w2n_validate_push(v, unpacked(f->storage));
    case W2N_OP_STRUCT_SET:
        if (!(f = struct_field(v, x, in->imm.pair.b)))
            return false;
        if (!f->is_mutable)
            return INVALID(v, "immutable field");
        return w2n_validate_pop_expect(v, unpacked(f->storage)) &&
               w2n_validate_pop_expect(v, ref_to(x, true));
    }
    return INVALID(v, "no validation rule for %s", in->info->name);
}

/* An array type's element, checked; `mutable_needed` for writes. */
static const w2n_fieldtype *array_elem(validator *v, uint32_t type, bool mutable_needed) {
    const w2n_typedef *d = typedef_of(v, type, W2N_TYPE_ARRAY);
    if (!d)
        return NULL;
    if (mutable_needed && !d->fields[0].is_mutable) {
        INVALID(v, "immutable array");
        return NULL;
    }
    return &d->fields[0];
}

/* array.new_data and array.init_data: numeric, vector or packed elements. */
static bool check_data_elem(validator *v, const w2n_fieldtype *f, uint32_t data) {
    if (w2n_valtype_is_ref(f->storage))
        return INVALID(v, "array type is not numeric or vector");
    return w2n_validate_data_index(v, data);
}

/* array.new_elem and array.init_elem: the segment's references fit. */
static bool check_elem_elem(validator *v, const w2n_fieldtype *f, uint32_t elem) {
    if (!w2n_validate_elem_index(v, elem))
        return false;
    if (!w2n_validate_matches(v, v->m->elems[elem].type, f->storage))
        return INVALID(v, "type mismatch");
    return true;
}

static bool pop_i32s(validator *v, int n) {
    for (int i = 0; i < n; i++)
        if (!w2n_validate_pop_expect(v, W2N_I32))
            return false;
    return true;
}

/* Constructors: each leaves a (ref $x). */
static bool array_new_op(validator *v, const w2n_instr *in) {
    uint32_t x = in->info->imm == W2N_IMM_TYPE ? in->imm.index : in->imm.pair.a;
    const w2n_fieldtype *f = array_elem(v, x, false);
    if (!f)
        return false;
    bool ok;
    switch (in->op) {
    case W2N_OP_ARRAY_NEW:
        ok = pop_i32s(v, 1) && w2n_validate_pop_expect(v, unpacked(f->storage));
        break;
    case W2N_OP_ARRAY_NEW_DEFAULT:
        if (!defaultable(f->storage))
            return INVALID(v, "array type is not defaultable");
        ok = pop_i32s(v, 1);
        break;
    case W2N_OP_ARRAY_NEW_FIXED:
        ok = true;
        for (uint32_t i = 0; ok && i < in->imm.pair.b; i++)
            ok = w2n_validate_pop_expect(v, unpacked(f->storage));
        break;
    case W2N_OP_ARRAY_NEW_DATA: ok = check_data_elem(v, f, in->imm.pair.b) && pop_i32s(v, 2); break;
    default: ok = check_elem_elem(v, f, in->imm.pair.b) && pop_i32s(v, 2); break;
    }
    return ok && w2n_validate_push(v, ref_to(x, false));
}

static bool array_op(validator *v, const w2n_instr *in) {
    const w2n_fieldtype *f, *src;
    uint32_t x = in->info->imm == W2N_IMM_TYPE ? in->imm.index : in->imm.pair.a;
    switch (in->op) {
    case W2N_OP_ARRAY_GET:
    case W2N_OP_ARRAY_GET_S:
    case W2N_OP_ARRAY_GET_U:
        if (!(f = array_elem(v, x, false)) || !check_get_kind(v, f, in->op != W2N_OP_ARRAY_GET) ||
            !pop_i32s(v, 1) || !w2n_validate_pop_expect(v, ref_to(x, true)))
            return false;
        return w2n_validate_push(v, unpacked(f->storage));
    case W2N_OP_ARRAY_SET:
        return (f = array_elem(v, x, true)) && w2n_validate_pop_expect(v, unpacked(f->storage)) &&
               pop_i32s(v, 1) && w2n_validate_pop_expect(v, ref_to(x, true));
    case W2N_OP_ARRAY_LEN:
        return w2n_validate_pop_expect(v, W2N_ARRAYREF) && w2n_validate_push(v, W2N_I32);
    case W2N_OP_ARRAY_FILL:
        return (f = array_elem(v, x, true)) && pop_i32s(v, 1) &&
               w2n_validate_pop_expect(v, unpacked(f->storage)) && pop_i32s(v, 1) &&
               w2n_validate_pop_expect(v, ref_to(x, true));
    case W2N_OP_ARRAY_COPY:
        if (!(f = array_elem(v, x, true)) || !(src = array_elem(v, in->imm.pair.b, false)))
            return false;
        if (is_packed(f->storage) || is_packed(src->storage)
                ? f->storage != src->storage
                : !w2n_validate_matches(v, src->storage, f->storage))
            return INVALID(v, "array types do not match");
        return pop_i32s(v, 2) && w2n_validate_pop_expect(v, ref_to(in->imm.pair.b, true)) &&
               pop_i32s(v, 1) && w2n_validate_pop_expect(v, ref_to(x, true));
    case W2N_OP_ARRAY_INIT_DATA:
    case W2N_OP_ARRAY_INIT_ELEM:
        if (!(f = array_elem(v, x, true)))
            return false;
        if (in->op == W2N_OP_ARRAY_INIT_DATA ? !check_data_elem(v, f, in->imm.pair.b)
                                             : !check_elem_elem(v, f, in->imm.pair.b))
            return false;
        return pop_i32s(v, 3) && w2n_validate_pop_expect(v, ref_to(x, true));
    }
    return array_new_op(v, in);
}

/* ref.test and ref.cast: the operand is any reference of the target's
 * hierarchy. */
static bool test_cast_op(validator *v, const w2n_instr *in) {
    w2n_heaptype ht = 0;
    if (!heap_type_imm(v, in->imm.heaptype, &ht) ||
        !w2n_validate_pop_expect(v, w2n_valtype_ref(w2n_module_heaptype_top(v->m, ht), true)))
        return false;
    if (in->op == W2N_OP_REF_TEST || in->op == W2N_OP_REF_TEST_NULL)
        return w2n_validate_push(v, W2N_I32);
    return w2n_validate_push(v, w2n_valtype_ref(ht, in->op == W2N_OP_REF_CAST_NULL));
}

/* br_on_cast l rt1 rt2 branches with rt2 and goes on with rt1 \ rt2;
 * br_on_cast_fail branches with rt1 \ rt2 and goes on with rt2.  rt2 must
 * be a subtype of rt1; the branch's value must fit the label's last type. */
static bool br_on_cast_op(validator *v, const w2n_instr *in) {
    w2n_heaptype from = 0, to = 0;
    uint8_t flags = in->imm.br_on_cast.flags;
    uint32_t l = in->imm.br_on_cast.label, n;
    if (!heap_type_imm(v, in->imm.br_on_cast.from, &from) ||
        !heap_type_imm(v, in->imm.br_on_cast.to, &to) || !w2n_validate_label(v, l))
        return false;
    w2n_valtype rt1 = w2n_valtype_ref(from, flags & 1), rt2 = w2n_valtype_ref(to, flags & 2);
    w2n_valtype diff = w2n_valtype_ref(from, (flags & 1) && !(flags & 2));
    if (!w2n_validate_matches(v, rt2, rt1))
        return INVALID(v, "type mismatch");
    const w2n_valtype *ts = w2n_validate_label_types(w2n_validate_label_frame(v, l), &n);
    bool fail = in->op == W2N_OP_BR_ON_CAST_FAIL;
    if (n == 0 || !w2n_validate_matches(v, fail ? diff : rt2, ts[n - 1]))
        return INVALID(v, "type mismatch");
    return w2n_validate_pop_expect(v, rt1) && w2n_validate_pop_vals(v, ts, n - 1) &&
           w2n_validate_push_vals(v, ts, n - 1) && w2n_validate_push(v, fail ? rt2 : diff);
}

/* any.convert_extern and extern.convert_any keep the nullability. */
static bool convert_op(validator *v, const w2n_instr *in) {
    bool to_any = in->op == W2N_OP_ANY_CONVERT_EXTERN;
    w2n_valtype t;
    if (!w2n_validate_pop_ref(v, &t))
        return false;
    if (!w2n_validate_matches(v, t, to_any ? W2N_EXTERNREF : W2N_ANYREF))
        return INVALID(v, "type mismatch");
    return w2n_validate_push(
        v, w2n_valtype_ref(to_any ? W2N_ANYREF : W2N_EXTERNREF, w2n_valtype_is_nullable(t)));
}

bool w2n_validate_gc_op(validator *v, const w2n_instr *in) {
    switch (in->op) {
    case W2N_OP_REF_EQ:
        return w2n_validate_pop_expect(v, W2N_EQREF) && w2n_validate_pop_expect(v, W2N_EQREF) &&
               w2n_validate_push(v, W2N_I32);
    case W2N_OP_REF_I31:
        return w2n_validate_pop_expect(v, W2N_I32) &&
               w2n_validate_push(v, w2n_valtype_ref(W2N_I31REF, false));
    case W2N_OP_I31_GET_S:
    case W2N_OP_I31_GET_U:
        return w2n_validate_pop_expect(v, W2N_I31REF) && w2n_validate_push(v, W2N_I32);
    case W2N_OP_REF_TEST:
    case W2N_OP_REF_TEST_NULL:
    case W2N_OP_REF_CAST:
    case W2N_OP_REF_CAST_NULL: return test_cast_op(v, in);
    case W2N_OP_BR_ON_CAST:
    case W2N_OP_BR_ON_CAST_FAIL: return br_on_cast_op(v, in);
    case W2N_OP_ANY_CONVERT_EXTERN:
    case W2N_OP_EXTERN_CONVERT_ANY: return convert_op(v, in);
    }
    if (in->op <= W2N_OP_STRUCT_SET)
        return struct_op(v, in);
    return array_op(v, in);
}
