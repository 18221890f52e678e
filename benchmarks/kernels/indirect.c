/* indirect.c: calls through function-pointer tables (call-heavy kernel:
 * call_indirect with its type check in Wasm, indirect calls natively).
 * A table of small operations is driven by a pseudo-random opcode stream,
 * and a "virtual method" is called on an array of shapes with per-kind
 * vtables.  One unit of work is BATCH table calls and a pass over the shapes. */
#include "kernel.h"

#define BATCH 4096
#define SHAPES 256

typedef uint32_t (*op_fn)(uint32_t acc, uint32_t x);

static uint32_t op_add(uint32_t a, uint32_t x) { return a + x; }
static uint32_t op_sub(uint32_t a, uint32_t x) { return a - x; }
static uint32_t op_xor(uint32_t a, uint32_t x) { return a ^ x; }
static uint32_t op_mul(uint32_t a, uint32_t x) { return a * (x | 1); }
static uint32_t op_rotl(uint32_t a, uint32_t x) { return (a << (x & 31)) | (a >> ((32 - x) & 31)); }
static uint32_t op_min(uint32_t a, uint32_t x) { return a < x ? a : x; }
static uint32_t op_max(uint32_t a, uint32_t x) { return a > x ? a : x; }
static uint32_t op_avg(uint32_t a, uint32_t x) { return (a >> 1) + (x >> 1); }

static op_fn const ops[8] = {op_add, op_sub, op_xor, op_mul, op_rotl, op_min, op_max, op_avg};

struct shape;
struct shape_vtable {
    int32_t (*area)(const struct shape *);
    int32_t (*perimeter)(const struct shape *);
};
struct shape {
    const struct shape_vtable *vt;
    int32_t a, b;
};

static int32_t rect_area(const struct shape *s) { return s->a * s->b; }
static int32_t rect_perim(const struct shape *s) { return 2 * (s->a + s->b); }
static int32_t square_area(const struct shape *s) { return s->a * s->a; }
static int32_t square_perim(const struct shape *s) { return 4 * s->a; }
static int32_t tri_area(const struct shape *s) { return s->a * s->b / 2; }
static int32_t tri_perim(const struct shape *s) {
    return s->a + s->b + (s->a > s->b ? s->a : s->b);
}

static const struct shape_vtable vtables[3] = {
    {rect_area, rect_perim},
    {square_area, square_perim},
    {tri_area, tri_perim},
};

static struct shape shapes[SHAPES];

KERNEL_RUN {
    uint32_t s = 0xFACADEu, acc = 1, h = 0;
    for (int i = 0; i < SHAPES; i++) {
        shapes[i].vt = &vtables[kxorshift(&s) % 3];
        shapes[i].a = (int32_t)(kxorshift(&s) % 100) + 1;
        shapes[i].b = (int32_t)(kxorshift(&s) % 100) + 1;
    }
    for (uint32_t r = 0; r < n; r++) {
        for (int i = 0; i < BATCH; i++) {
            uint32_t x = kxorshift(&s);
            acc = ops[x >> 29](acc, x);
        }
        int32_t total = 0;
        for (int i = 0; i < SHAPES; i++) {
            const struct shape *sh = &shapes[(i + r) % SHAPES];
            total += sh->vt->area(sh) - sh->vt->perimeter(sh);
        }
        h = kmix(h, acc ^ (uint32_t)total);
    }
    return h;
}
