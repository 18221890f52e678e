/*
 * maps_kit.h — this process's mappings, read from /proc/self/maps, for
 * tests that check where and how the runtime mapped something.
 */
#ifndef W2N_MAPS_KIT_H
#define W2N_MAPS_KIT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Protection string ("rw-p") and extent of the mapping holding addr. */
static inline int find_mapping(uintptr_t addr, uintptr_t *start, uintptr_t *end, char prot[5]) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s, e;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 && addr >= s && addr < e) {
            *start = s;
            *end = e;
            memcpy(prot, p, 5);
            found = 1;
            break;
        }
    }
    if (f)
        fclose(f);
    return found;
}

#endif
