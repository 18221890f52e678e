/*
 * exec.c — executing the commands of one script against the runtime API.
 *
 * Commands (after the id that main.c strips; strings are x<hex>, "-" none):
 *     module NAME PATH              load, link, instantiate; becomes current
 *     register AS NAME              export NAME's exports as module AS
 *     unlinkable PATH TEXT          instantiation must fail to link
 *     uninstantiable PATH TEXT      instantiation must trap
 *     return ACTION N EXPECTED*     the action returns these N values
 *     trap TEXT ACTION              the action traps with message TEXT...
 *     exhaustion TEXT ACTION        ...with "call stack exhausted"
 *     exception ACTION              the action ends in an uncaught Wasm exception
 *     action ACTION                 the action runs without trapping or throwing
 * with ACTION one of
 *     invoke NAME FIELD N ARG*      call export FIELD of module NAME
 *     get NAME FIELD                read global export FIELD
 * Messages match as spec_message_matches (values.c) says.  A module whose
 * definition fails leaves no current module, so later actions fail instead
 * of silently running against an older one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

w2n_status spec_runner_init(spec_runner *r, w2n_bounds_mode mode, size_t stack_size,
                            w2n_error *err) {
    memset(r, 0, sizeof *r);
    r->mode = mode;
    w2n_store_options opts = {.stack_size = stack_size};
    r->store = w2n_store_new(stack_size ? &opts : NULL);
    if (!r->store)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "cannot create a store");
    r->linker = w2n_linker_new(r->store);
    if (!r->linker)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "cannot create a linker");
    return spec_define_spectest(r->linker, r->store, mode, err);
}

void spec_runner_fini(spec_runner *r) {
    if (r->linker)
        w2n_linker_free(r->linker);
    if (r->store)
        w2n_store_free(r->store);
    for (size_t i = 0; i < r->nobjects; i++)
        w2n_object_free(r->objects[i]);
    for (size_t i = 0; i < r->nnamed; i++)
        free(r->named[i].name);
    free(r->objects);
    free(r->named);
    memset(r, 0, sizeof *r);
}

static const char *trap_text(const w2n_trap *trap) {
    return trap->message[0] ? trap->message : w2n_trap_message(trap->code);
}

/* ---- modules ------------------------------------------------------------- */

static bool remember_object(spec_runner *r, w2n_object *obj) {
    if (r->nobjects == r->objects_cap) {
        size_t cap = r->objects_cap ? 2 * r->objects_cap : 16;
        w2n_object **grown = realloc(r->objects, cap * sizeof *grown);
        if (!grown)
            return false;
        r->objects = grown;
        r->objects_cap = cap;
    }
    r->objects[r->nobjects++] = obj;
    return true;
}

/* Bind `name` (owned by the table afterwards) to inst, replacing an older one. */
static bool name_instance(spec_runner *r, char *name, w2n_instance *inst) {
    for (size_t i = 0; i < r->nnamed; i++)
        if (!strcmp(r->named[i].name, name)) {
            free(name);
            r->named[i].inst = inst;
            return true;
        }
    if (r->nnamed == r->named_cap) {
        size_t cap = r->named_cap ? 2 * r->named_cap : 8;
        spec_named *grown = realloc(r->named, cap * sizeof *grown);
        if (!grown)
            return false;
        r->named = grown;
        r->named_cap = cap;
    }
    r->named[r->nnamed].name = name;
    r->named[r->nnamed].inst = inst;
    r->nnamed++;
    return true;
}

/* The instance a command names ("-": the current one), or NULL with msg. */
static w2n_instance *find_instance(spec_runner *r, const char *tok, char *msg, size_t size) {
    char *name;
    if (!spec_parse_string(tok, &name, NULL)) {
        snprintf(msg, size, "protocol error: bad module name token");
        return NULL;
    }
    if (!name) {
        if (!r->current)
            snprintf(msg, size, "no current module (its definition failed or none yet)");
        return r->current;
    }
    w2n_instance *inst = NULL;
    bool known = false;
    for (size_t i = 0; i < r->nnamed; i++)
        if (!strcmp(r->named[i].name, name)) {
            inst = r->named[i].inst;
            known = true;
        }
    if (!inst)
        snprintf(msg, size, "module %s %s", name, known ? "failed to instantiate" : "unknown");
    free(name);
    return inst;
}

/* Load the object at path token `tok` and instantiate it with the linker. */
static w2n_status instantiate(spec_runner *r, const char *tok, w2n_instance **inst, w2n_trap *trap,
                              w2n_error *err) {
    char *path;
    memset(trap, 0, sizeof *trap);
    memset(err, 0, sizeof *err);
    *inst = NULL;
    if (!spec_parse_string(tok, &path, NULL) || !path)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "protocol error: bad path");
    w2n_object *obj = NULL;
    w2n_status st = w2n_object_load_file(path, &obj, err);
    free(path);
    if (st != W2N_OK)
        return st;
    if (!remember_object(r, obj)) {
        w2n_object_free(obj);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }
    return w2n_linker_instantiate(r->linker, obj, inst, trap, err);
}

static spec_outcome cmd_module(spec_runner *r, spec_cursor *cur, char *msg, size_t size) {
    const char *name_tok = spec_token(cur), *path_tok = spec_token(cur);
    char *name = NULL;
    if (!path_tok || !spec_parse_string(name_tok, &name, NULL)) {
        snprintf(msg, size, "protocol error: module NAME PATH");
        return SPEC_FAIL;
    }
    w2n_instance *inst;
    w2n_trap trap;
    w2n_error err;
    w2n_status st = instantiate(r, path_tok, &inst, &trap, &err);
    r->current = st == W2N_OK ? inst : NULL;
    if (name && !name_instance(r, name, r->current)) {
        free(name);
        snprintf(msg, size, "out of memory");
        return SPEC_FAIL;
    }
    if (st == W2N_ERR_TRAP) {
        snprintf(msg, size, "instantiation trapped: %s", trap_text(&trap));
        return SPEC_FAIL;
    }
    if (st != W2N_OK) {
        snprintf(msg, size, "%s: %s", w2n_status_name(st), err.message);
        return SPEC_FAIL;
    }
    return SPEC_PASS;
}

static spec_outcome cmd_register(spec_runner *r, spec_cursor *cur, char *msg, size_t size) {
    const char *as_tok = spec_token(cur), *name_tok = spec_token(cur);
    char *as = NULL;
    if (!name_tok || !spec_parse_string(as_tok, &as, NULL) || !as) {
        free(as);
        snprintf(msg, size, "protocol error: register AS NAME");
        return SPEC_FAIL;
    }
    w2n_instance *inst = find_instance(r, name_tok, msg, size);
    spec_outcome out = SPEC_FAIL;
    w2n_error err;
    if (inst) {
        if (w2n_linker_define_instance(r->linker, as, inst, &err) == W2N_OK)
            out = SPEC_PASS;
        else
            snprintf(msg, size, "register: %s", err.message);
    }
    free(as);
    return out;
}

/* unlinkable (want_trap false) and uninstantiable (want_trap true). */
static spec_outcome cmd_bad_module(spec_runner *r, spec_cursor *cur, bool want_trap, char *msg,
                                   size_t size) {
    const char *path_tok = spec_token(cur), *text_tok = spec_token(cur);
    char *text = NULL;
    if (!text_tok || !spec_parse_string(text_tok, &text, NULL) || !text) {
        free(text);
        snprintf(msg, size, "protocol error: PATH TEXT");
        return SPEC_FAIL;
    }
    w2n_instance *inst;
    w2n_trap trap;
    w2n_error err;
    w2n_status st = instantiate(r, path_tok, &inst, &trap, &err);
    spec_outcome out = SPEC_FAIL;
    if (st == W2N_OK) {
        snprintf(msg, size, "instantiated, expected \"%s\"", text);
    } else if (want_trap && st == W2N_ERR_TRAP) {
        out = spec_message_matches(text, trap_text(&trap)) ? SPEC_PASS : SPEC_FAIL;
        snprintf(msg, size, "trapped \"%s\", expected \"%s\"", trap_text(&trap), text);
    } else if (!want_trap && st == W2N_ERR_LINK) {
        out = spec_message_matches(text, err.message) ? SPEC_PASS : SPEC_PASS_MESSAGE;
        snprintf(msg, size, "%s", err.message);
    } else if (st == W2N_ERR_TRAP) {
        snprintf(msg, size, "trapped \"%s\", expected link error \"%s\"", trap_text(&trap), text);
    } else {
        snprintf(msg, size, "%s: %s, expected \"%s\"", w2n_status_name(st), err.message, text);
    }
    free(text);
    return out;
}

/* ---- actions ---------------------------------------------------------------- */

typedef struct action_result {
    w2n_status status; /* W2N_OK, W2N_ERR_TRAP or W2N_ERR_EXCEPTION once it ran */
    w2n_trap trap;
    w2n_value results[64];
    uint32_t nresults;
} action_result;

/* Parse up to `max` arguments; false with msg on a protocol error or when
 * the store cannot make a hostref's handle. */
static bool parse_args(w2n_store *store, spec_cursor *cur, w2n_value *args, uint32_t max,
                       uint32_t *nargs, char *msg, size_t size) {
    const char *count = spec_token(cur);
    char *end;
    unsigned long n = count ? strtoul(count, &end, 10) : 0;
    if (!count || *end || n > max) {
        snprintf(msg, size, "protocol error: argument count");
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *tok = spec_token(cur);
        spec_value v;
        if (!tok || !spec_parse_value(tok, false, &v)) {
            snprintf(msg, size, "protocol error: argument %u", i);
            return false;
        }
        w2n_error err;
        if (!spec_arg_to_runtime(store, &v, &args[i], &err)) {
            snprintf(msg, size, "argument %u: %s", i, err.message);
            return false;
        }
    }
    *nargs = (uint32_t)n;
    return true;
}

static bool invoke(spec_runner *r, w2n_instance *inst, const char *field, size_t field_len,
                   spec_cursor *cur, action_result *res, char *msg, size_t size) {
    w2n_value args[64];
    uint32_t nargs;
    if (!parse_args(r->store, cur, args, 64, &nargs, msg, size))
        return false;
    w2n_extern ext;
    if (w2n_instance_export_n(inst, field, field_len, &ext) != W2N_OK ||
        ext.kind != W2N_EXTERN_FUNC) {
        snprintf(msg, size, "no function export \"%s\"", field);
        return false;
    }
    w2n_functype type = w2n_func_type(r->store, ext.of.func);
    if (type.nresults > 64) {
        snprintf(msg, size, "too many results (%u)", type.nresults);
        return false;
    }
    w2n_error err;
    memset(&err, 0, sizeof err);
    res->nresults = type.nresults;
    res->status = w2n_func_call(r->store, ext.of.func, args, nargs, res->results, type.nresults,
                                &res->trap, &err);
    if (res->status != W2N_OK && res->status != W2N_ERR_TRAP && res->status != W2N_ERR_EXCEPTION) {
        snprintf(msg, size, "call failed: %s: %s", w2n_status_name(res->status), err.message);
        return false;
    }
    return true;
}

/* Run an ACTION; false (with msg) when it could not run at all. */
static bool run_action(spec_runner *r, spec_cursor *cur, action_result *res, char *msg,
                       size_t size) {
    memset(res, 0, sizeof *res);
    const char *kind = spec_token(cur), *mod_tok = spec_token(cur), *field_tok = spec_token(cur);
    char *field = NULL;
    size_t field_len = 0;
    if (!field_tok || !spec_parse_string(field_tok, &field, &field_len) || !field) {
        free(field);
        snprintf(msg, size, "protocol error: action");
        return false;
    }
    bool ran = false;
    w2n_instance *inst = find_instance(r, mod_tok, msg, size);
    if (inst && !strcmp(kind, "invoke")) {
        ran = invoke(r, inst, field, field_len, cur, res, msg, size);
    } else if (inst && !strcmp(kind, "get")) {
        w2n_extern ext;
        if (w2n_instance_export_n(inst, field, field_len, &ext) == W2N_OK &&
            ext.kind == W2N_EXTERN_GLOBAL) {
            res->results[0] = w2n_global_get(ext.of.global);
            res->nresults = 1;
            res->status = W2N_OK;
            ran = spec_gc_global_value(r->store, &res->results[0]);
            if (!ran)
                snprintf(msg, size, "out of memory for a handle");
        } else {
            snprintf(msg, size, "no global export \"%s\"", field);
        }
    } else if (inst) {
        snprintf(msg, size, "protocol error: unknown action %s", kind);
    }
    free(field);
    return ran;
}

/* Run an ACTION that must neither trap nor throw; false (with msg) when it
 * could not run, trapped or ended in an uncaught exception. */
static bool run_untrapped(spec_runner *r, spec_cursor *cur, action_result *res, char *msg,
                          size_t size) {
    if (!run_action(r, cur, res, msg, size))
        return false;
    if (res->status == W2N_ERR_TRAP) {
        snprintf(msg, size, "trapped: %s", trap_text(&res->trap));
        return false;
    }
    if (res->status == W2N_ERR_EXCEPTION) {
        snprintf(msg, size, "uncaught exception");
        return false;
    }
    return true;
}

static spec_outcome cmd_return(spec_runner *r, spec_cursor *cur, char *msg, size_t size) {
    action_result res;
    if (!run_untrapped(r, cur, &res, msg, size))
        return SPEC_FAIL;
    const char *count = spec_token(cur);
    char *end;
    unsigned long n = count ? strtoul(count, &end, 10) : 0;
    if (!count || *end) {
        snprintf(msg, size, "protocol error: result count");
        return SPEC_FAIL;
    }
    if (n != res.nresults) {
        snprintf(msg, size, "%u results, expected %lu", res.nresults, n);
        return SPEC_FAIL;
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *tok = spec_token(cur);
        spec_value want;
        bool matched = false;
        char exp[400] = "";
        /* "either:V1|V2|..." (Wasm 3.0 scripts): any one alternative matches. */
        bool either = tok && !strncmp(tok, "either:", 7);
        for (char *alt = tok ? (char *)tok + (either ? 7 : 0) : NULL; alt && !matched;) {
            char *bar = either ? strchr(alt, '|') : NULL;
            if (bar)
                *bar = '\0';
            if (!spec_parse_value(alt, true, &want)) {
                snprintf(msg, size, "protocol error: expected value %u", i);
                return SPEC_FAIL;
            }
            matched = spec_value_matches(r->store, &want, &res.results[i]);
            size_t used = strlen(exp);
            if (used)
                snprintf(exp + used, sizeof exp - used, " or ");
            used = strlen(exp);
            spec_format_expected(&want, exp + used, sizeof exp - used);
            alt = bar ? bar + 1 : NULL;
        }
        if (!tok) {
            snprintf(msg, size, "protocol error: expected value %u", i);
            return SPEC_FAIL;
        }
        if (!matched) {
            char got[200];
            spec_format_value(r->store, &res.results[i], got, sizeof got);
            snprintf(msg, size, "result %u: got %s, expected %s", i, got, exp);
            return SPEC_FAIL;
        }
    }
    return SPEC_PASS;
}

/* trap and exhaustion: the action must trap with the expected text. */
static spec_outcome cmd_trap(spec_runner *r, spec_cursor *cur, bool exhaustion, char *msg,
                             size_t size) {
    const char *text_tok = spec_token(cur);
    char *text = NULL;
    if (!text_tok || !spec_parse_string(text_tok, &text, NULL) || !text) {
        free(text);
        snprintf(msg, size, "protocol error: TEXT");
        return SPEC_FAIL;
    }
    action_result res;
    spec_outcome out = SPEC_FAIL;
    if (run_action(r, cur, &res, msg, size)) {
        if (res.status == W2N_ERR_EXCEPTION) {
            snprintf(msg, size, "uncaught exception, expected trap \"%s\"", text);
        } else if (res.status != W2N_ERR_TRAP) {
            snprintf(msg, size, "returned, expected trap \"%s\"", text);
        } else {
            const char *actual = trap_text(&res.trap);
            bool ok = spec_message_matches(text, actual) ||
                      (exhaustion && res.trap.code == W2N_TRAP_STACK_EXHAUSTED);
            out = ok ? SPEC_PASS : SPEC_FAIL;
            snprintf(msg, size, "trapped \"%s\", expected \"%s\"", actual, text);
        }
    }
    free(text);
    return out;
}

/* exception (assert_exception): the action must end in an uncaught exception. */
static spec_outcome cmd_exception(spec_runner *r, spec_cursor *cur, char *msg, size_t size) {
    action_result res;
    if (!run_action(r, cur, &res, msg, size))
        return SPEC_FAIL;
    if (res.status == W2N_ERR_EXCEPTION)
        return SPEC_PASS;
    if (res.status == W2N_ERR_TRAP)
        snprintf(msg, size, "trapped \"%s\", expected an exception", trap_text(&res.trap));
    else
        snprintf(msg, size, "returned, expected an exception");
    return SPEC_FAIL;
}

static spec_outcome cmd_action(spec_runner *r, spec_cursor *cur, char *msg, size_t size) {
    action_result res;
    if (!run_untrapped(r, cur, &res, msg, size))
        return SPEC_FAIL;
    return SPEC_PASS;
}

static spec_outcome exec_verb(spec_runner *r, char *line, char *msg, size_t size) {
    spec_cursor cur = {line};
    const char *verb = spec_token(&cur);
    msg[0] = '\0';
    if (!verb) {
        snprintf(msg, size, "protocol error: empty command");
        return SPEC_FAIL;
    }
    if (!strcmp(verb, "module"))
        return cmd_module(r, &cur, msg, size);
    if (!strcmp(verb, "register"))
        return cmd_register(r, &cur, msg, size);
    if (!strcmp(verb, "unlinkable"))
        return cmd_bad_module(r, &cur, false, msg, size);
    if (!strcmp(verb, "uninstantiable"))
        return cmd_bad_module(r, &cur, true, msg, size);
    if (!strcmp(verb, "return"))
        return cmd_return(r, &cur, msg, size);
    if (!strcmp(verb, "trap"))
        return cmd_trap(r, &cur, false, msg, size);
    if (!strcmp(verb, "exhaustion"))
        return cmd_trap(r, &cur, true, msg, size);
    if (!strcmp(verb, "exception"))
        return cmd_exception(r, &cur, msg, size);
    if (!strcmp(verb, "action"))
        return cmd_action(r, &cur, msg, size);
    snprintf(msg, size, "protocol error: unknown command %s", verb);
    return SPEC_FAIL;
}

/* GC handles made for a command's arguments and results (gc_values.c)
 * are released when it ends. */
spec_outcome spec_runner_exec(spec_runner *r, char *line, char *msg, size_t size) {
    size_t scope = w2n_gc_scope_open(r->store);
    spec_outcome out = exec_verb(r, line, msg, size);
    w2n_gc_scope_close(r->store, scope);
    return out;
}
