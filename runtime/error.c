/*
 * error.c — filling w2n_error values.  Shared by the compiler and the runtime.
 */
#include <stdarg.h>
#include <stdio.h>

#include "w2n/error.h"

w2n_status w2n_error_set(w2n_error *err, w2n_status code, uint64_t offset, const char *fmt, ...) {
    if (!err)
        return code;
    err->code = code;
    err->offset = offset;
    err->func_index = W2N_NO_FUNC;
    err->instruction = NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

const char *w2n_error_format(const w2n_error *err, char *buf, size_t size) {
    unsigned long long at = (unsigned long long)err->offset;
    if (err->instruction && err->func_index != W2N_NO_FUNC && err->offset != W2N_NO_OFFSET)
        snprintf(buf, size, "function %lld, offset 0x%llx: %s: %s", (long long)err->func_index, at,
                 err->instruction, err->message);
    else if (err->offset != W2N_NO_OFFSET)
        snprintf(buf, size, "offset 0x%llx: %s", at, err->message);
    else
        snprintf(buf, size, "%s", err->message);
    return buf;
}

const char *w2n_status_name(w2n_status code) {
    switch (code) {
    case W2N_OK: return "ok";
    case W2N_ERR_MALFORMED: return "malformed module";
    case W2N_ERR_INVALID: return "invalid module";
    case W2N_ERR_IO: return "i/o error";
    case W2N_ERR_NOMEM: return "out of memory";
    case W2N_ERR_BAD_OBJECT: return "bad object";
    case W2N_ERR_LINK: return "link error";
    case W2N_ERR_TRAP: return "trap";
    case W2N_ERR_UNSUPPORTED: return "unsupported";
    case W2N_ERR_ARGUMENT: return "bad argument";
    case W2N_ERR_INTERNAL: return "internal error";
    case W2N_ERR_LIMIT: return "limit exceeded";
    case W2N_ERR_EXCEPTION: return "uncaught exception";
    }
    return "unknown error";
}
