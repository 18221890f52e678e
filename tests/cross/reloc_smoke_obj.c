/*
 * reloc_smoke_obj.c — the object the cross smoke test loads: code that makes
 * LLVM emit the relocations of our code model on each target (calls, data
 * pages, jump tables, pointer tables, libcalls, GOT forms with -fPIC).
 */
#include <string.h>

static int table[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
int counter;
long big[1000];
const char *msg = "hello";

int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
int (*const ops[])(int, int) = {add, sub, mul};

int apply(int i, int a, int b) { return ops[i % 3](a, b); }

int sum_table(int n) {
    int s = 0;
    for (int i = 0; i < n && i < 16; i++)
        s += table[i];
    counter++;
    return s;
}

int sw(int x) {
    switch (x) {
    case 0: return 10;
    case 1: return 22;
    case 2: return 37;
    case 3: return 41;
    case 4: return 53;
    case 5: return 66;
    case 6: return 71;
    default: return -1;
    }
}

long fill(int n) {
    long s = 0;
    for (int i = 0; i < n && i < 1000; i++)
        big[i] = i;
    for (int i = 0; i < n && i < 1000; i++)
        s += big[i];
    return s + counter;
}

void move(char *d, const char *s, unsigned long n) { memmove(d, s, n); }
void set(char *d, int c, unsigned long n) { memset(d, c, n); }
double fl(double x) { return __builtin_floor(x); }
double nearest(double x) { return __builtin_roundeven(x); }
int msgsum(void) { return msg[0] + msg[4]; }
