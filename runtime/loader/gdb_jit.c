/*
 * gdb_jit.c — GDB's JIT interface (gdb_jit.h).
 *
 * The names and layouts below are GDB's ("JIT Interface" in GDB's manual,
 * version 1): a doubly linked list of entries, each an address and size of
 * a symbol file, and a function GDB sets a breakpoint on, called after
 * every change with the entry and the action in the descriptor.  One
 * mutex serialises the changes of all threads.
 */
#include "gdb_jit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    JIT_NOACTION = 0,
    JIT_REGISTER_FN = 1,
    JIT_UNREGISTER_FN = 2
};

struct w2n_gdb_jit_entry {
    struct w2n_gdb_jit_entry *next_entry;
    struct w2n_gdb_jit_entry *prev_entry;
    const char *symfile_addr;
    uint64_t symfile_size;
};

struct jit_descriptor {
    uint32_t version;
    uint32_t action_flag;
    w2n_gdb_jit_entry *relevant_entry;
    w2n_gdb_jit_entry *first_entry;
};

/* GDB finds both by name; they must not be optimised away or inlined. */
void __jit_debug_register_code(void);
extern struct jit_descriptor __jit_debug_descriptor;

/* The memory clobber keeps the descriptor stores before the call. */
__attribute__((noinline, used)) void __jit_debug_register_code(void) {
    __asm__ volatile("" ::: "memory");
}
__attribute__((used)) struct jit_descriptor __jit_debug_descriptor = {1, JIT_NOACTION, NULL, NULL};

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

static void notify(w2n_gdb_jit_entry *entry, uint32_t action) {
    __jit_debug_descriptor.relevant_entry = entry;
    __jit_debug_descriptor.action_flag = action;
    __jit_debug_register_code();
    __jit_debug_descriptor.action_flag = JIT_NOACTION;
}

/* sh_addr of section i in a copy of a little-endian ELF64 file. */
static void set_section_addr(uint8_t *copy, size_t size, uint32_t i, uint64_t addr) {
    uint64_t shoff = 0;
    uint16_t shentsize = (uint16_t)(copy[58] | copy[59] << 8);
    for (int b = 0; b < 8; b++)
        shoff |= (uint64_t)copy[40 + b] << (8 * b);
    uint64_t at = shoff + (uint64_t)i * shentsize + 16;
    if (shentsize < 24 || at > size - 8)
        return;
    for (int b = 0; b < 8; b++)
        copy[at + b] = (uint8_t)(addr >> (8 * b));
}

w2n_gdb_jit_entry *w2n_gdb_jit_register(const uint8_t *bytes, size_t size, const w2n_elf *elf,
                                        const uint64_t *section_addr) {
    w2n_gdb_jit_entry *entry = calloc(1, sizeof *entry);
    uint8_t *copy = malloc(size);
    if (!entry || !copy || size < 64) {
        free(entry);
        free(copy);
        return NULL;
    }
    memcpy(copy, bytes, size);
    for (uint32_t i = 1; i < elf->nsections; i++)
        if (section_addr[i])
            set_section_addr(copy, size, i, section_addr[i]);
    entry->symfile_addr = (const char *)copy;
    entry->symfile_size = size;
    pthread_mutex_lock(&jit_lock);
    entry->next_entry = __jit_debug_descriptor.first_entry;
    if (entry->next_entry)
        entry->next_entry->prev_entry = entry;
    __jit_debug_descriptor.first_entry = entry;
    notify(entry, JIT_REGISTER_FN);
    pthread_mutex_unlock(&jit_lock);
    return entry;
}

void w2n_gdb_jit_unregister(w2n_gdb_jit_entry *entry) {
    if (!entry)
        return;
    pthread_mutex_lock(&jit_lock);
    if (entry->prev_entry)
        entry->prev_entry->next_entry = entry->next_entry;
    else
        __jit_debug_descriptor.first_entry = entry->next_entry;
    if (entry->next_entry)
        entry->next_entry->prev_entry = entry->prev_entry;
    notify(entry, JIT_UNREGISTER_FN);
    pthread_mutex_unlock(&jit_lock);
    free((void *)entry->symfile_addr);
    free(entry);
}

static bool traced(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long pid = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "TracerPid:", 10)) {
            pid = strtol(line + 10, NULL, 10);
            break;
        }
    if (f)
        fclose(f);
    return pid != 0;
}

bool w2n_gdb_jit_wanted(void) {
    const char *e = getenv("W2N_GDB_JIT");
    if (e && *e)
        return strcmp(e, "0") != 0;
    return traced();
}
