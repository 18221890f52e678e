/* bits.c — bit writer and reader (see bits.h).
 *
 * Invariant of both: acc holds n valid bits at its low end and zeros above,
 * so a peek past the end of input naturally reads zeros. */
#include "bits.h"

void pk_bitw_init(pk_bitw *w, pk_buf *out) {
    w->out = out;
    w->acc = 0;
    w->n = 0;
}

int pk_bitw_put(pk_bitw *w, uint32_t bits, unsigned count, pk_err *e) {
    if (count < 32)
        bits &= (1u << count) - 1;
    w->acc |= (uint64_t)bits << w->n;
    w->n += count;
    if (w->n < 32)
        return PK_OK;
    int st = pk_buf_reserve(w->out, 8, e); /* n < 64: at most 7 bytes */
    if (st)
        return st;
    uint8_t *dst = w->out->data + w->out->len;
    while (w->n >= 8) {
        *dst++ = (uint8_t)w->acc;
        w->acc >>= 8;
        w->n -= 8;
    }
    w->out->len = (size_t)(dst - w->out->data);
    return PK_OK;
}

int pk_bitw_flush(pk_bitw *w, pk_err *e) {
    while (w->n > 0) {
        int st = pk_buf_put_u8(w->out, (uint8_t)w->acc, e);
        if (st)
            return st;
        w->acc >>= 8;
        w->n = w->n >= 8 ? w->n - 8 : 0;
    }
    w->acc = 0;
    return PK_OK;
}

void pk_bitr_init(pk_bitr *r, const uint8_t *p, size_t n) {
    r->p = p;
    r->end = p + n;
    r->acc = 0;
    r->n = 0;
    r->overrun = 0;
}

static void refill(pk_bitr *r) {
    while (r->n <= 56 && r->p < r->end) {
        r->acc |= (uint64_t)*r->p++ << r->n;
        r->n += 8;
    }
}

uint32_t pk_bitr_peek(pk_bitr *r, unsigned count) {
    if (r->n < count)
        refill(r);
    uint64_t mask = count >= 32 ? 0xffffffffu : (1u << count) - 1;
    return (uint32_t)(r->acc & mask);
}

void pk_bitr_skip(pk_bitr *r, unsigned count) {
    if (r->n < count)
        refill(r);
    if (count > r->n) {
        r->overrun = 1;
        r->acc = 0;
        r->n = 0;
        return;
    }
    r->acc >>= count;
    r->n -= count;
}

uint32_t pk_bitr_get(pk_bitr *r, unsigned count) {
    uint32_t v = pk_bitr_peek(r, count);
    pk_bitr_skip(r, count);
    return v;
}

size_t pk_bitr_left(const pk_bitr *r) { return (size_t)(r->end - r->p) + r->n / 8; }
