/* hashtable.c: an open-addressing hash table with linear probing
 * (memory-bound kernel: scattered loads over a 1 MiB table).  One unit of
 * work inserts or bumps KEYS pseudo-random keys, looks them and as many
 * others up, and deletes them again with backward-shift deletion. */
#include "kernel.h"

#define SLOTS (1u << 16) /* power of two; at most ~60% full */
#define KEYS 20000

struct slot {
    uint32_t key; /* 0 = empty */
    uint32_t value;
};

static struct slot table[SLOTS];

static inline uint32_t hash(uint32_t k) {
    k ^= k >> 16;
    k *= 0x7feb352du;
    k ^= k >> 15;
    return k & (SLOTS - 1);
}

static void insert(uint32_t key) {
    uint32_t i = hash(key);
    while (table[i].key != 0 && table[i].key != key)
        i = (i + 1) & (SLOTS - 1);
    if (table[i].key == key) {
        table[i].value++;
    } else {
        table[i].key = key;
        table[i].value = 1;
    }
}

static uint32_t lookup(uint32_t key) {
    for (uint32_t i = hash(key);; i = (i + 1) & (SLOTS - 1)) {
        if (table[i].key == key)
            return table[i].value;
        if (table[i].key == 0)
            return 0;
    }
}

static void erase(uint32_t key) {
    uint32_t i = hash(key);
    while (table[i].key != key) {
        if (table[i].key == 0)
            return;
        i = (i + 1) & (SLOTS - 1);
    }
    /* backward-shift deletion keeps probe chains unbroken */
    uint32_t j = i;
    for (;;) {
        table[i].key = 0;
        for (;;) {
            j = (j + 1) & (SLOTS - 1);
            if (table[j].key == 0)
                return;
            uint32_t home = hash(table[j].key);
            /* move j back to i unless its home lies cyclically in (i, j] */
            if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
                break;
        }
        table[i] = table[j];
        i = j;
    }
}

KERNEL_RUN {
    uint32_t h = 0, s = 0xC0FFEEu;
    for (uint32_t i = 0; i < SLOTS; i++)
        table[i].key = table[i].value = 0;
    for (uint32_t r = 0; r < n; r++) {
        uint32_t base = s;
        for (int i = 0; i < KEYS; i++)
            insert((kxorshift(&s) & 0x3ffff) + 1);
        uint32_t t = base, found = 0;
        for (int i = 0; i < KEYS; i++)
            found += lookup((kxorshift(&t) & 0x3ffff) + 1);
        for (int i = 0; i < KEYS; i++)
            found += lookup((kxorshift(&t) & 0x3ffff) + 1) * 3;
        /* erase two thirds, probe again, then erase the rest: the table is
		 * empty again at the end of every round */
        t = base;
        for (int i = 0; i < KEYS; i++) {
            uint32_t k = (kxorshift(&t) & 0x3ffff) + 1;
            if (i % 3 != 0)
                erase(k);
        }
        t = base;
        for (int i = 0; i < KEYS; i++)
            found += lookup((kxorshift(&t) & 0x3ffff) + 1) * 5;
        t = base;
        for (int i = 0; i < KEYS; i++)
            erase((kxorshift(&t) & 0x3ffff) + 1);
        h = kmix(h, found);
    }
    uint32_t live = 0;
    for (uint32_t i = 0; i < SLOTS; i++)
        live += table[i].key != 0;
    return kmix(h, live);
}
