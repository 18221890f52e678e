/* raytrace.c: a small Whitted-style ray tracer writing a PPM image.
 *
 * usage: raytrace OUT WIDTH HEIGHT
 * Spheres over a checkered plane, two point lights with hard shadows,
 * Blinn-Phong highlights and mirror reflections up to depth 4, 2x2
 * supersampling.  Only IEEE-exact arithmetic is used (+ - * / sqrt; powers
 * by repeated squaring), so every engine must write the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    double x, y, z;
} vec;

static vec v(double x, double y, double z) {
    vec r = {x, y, z};
    return r;
}
static vec add(vec a, vec b) { return v(a.x + b.x, a.y + b.y, a.z + b.z); }
static vec sub(vec a, vec b) { return v(a.x - b.x, a.y - b.y, a.z - b.z); }
static vec scale(vec a, double s) { return v(a.x * s, a.y * s, a.z * s); }
static vec mul(vec a, vec b) { return v(a.x * b.x, a.y * b.y, a.z * b.z); }
static double dot(vec a, vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static vec norm(vec a) { return scale(a, 1.0 / __builtin_sqrt(dot(a, a))); }

struct sphere {
    vec center;
    double radius;
    vec color;
    double reflect;
};

static const struct sphere spheres[] = {
    {{0.0, 1.0, 5.0}, 1.0, {0.9, 0.2, 0.2}, 0.3},   {{-2.2, 0.7, 6.0}, 0.7, {0.2, 0.8, 0.3}, 0.1},
    {{2.0, 0.8, 4.2}, 0.8, {0.2, 0.3, 0.9}, 0.6},   {{-0.8, 0.35, 3.2}, 0.35, {0.9, 0.8, 0.2}, 0.0},
    {{0.9, 0.25, 2.8}, 0.25, {0.8, 0.8, 0.8}, 0.8}, {{0.0, 3.0, 9.0}, 2.0, {0.7, 0.5, 0.9}, 0.2},
};
#define NSPHERES (int)(sizeof spheres / sizeof spheres[0])

static const vec lights[2] = {{-4.0, 6.0, -1.0}, {5.0, 4.0, 2.0}};

/* Nearest hit along o + t*d (d normalised); returns t or -1.  *what is the
 * sphere index, or NSPHERES for the plane y = 0. */
static double intersect(vec o, vec d, int *what) {
    double best = 1e30;
    *what = -1;
    for (int i = 0; i < NSPHERES; i++) {
        vec oc = sub(o, spheres[i].center);
        double b = dot(oc, d);
        double c = dot(oc, oc) - spheres[i].radius * spheres[i].radius;
        double disc = b * b - c;
        if (disc < 0.0)
            continue;
        double s = __builtin_sqrt(disc);
        double t = -b - s;
        if (t < 1e-6)
            t = -b + s;
        if (t > 1e-6 && t < best) {
            best = t;
            *what = i;
        }
    }
    if (d.y < -1e-9) {
        double t = -o.y / d.y;
        if (t > 1e-6 && t < best) {
            best = t;
            *what = NSPHERES;
        }
    }
    return *what >= 0 ? best : -1.0;
}

static double pow32(double x) {
    x = x * x;
    x = x * x;
    x = x * x;
    x = x * x;
    x = x * x;
    return x;
}

static vec trace(vec o, vec d, int depth) {
    int what;
    double t = intersect(o, d, &what);
    if (t < 0.0) {
        double k = 0.5 * (d.y + 1.0);
        return add(scale(v(1.0, 1.0, 1.0), 1.0 - k), scale(v(0.4, 0.6, 1.0), k));
    }
    vec p = add(o, scale(d, t)), n, base;
    double refl;
    if (what == NSPHERES) {
        n = v(0.0, 1.0, 0.0);
        int check = ((int)(p.x + 1000.0) + (int)(p.z + 1000.0)) & 1;
        base = check ? v(0.9, 0.9, 0.9) : v(0.15, 0.15, 0.15);
        refl = 0.15;
    } else {
        n = norm(sub(p, spheres[what].center));
        base = spheres[what].color;
        refl = spheres[what].reflect;
    }
    vec color = scale(base, 0.08);
    for (int l = 0; l < 2; l++) {
        vec to_light = sub(lights[l], p);
        double dist = __builtin_sqrt(dot(to_light, to_light));
        vec ldir = scale(to_light, 1.0 / dist);
        int blocker;
        double ts = intersect(add(p, scale(n, 1e-4)), ldir, &blocker);
        if (ts > 0.0 && ts < dist)
            continue;
        double diffuse = dot(n, ldir);
        if (diffuse <= 0.0)
            continue;
        vec half = norm(sub(ldir, d));
        double spec = dot(n, half);
        spec = spec > 0.0 ? pow32(spec) : 0.0;
        color = add(color, add(scale(base, 0.6 * diffuse), v(0.4 * spec, 0.4 * spec, 0.4 * spec)));
    }
    if (refl > 0.0 && depth < 4) {
        vec r = sub(d, scale(n, 2.0 * dot(d, n)));
        vec rc = trace(add(p, scale(n, 1e-4)), norm(r), depth + 1);
        color = add(scale(color, 1.0 - refl), scale(rc, refl));
    }
    return color;
}

static uint8_t to_byte(double c) {
    if (c <= 0.0)
        return 0;
    if (c >= 1.0)
        return 255;
    return (uint8_t)(c * 255.0 + 0.5);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: raytrace OUT WIDTH HEIGHT\n");
        return 2;
    }
    int w = atoi(argv[2]), h = atoi(argv[3]);
    if (w <= 0 || h <= 0 || w > 8192 || h > 8192) {
        fprintf(stderr, "raytrace: bad size\n");
        return 2;
    }
    uint8_t *img = malloc((size_t)w * (size_t)h * 3);
    if (!img)
        return 1;
    vec eye = v(0.0, 1.2, -1.5);
    double aspect = (double)w / (double)h;
    uint32_t fnv = 2166136261u;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            vec sum = v(0.0, 0.0, 0.0);
            for (int sy = 0; sy < 2; sy++)
                for (int sx = 0; sx < 2; sx++) {
                    double u = ((x + 0.25 + 0.5 * sx) / w * 2.0 - 1.0) * aspect;
                    double vv = 1.0 - (y + 0.25 + 0.5 * sy) / h * 2.0;
                    vec d = norm(v(u, vv - 0.15, 1.6));
                    sum = add(sum, trace(eye, d, 0));
                }
            sum = mul(sum, v(0.25, 0.25, 0.25));
            uint8_t *px = &img[((size_t)y * (size_t)w + (size_t)x) * 3];
            px[0] = to_byte(sum.x);
            px[1] = to_byte(sum.y);
            px[2] = to_byte(sum.z);
            for (int c = 0; c < 3; c++)
                fnv = (fnv ^ px[c]) * 16777619u;
        }
    FILE *f = fopen(argv[1], "wb");
    if (!f) {
        fprintf(stderr, "raytrace: cannot write %s\n", argv[1]);
        return 1;
    }
    fprintf(f, "P6\n%d %d\n255\n", w, h);
    if (fwrite(img, 1, (size_t)w * (size_t)h * 3, f) != (size_t)w * (size_t)h * 3 || fclose(f))
        return 1;
    printf("%dx%d fnv=%08x\n", w, h, fnv);
    free(img);
    return 0;
}
