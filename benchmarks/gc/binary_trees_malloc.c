/*
 * binary_trees_malloc.c — binary_trees_api.c's algorithm with malloc and
 * free: the baseline the GC heap is measured against.
 *
 *   binary_trees_malloc DEPTH
 */
#include <stdio.h>
#include <stdlib.h>

typedef struct node {
    struct node *left, *right;
} node;

static node *make(int depth) {
    node *n = malloc(sizeof *n);
    if (!n) {
        fputs("binary_trees_malloc: out of memory\n", stderr);
        exit(1);
    }
    n->left = depth > 0 ? make(depth - 1) : NULL;
    n->right = depth > 0 ? make(depth - 1) : NULL;
    return n;
}

static long check(const node *n) { return 1 + (n->left ? check(n->left) + check(n->right) : 0); }

static void release(node *n) {
    if (n->left) {
        release(n->left);
        release(n->right);
    }
    free(n);
}

int main(int argc, char **argv) {
    int max_depth = argc > 1 ? atoi(argv[1]) : 10;
    if (max_depth < 6)
        max_depth = 6;
    node *stretch = make(max_depth + 1);
    printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, check(stretch));
    release(stretch);
    node *long_lived = make(max_depth);
    for (int d = 4; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + 4), sum = 0;
        for (long i = 0; i < iterations; i++) {
            node *t = make(d);
            sum += check(t);
            release(t);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, sum);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));
    release(long_lived);
    return 0;
}
