/*
 * instance.c — instantiation as the spec describes it, and instance access.
 *
 * Order (Wasm 2.0), after the store's resource limits have admitted the
 * module's instance, memories, tables and initial sizes (limits.c; nothing
 * is created when they refuse): check every import against its declared type (nothing
 * is created if one fails); build function records, then globals (their
 * initialisers may read imported globals and take ref.func), tables,
 * memories and the vmctx; evaluate element segments; link the instance
 * into the store; apply active element segments then active data segments
 * in order, dropping each (and dropping declarative ones); run the start
 * function.  From the segments on, a trap leaves earlier effects in place
 * on imported tables and memories, so the half-made instance stays in the
 * store (tables may now refer to its functions) and is not returned.
 *
 * Every defined memory, table and global goes on the store's lists as soon
 * as it exists: the store frees them.  The instance owns only its arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "const_eval.h"
#include "exception.h"
#include "gc.h"
#include "internal.h"

/* ---- import checks ------------------------------------------------------------- */

static const char *kind_name(unsigned kind) {
    static const char *names[] = {"function", "table", "memory", "global", "tag"};
    return kind <= W2N_EXTERN_TAG ? names[kind] : "unknown";
}

static bool limits_match(uint64_t min, bool has_max, uint64_t max, const w2n_limits *want) {
    if (min < want->min)
        return false;
    if (want->has_max && (!has_max || max > want->max))
        return false;
    return true;
}

static w2n_status mismatch(const w2n_meta_import *im, const char *why, w2n_error *err) {
    return w2n_error_set(err, W2N_ERR_LINK, W2N_NO_OFFSET,
                         "incompatible import type for \"%s\" \"%s\": %s", im->module, im->name,
                         why);
}

static w2n_status check_import(const w2n_object *obj, const w2n_meta_import *im,
                               const w2n_extern *ext, const uint32_t *type_ids, w2n_error *err) {
    if (ext->kind != im->kind)
        return w2n_error_set(err, W2N_ERR_LINK, W2N_NO_OFFSET,
                             "incompatible import type for \"%s\" \"%s\": expected a %s, got a %s",
                             im->module, im->name, kind_name(im->kind), kind_name(ext->kind));
    switch (im->kind) {
    case W2N_EXTERN_FUNC:
        if (!ext->of.func)
            return mismatch(im, "null function", err);
        if (!w2n_type_id_sub(ext->of.func->type_id, type_ids[im->func_type]))
            return mismatch(im, "function signatures differ", err);
        break;
    case W2N_EXTERN_TABLE: {
        const w2n_table *t = ext->of.table;
        if (!t)
            return mismatch(im, "null table", err);
        /* Element types are invariant: tables are read and written. */
        if (t->elem != w2n_valtype_canonical(im->table.elem, type_ids))
            return mismatch(im, "table element types differ", err);
        if (t->is64 != im->table.limits.is64)
            return mismatch(im, "table index types differ (i32 and i64)", err);
        if (!limits_match(t->abi.size, t->has_max, t->declared_max, &im->table.limits))
            return mismatch(im, "table limits do not match", err);
        break;
    }
    case W2N_EXTERN_MEMORY: {
        const w2n_memory *m = ext->of.memory;
        if (!m)
            return mismatch(im, "null memory", err);
        if (m->is64 != im->memory.is64)
            return mismatch(im, "memory index types differ (i32 and i64)", err);
        if (!limits_match(m->abi.size / W2N_PAGE_SIZE, m->has_max, m->max_pages, &im->memory))
            return mismatch(im, "memory limits do not match", err);
        if (m->shared != im->memory.shared)
            return mismatch(im,
                            m->shared ? "the memory is shared, the import is not"
                                      : "the import is shared, the memory is not",
                            err);
        /* A 64-bit memory is checked explicitly in both modes. */
        if (!(obj->meta.flags & W2N_FLAG_EXPLICIT_BOUNDS) && !m->is64 &&
            m->mode != W2N_BOUNDS_GUARD)
            return mismatch(im, "guard-page code cannot use an explicit-bounds memory", err);
        break;
    }
    case W2N_EXTERN_GLOBAL: {
        const w2n_global *g = ext->of.global;
        if (!g)
            return mismatch(im, "null global", err);
        /* An immutable global may be of a subtype; a mutable one is
         * written too, so its type must be the same. */
        w2n_valtype want = w2n_valtype_canonical(im->global.type, type_ids);
        if (g->type.is_mutable != im->global.is_mutable ||
            !(g->type.is_mutable ? g->type.type == want
                                 : w2n_valtype_sub_canonical(g->type.type, want)))
            return mismatch(im, "global types or mutability differ", err);
        break;
    }
    case W2N_EXTERN_TAG:
        if (!ext->of.tag)
            return mismatch(im, "null tag", err);
        if (ext->of.tag->type_id != type_ids[im->func_type])
            return mismatch(im, "tag types differ", err);
        break;
    }
    return W2N_OK;
}

/* ---- construction ----------------------------------------------------------------- */

/* A segment's offset: an i64 into a 64-bit memory or table, else an i32
 * (meta_check.c made the expression's type match; numbers cannot fail). */
static uint64_t eval_offset(w2n_instance *inst, const w2n_const_expr *c, bool is64) {
    w2n_const_eval ev;
    w2n_const_eval_begin(&ev, inst);
    w2n_raw r;
    memset(&r, 0, sizeof r);
    w2n_const_eval_run(&ev, c, &r, NULL);
    w2n_const_eval_end(&ev);
    return is64 ? (uint64_t)r.i64 : (uint32_t)r.i32;
}

static bool alloc_arrays(w2n_instance *inst, const w2n_meta *m) {
    inst->nfuncs = m->nimported_funcs + m->nfuncs;
    inst->ntables = m->nimported_tables + m->ntables;
    inst->nmemories = m->nimported_memories + m->nmemories;
    inst->nglobals = m->nimported_globals + m->nglobals;
    inst->ntags = m->nimported_tags + m->ntags;
    inst->nelems = m->nelems;
#define ALLOC(field, n) ((inst->field = calloc((n) ? (n) : 1, sizeof *inst->field)) != NULL)
    return ALLOC(funcs, inst->nfuncs) && ALLOC(defined, m->nfuncs) &&
           ALLOC(adapters, m->nimported_funcs) && ALLOC(tables, inst->ntables) &&
           ALLOC(table_abis, inst->ntables) && ALLOC(memories, inst->nmemories) &&
           ALLOC(memory_abis, inst->nmemories) && ALLOC(globals, inst->nglobals) &&
           ALLOC(global_ptrs, inst->nglobals) && ALLOC(type_ids, m->ntypes) &&
           ALLOC(tags, inst->ntags) && ALLOC(elem_items, m->nelems) &&
           ALLOC(elem_sizes, m->nelems) && ALLOC(data_dropped, m->ndatas);
#undef ALLOC
}

static void bind_imports(w2n_instance *inst, const w2n_extern *imports) {
    const w2n_meta *m = inst->meta;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0, ntag = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const w2n_extern *ext = &imports[i];
        switch (m->imports[i].kind) {
        case W2N_EXTERN_FUNC: {
            w2n_func *f = ext->of.func;
            if (f->flags & W2N_FUNC_HOST) {
                w2n_adapter_func *a = &inst->adapters[nf];
                a->base.code = w2n_code_at(inst->obj->import_adapters, nf);
                a->base.tramp = NULL;
                a->base.vmctx = &inst->vmctx;
                a->base.type_id = f->type_id;
                a->base.call_id = f->type_id;
                a->base.flags = W2N_FUNC_ADAPTER;
                a->host = (w2n_host_func *)f;
                f = &a->base;
            }
            inst->funcs[nf++] = f;
            break;
        }
        case W2N_EXTERN_TABLE: inst->tables[nt++] = ext->of.table; break;
        case W2N_EXTERN_MEMORY: inst->memories[nm++] = ext->of.memory; break;
        case W2N_EXTERN_TAG: inst->tags[ntag++] = ext->of.tag; break;
        default: inst->globals[ng++] = ext->of.global; break;
        }
    }
}

static w2n_status create_definitions(w2n_instance *inst, w2n_const_eval *ev, w2n_error *err) {
    const w2n_meta *m = inst->meta;
    w2n_store *store = inst->store;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        w2n_func *f = &inst->defined[i];
        f->code = w2n_code_at(inst->obj->functions, i);
        f->tramp = (w2n_tramp_fn)w2n_code_at(inst->obj->trampolines, i);
        f->vmctx = &inst->vmctx;
        f->type_id = inst->type_ids[m->func_types[i]];
        f->call_id = f->type_id;
        inst->funcs[m->nimported_funcs + i] = f;
    }
    /* Each instance's tags are its own: two instances of one module throw
     * exceptions the other's handlers do not catch. */
    for (uint32_t i = 0; i < m->ntags; i++)
        if (!(inst->tags[m->nimported_tags + i] =
                  w2n_tag_create(store, inst->type_ids[m->tag_types[i]])))
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    for (uint32_t i = 0; i < m->nglobals; i++) {
        w2n_globaltype type = m->globals[i].type;
        type.type = w2n_valtype_canonical(type.type, inst->type_ids);
        w2n_global *g = w2n_global_create(type);
        if (!g)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        g->next = store->globals;
        store->globals = g;
        /* Initialisers see imported and earlier globals only (meta.c checks);
         * the global is a root from here on. */
        inst->globals[m->nimported_globals + i] = g;
        w2n_status st = w2n_const_eval_run(ev, &m->globals[i].init, &g->storage, err);
        if (st != W2N_OK)
            return st;
    }
    for (uint32_t i = 0; i < m->ntables; i++) {
        w2n_table *t;
        w2n_tabletype type = m->tables[i];
        type.elem = w2n_valtype_canonical(type.elem, inst->type_ids);
        /* The initialiser sees imported globals only (meta.c checks). */
        w2n_raw init;
        memset(&init, 0, sizeof init);
        w2n_status st = W2N_OK;
        if (m->table_inits && m->table_inits[i].kind)
            st = w2n_const_eval_run(ev, &m->table_inits[i], &init, err);
        if (st == W2N_OK) /* allocates no GC object: init stays where it is */
            st = w2n_table_create(store, type, init.ref, &t, err);
        if (st != W2N_OK)
            return st;
        inst->tables[m->nimported_tables + i] = t;
    }
    w2n_bounds_mode mode =
        m->flags & W2N_FLAG_EXPLICIT_BOUNDS ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD;
    for (uint32_t i = 0; i < m->nmemories; i++) {
        w2n_memory *mem;
        w2n_status st = w2n_memory_create(store, m->memories[i], mode, &mem, err);
        if (st != W2N_OK)
            return st;
        inst->memories[m->nimported_memories + i] = mem;
    }
    return W2N_OK;
}

/* Items go straight into the instance's segments, which the evaluator
 * offers as roots while an item allocates. */
static w2n_status evaluate_elems(w2n_instance *inst, w2n_const_eval *ev, w2n_error *err) {
    const w2n_meta *m = inst->meta;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const w2n_meta_elem *e = &m->elems[i];
        inst->elem_items[i] = calloc(e->count ? e->count : 1, sizeof(void *));
        if (!inst->elem_items[i])
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        for (uint32_t k = 0; k < e->count; k++) {
            w2n_raw item;
            w2n_status st = w2n_const_eval_run(ev, &e->items[k], &item, err);
            if (st != W2N_OK)
                return st;
            inst->elem_items[i][k] = item.ref;
        }
        inst->elem_sizes[i] = e->count;
    }
    return W2N_OK;
}

static void fill_vmctx(w2n_instance *inst) {
    for (uint32_t i = 0; i < inst->ntables; i++)
        inst->table_abis[i] = &inst->tables[i]->abi;
    for (uint32_t i = 0; i < inst->nmemories; i++)
        inst->memory_abis[i] = &inst->memories[i]->abi;
    for (uint32_t i = 0; i < inst->nglobals; i++)
        inst->global_ptrs[i] = &inst->globals[i]->storage;
    w2n_vmctx *v = &inst->vmctx;
    v->memory = inst->nmemories ? &inst->memories[0]->abi : NULL;
    v->stack_limit = inst->store->stack_limit;
    v->interrupt = 0;
    v->helpers = &w2n_runtime_helpers;
    v->tables = inst->table_abis;
    v->funcs = inst->funcs;
    v->type_ids = inst->type_ids;
    v->globals = inst->global_ptrs;
    v->memories = inst->memory_abis;
    v->tags = (const void *const *)inst->tags;
    /* The store's GC window once it has a heap (gc/heap.c fills it into
     * every instance when the heap is made later). */
    v->gc = inst->store->gc ? &inst->store->gc->window : NULL;
    v->instance = inst;
}

/* The object's initial memory image (common/memory_image.h), when the
 * memory it names is one of this instance's own that can take it: its
 * pages mapped from the object's file, nothing copied.  The active data
 * segments of that memory are then applied already.  Before the element
 * segments, unlike the segments it stands for: only a memory defined here
 * takes it, which no one sees if an element segment traps. */
static w2n_status apply_memory_image(w2n_instance *inst, w2n_error *err) {
    const w2n_meta *m = inst->meta;
    w2n_memory_image image;
    int fd;
    uint64_t at;
    const uint8_t *bytes;
    inst->imaged_memory = UINT32_MAX;
    if (!inst->obj->image || !w2n_image_memory_image(inst->obj->image, &image, &fd, &at, &bytes) ||
        image.memory < m->nimported_memories || image.memory >= inst->nmemories)
        return W2N_OK;
    bool applied;
    w2n_status st =
        w2n_memory_apply_image(inst->memories[image.memory], &image, fd, at, bytes, &applied, err);
    if (st == W2N_OK && applied)
        inst->imaged_memory = image.memory;
    return st;
}

/* The active data segments' bytes faulted in before they are copied, a
 * run of segments of one memory at a time (each starting at most
 * DATA_RUN_GAP past where the run ends): a linker lays a program's static
 * data out as hundreds of adjacent segments. */
enum {
    DATA_RUN_GAP = 4096
};

static void prefault_data(w2n_instance *inst) {
    const w2n_meta *m = inst->meta;
    w2n_memory *run = NULL; /* the run's memory; NULL before the first */
    uint64_t start = 0, end = 0;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const w2n_meta_data *d = &m->datas[i];
        if (d->mode != W2N_SEGMENT_ACTIVE || d->size == 0 || d->memory == inst->imaged_memory)
            continue;
        w2n_memory *mem = inst->memories[d->memory];
        uint64_t at = eval_offset(inst, &d->offset, mem->is64);
        uint64_t to = at + d->size < at ? UINT64_MAX : at + d->size;
        if (mem == run && at >= start && (at <= end || at - end <= DATA_RUN_GAP)) {
            end = to > end ? to : end;
            continue;
        }
        if (run)
            w2n_memory_prefault(run, start, end - start);
        run = mem, start = at, end = to;
    }
    if (run)
        w2n_memory_prefault(run, start, end - start);
}

/* Active and declarative segments, then data, in order (spec 2.0). */
static w2n_trap_code apply_segments(w2n_instance *inst) {
    const w2n_meta *m = inst->meta;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const w2n_meta_elem *e = &m->elems[i];
        if (e->mode == W2N_SEGMENT_ACTIVE) {
            uint64_t offset = eval_offset(inst, &e->offset, inst->tables[e->table]->is64);
            w2n_trap_code code = w2n_op_table_init(inst, e->table, i, offset, 0, e->count);
            if (code != W2N_TRAP_NONE)
                return code;
        }
        if (e->mode != W2N_SEGMENT_PASSIVE)
            inst->elem_sizes[i] = 0;
    }
    prefault_data(inst);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const w2n_meta_data *d = &m->datas[i];
        if (d->mode != W2N_SEGMENT_ACTIVE)
            continue;
        if (d->memory == inst->imaged_memory) { /* in place already */
            inst->data_dropped[i] = true;
            continue;
        }
        uint64_t offset = eval_offset(inst, &d->offset, inst->memories[d->memory]->is64);
        w2n_trap_code code = w2n_op_memory_init(inst, d->memory, i, offset, 0, d->size);
        if (code != W2N_TRAP_NONE)
            return code;
        inst->data_dropped[i] = true;
    }
    return W2N_TRAP_NONE;
}

static w2n_status set_trap(w2n_trap *trap, w2n_trap_code code, w2n_error *err) {
    if (trap) { /* no frame: a segment's bounds, checked here, not in Wasm code */
        memset(trap, 0, sizeof *trap);
        trap->code = code;
        strncpy(trap->message, w2n_trap_message(code), sizeof trap->message - 1);
        trap->message[sizeof trap->message - 1] = 0;
    }
    return w2n_error_set(err, W2N_ERR_TRAP, W2N_NO_OFFSET, "trap during instantiation: %s",
                         w2n_trap_message(code));
}

static w2n_status run_start(w2n_instance *inst, w2n_trap *trap, w2n_error *err) {
    w2n_raw slot[1];
    memset(slot, 0, sizeof slot);
    w2n_trap t;
    w2n_status st = w2n_call_raw(inst->store, inst->funcs[inst->meta->start], slot, &t, err);
    if (st == W2N_ERR_TRAP) {
        if (trap)
            *trap = t;
        w2n_error_set(err, W2N_ERR_TRAP, W2N_NO_OFFSET, "trap in start function: %s", t.message);
    } else if (st == W2N_ERR_EXCEPTION) {
        if (trap)
            *trap = t;
        w2n_error_set(err, W2N_ERR_EXCEPTION, W2N_NO_OFFSET,
                      "uncaught exception in start function");
    }
    return st;
}

w2n_status w2n_instantiate(w2n_store *store, const w2n_object *obj, const w2n_extern *imports,
                           uint32_t nimports, w2n_instance **out, w2n_trap *trap, w2n_error *err) {
    *out = NULL;
    if (!store || !obj || (nimports && !imports))
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null argument");
    const w2n_meta *m = &obj->meta;
    if (store->fuel_limited && !(m->flags & W2N_FLAG_FUEL))
        return w2n_error_set(err, W2N_ERR_LINK, W2N_NO_OFFSET,
                             "the object was compiled without --fuel and the store has a "
                             "fuel budget (compile with 'w2n compile --fuel')");
    if (nimports != m->nimports)
        return w2n_error_set(err, W2N_ERR_LINK, W2N_NO_OFFSET, "module needs %u imports, %u given",
                             m->nimports, nimports);
    w2n_status st = w2n_limits_admit_instance(store, m, err);
    if (st == W2N_OK)
        st = w2n_call_admit_frames(store, m, err);
    if (st != W2N_OK)
        return st;
    w2n_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    inst->store = store;
    inst->obj = obj;
    inst->meta = m;
    if (!alloc_arrays(inst, m)) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        goto fail;
    }
    if (!w2n_types_intern_module(m, inst->type_ids)) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                           "cannot intern the module's types (out of memory, or the object's "
                           "canonical types disagree with the runtime's)");
        goto fail;
    }
    if ((st = w2n_gc_instance_types(inst, err)) != W2N_OK)
        goto fail;
    for (uint32_t i = 0; i < nimports; i++)
        if ((st = check_import(obj, &m->imports[i], &imports[i], inst->type_ids, err)) != W2N_OK)
            goto fail;
    bind_imports(inst, imports);
    w2n_const_eval ev;
    w2n_const_eval_begin(&ev, inst);
    if ((st = create_definitions(inst, &ev, err)) == W2N_OK)
        st = evaluate_elems(inst, &ev, err);
    w2n_const_eval_end(&ev);
    if (st != W2N_OK)
        goto fail;
    fill_vmctx(inst);
    if ((st = apply_memory_image(inst, err)) != W2N_OK)
        goto fail;
    store->ninstances++;
    w2n_stop_link_instance(store, inst);
    /* From here on the instance belongs to the store, even if it traps. */
    w2n_trap_code code = apply_segments(inst);
    if (code != W2N_TRAP_NONE)
        return set_trap(trap, code, err);
    if (m->start >= 0 && (st = run_start(inst, trap, err)) != W2N_OK)
        return st;
    *out = inst;
    return W2N_OK;
fail:
    w2n_instance_destroy(inst);
    return st;
}

void w2n_instance_destroy(w2n_instance *inst) {
    if (!inst)
        return;
    for (uint32_t i = 0; inst->elem_items && i < inst->nelems; i++)
        free(inst->elem_items[i]);
    free(inst->elem_items);
    free(inst->elem_sizes);
    free(inst->data_dropped);
    free(inst->funcs);
    free(inst->defined);
    free(inst->adapters);
    free(inst->tables);
    free(inst->table_abis);
    free(inst->memories);
    free(inst->memory_abis);
    free(inst->globals);
    free(inst->global_ptrs);
    free(inst->type_ids);
    free(inst->gc_types);
    free(inst->tags);
    free(inst);
}

/* ---- access ----------------------------------------------------------------------- */

w2n_status w2n_instance_export(w2n_instance *inst, const char *name, w2n_extern *out) {
    return w2n_instance_export_n(inst, name, strlen(name), out);
}

w2n_status w2n_instance_export_n(w2n_instance *inst, const char *name, size_t len,
                                 w2n_extern *out) {
    const w2n_meta *m = inst->meta;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const w2n_meta_export *e = &m->exports[i];
        if (e->name_len != len || memcmp(e->name, name, len) != 0)
            continue;
        out->kind = (w2n_extern_kind)e->kind;
        switch (e->kind) {
        case W2N_EXTERN_FUNC: out->of.func = inst->funcs[e->index]; break;
        case W2N_EXTERN_TABLE: out->of.table = inst->tables[e->index]; break;
        case W2N_EXTERN_MEMORY: out->of.memory = inst->memories[e->index]; break;
        case W2N_EXTERN_TAG: out->of.tag = inst->tags[e->index]; break;
        default: out->of.global = inst->globals[e->index]; break;
        }
        return W2N_OK;
    }
    return W2N_ERR_ARGUMENT;
}

w2n_tag *w2n_instance_tag(w2n_instance *inst, uint32_t index) {
    return inst && index < inst->ntags ? inst->tags[index] : NULL;
}

w2n_memory *w2n_instance_memory(w2n_instance *inst) { return w2n_instance_memory_at(inst, 0); }

w2n_memory *w2n_instance_memory_at(w2n_instance *inst, uint32_t index) {
    return index < inst->nmemories ? inst->memories[index] : NULL;
}

void w2n_instance_set_host_data(w2n_instance *inst, void *data) { inst->host_data = data; }
void *w2n_instance_host_data(w2n_instance *inst) { return inst->host_data; }
