/*
 * w2n/error.h — errors as values.
 *
 * Every w2n function that can fail returns a w2n_status and, when it fails,
 * fills a caller-owned w2n_error.  There is no global error buffer.  Traps are
 * not errors: they travel as a w2n_trap (see runtime.h).
 *
 *     w2n_error err;
 *     if (w2n_validate(bytes, len, &err) != W2N_OK)
 *         fprintf(stderr, "%s: offset 0x%llx: %s\n", path,
 *                 (unsigned long long)err.offset, err.message);
 */
#ifndef W2N_ERROR_H
#define W2N_ERROR_H

#include <stddef.h>
#include "w2n/api.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum w2n_status {
    W2N_OK = 0,
    W2N_ERR_MALFORMED,   /* bytes are not a well-formed Wasm binary */
    W2N_ERR_INVALID,     /* well-formed but fails validation */
    W2N_ERR_IO,          /* file could not be read or written */
    W2N_ERR_NOMEM,       /* an allocation or mapping failed */
    W2N_ERR_BAD_OBJECT,  /* a compiled object is corrupt or of another ABI/target */
    W2N_ERR_LINK,        /* an import could not be satisfied */
    W2N_ERR_TRAP,        /* a call trapped; details in the w2n_trap */
    W2N_ERR_UNSUPPORTED, /* valid, but not (yet) supported by w2n */
    W2N_ERR_ARGUMENT,    /* a bad argument from the caller */
    W2N_ERR_INTERNAL,    /* a w2n bug: LLVM refused our IR, and the like */
    W2N_ERR_LIMIT,       /* a documented limit or a host-set budget was exceeded */
    W2N_ERR_EXCEPTION    /* a call ended in an uncaught Wasm exception (w2n_trap.exception) */
} w2n_status;

#define W2N_NO_OFFSET UINT64_MAX
#define W2N_NO_FUNC (-1)

typedef struct w2n_error {
    w2n_status code;
    uint64_t offset;         /* byte offset in the input, or W2N_NO_OFFSET */
    int64_t func_index;      /* Wasm function index, or W2N_NO_FUNC */
    const char *instruction; /* name of the instruction validation rejected, or
                                whose immediates are malformed ("i32.add",
                                static); else NULL */
    char message[256];       /* one line, no trailing newline; the spec's words */
} w2n_error;

/* Fill *err (if not NULL) and return code.  Offset may be W2N_NO_OFFSET. */
W2N_API w2n_status w2n_error_set(w2n_error *err, w2n_status code, uint64_t offset, const char *fmt,
                                 ...) __attribute__((format(printf, 4, 5)));

/* Big enough for any w2n_error_format text. */
#define W2N_ERROR_TEXT_SIZE 384

/* The message with where it happened, as the tools print it after the file
 * name: "function 3, offset 0x2a: i32.add: type mismatch" when validation
 * named the instruction, else "offset 0x2a: MESSAGE" or just "MESSAGE".
 * Writes at most `size` bytes to buf and returns buf. */
W2N_API const char *w2n_error_format(const w2n_error *err, char *buf, size_t size);

/* A short name for a status, e.g. "malformed module". */
W2N_API const char *w2n_status_name(w2n_status code);

#ifdef __cplusplus
}
#endif
#endif
