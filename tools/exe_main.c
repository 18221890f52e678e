/*
 * exe_main.c — the main of an executable made by `w2n compile --exe`.
 *
 * The compile links this file (from libw2n-exe.a) with the runtime and a
 * small assembly file of its own that holds the object's bytes and the run
 * options given at compile time (tools/exe_link.c writes it).
 */
#include <stddef.h>
#include <stdint.h>

#include "run_cli.h"

extern const uint8_t w2n_exe_object[];
extern const uint8_t w2n_exe_object_end[];
extern const char w2n_exe_run_options[];

int main(int argc, char **argv) {
    return w2n_run_embedded(w2n_exe_object, (size_t)(w2n_exe_object_end - w2n_exe_object),
                            w2n_exe_run_options, argc, argv);
}
