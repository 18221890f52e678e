/* nbody.c: gravitational n-body simulation with softening (dense float
 * kernel, with sqrt and division).  One unit of work is one time step of
 * all-pairs forces over NB bodies. */
#include "kernel.h"

#define NB 64

struct body {
    double x, y, z, vx, vy, vz, m;
};

static struct body bodies[NB];

static void init(void) {
    uint32_t s = 12345;
    for (int i = 0; i < NB; i++) {
        struct body *b = &bodies[i];
        b->x = (double)(kxorshift(&s) % 2000) * 0.001 - 1.0;
        b->y = (double)(kxorshift(&s) % 2000) * 0.001 - 1.0;
        b->z = (double)(kxorshift(&s) % 2000) * 0.001 - 1.0;
        b->vx = (double)(kxorshift(&s) % 200) * 0.0001 - 0.01;
        b->vy = (double)(kxorshift(&s) % 200) * 0.0001 - 0.01;
        b->vz = (double)(kxorshift(&s) % 200) * 0.0001 - 0.01;
        b->m = 0.001 + (double)(kxorshift(&s) % 100) * 0.0001;
    }
}

static void step(double dt) {
    for (int i = 0; i < NB; i++) {
        double ax = 0.0, ay = 0.0, az = 0.0;
        for (int j = 0; j < NB; j++) {
            double dx = bodies[j].x - bodies[i].x;
            double dy = bodies[j].y - bodies[i].y;
            double dz = bodies[j].z - bodies[i].z;
            double d2 = dx * dx + dy * dy + dz * dz + 0.01;
            double inv = 1.0 / (d2 * __builtin_sqrt(d2));
            ax += dx * bodies[j].m * inv;
            ay += dy * bodies[j].m * inv;
            az += dz * bodies[j].m * inv;
        }
        bodies[i].vx += ax * dt;
        bodies[i].vy += ay * dt;
        bodies[i].vz += az * dt;
    }
    for (int i = 0; i < NB; i++) {
        bodies[i].x += bodies[i].vx * dt;
        bodies[i].y += bodies[i].vy * dt;
        bodies[i].z += bodies[i].vz * dt;
    }
}

KERNEL_RUN {
    init();
    for (uint32_t r = 0; r < n; r++)
        step(0.001);
    double e = 0.0;
    for (int i = 0; i < NB; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    }
    uint32_t h = kbits64(e);
    for (int i = 0; i < NB; i++)
        h = kmix(h, kbits64(bodies[i].x + bodies[i].y + bodies[i].z));
    return h;
}
