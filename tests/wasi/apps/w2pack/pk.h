/* pk.h — shared pieces of w2pack: status codes, the error value every
 * function fills, a growable byte buffer and little-endian field helpers.
 *
 * Every fallible function returns a pk_status and, on failure, leaves a
 * message in its pk_err.  Messages never contain host errno text, so the
 * native and the wasm32-wasi builds print the same words. */
#ifndef W2PACK_PK_H
#define W2PACK_PK_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes of the tool are these values. */
enum pk_status {
    PK_OK = 0,
    PK_EIO = 1,      /* a file could not be read or written */
    PK_EUSAGE = 2,   /* bad command line */
    PK_ECORRUPT = 3, /* an archive failed a check */
    PK_ENOMEM = 4,
    PK_ESCRIPT = 5, /* a script command ended with an unexpected status */
};

typedef struct pk_err {
    int status;
    char msg[320];
} pk_err;

/* Fill E and return STATUS, so callers can `return pk_fail(...)`. */
int pk_fail(pk_err *e, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same with " (REASON)" appended, REASON taken from errno. */
int pk_fail_errno(pk_err *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef struct pk_buf {
    uint8_t *data;
    size_t len, cap;
} pk_buf;

int pk_buf_reserve(pk_buf *b, size_t extra, pk_err *e);
int pk_buf_append(pk_buf *b, const void *p, size_t n, pk_err *e);
int pk_buf_put_u8(pk_buf *b, uint8_t v, pk_err *e);
int pk_buf_put_u16(pk_buf *b, uint16_t v, pk_err *e);
int pk_buf_put_u32(pk_buf *b, uint32_t v, pk_err *e);
int pk_buf_put_u64(pk_buf *b, uint64_t v, pk_err *e);
void pk_buf_free(pk_buf *b);

uint16_t pk_get_u16(const uint8_t *p);
uint32_t pk_get_u32(const uint8_t *p);
uint64_t pk_get_u64(const uint8_t *p);
void pk_put_u32(uint8_t *p, uint32_t v);
void pk_put_u64(uint8_t *p, uint64_t v);

#endif
