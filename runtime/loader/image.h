/*
 * image.h — a compiled object mapped into memory and ready to run.
 *
 * elf.c reads and checks the ELF64 relocatable object (it maps nothing);
 * image.c lays its allocatable sections out in one mapping, resolves symbols
 * (defined ones, and the allow-listed library calls of libcalls.c), applies
 * relocations through the per-architecture tables (reloc_<arch>.c), adds call
 * stubs where a target is out of direct-branch range, and finally protects
 * code read+execute and data read-only or read-write: never W and X at once.
 */
#ifndef W2N_IMAGE_H
#define W2N_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "memory_image.h"
#include "w2n/abi.h"
#include "w2n/error.h"

typedef struct w2n_image w2n_image;

/* Load an object for `arch` (the host's, in practice).  Every offset, size,
 * index and relocation is checked; failures are W2N_ERR_BAD_OBJECT with a
 * message such as "relocation type 42 (R_X86_64_GOTPCRELX) not supported"
 * or "undefined symbol 'printf' (not an allowed library call)". */
w2n_status w2n_image_load(const uint8_t *bytes, size_t size, w2n_arch arch, w2n_image **out,
                          w2n_error *err);
void w2n_image_free(w2n_image *img);

/* Address of a defined global symbol inside the image, or NULL. */
void *w2n_image_symbol(const w2n_image *img, const char *name);

/* The same, and the symbol's size in bytes (its ELF st_size; 0 if absent). */
void *w2n_image_symbol_sized(const w2n_image *img, const char *name, uint64_t *out_size);

/* Contents of a non-allocated section copied out of the object (for
 * ".w2n.module"), or NULL if absent.  Valid while the image lives. */
const uint8_t *w2n_image_section(const w2n_image *img, const char *name, size_t *out_size);

/* The object's `.llvm_stackmaps` as mapped and relocated (its function
 * addresses absolute), or NULL: what the GC reads (runtime/gc/stackmap.h). */
const uint8_t *w2n_image_stackmaps(const w2n_image *img, size_t *out_size);

/* Does `pc` lie in this image's code?  (The trap handler asks.) */
int w2n_image_contains_code(const w2n_image *img, uintptr_t pc);

/* Was it compiled with exceptions (it names the personality routine)?  A
 * throw must not unwind the frames of code compiled without. */
bool w2n_image_handles_exceptions(const w2n_image *img);

/* Name of the function symbol containing pc, or NULL (for backtraces). */
const char *w2n_image_symbolize(const w2n_image *img, uintptr_t pc);
/* Address of the function symbol containing pc, or 0. */
uintptr_t w2n_image_function_start(const w2n_image *img, uintptr_t pc);
/* The line-table row of pc (objects compiled with -g) and its file name,
 * or NULL; the file lives as long as the image. */
struct w2n_line_row;
const struct w2n_line_row *w2n_image_line(const w2n_image *img, uintptr_t pc,
                                          const char **out_file);

/* One "START SIZE NAME" line (hex, hex, symbol) per function symbol in code:
 * the format of the /tmp/perf-PID.map files from which perf names code that
 * no file backs.  False if writing failed. */
bool w2n_image_write_perf_map(const w2n_image *img, FILE *out);

/* For tests and tools: like w2n_image_load, but ask the kernel to place the
 * mapping near `hint` (0: anywhere), e.g. far from libc to force call stubs. */
w2n_status w2n_image_load_at(const uint8_t *bytes, size_t size, w2n_arch arch, uintptr_t hint,
                             w2n_image **out, w2n_error *err);

/* Load from an object's file: `bytes` are its contents (size without the
 * seal) and `fd` the file they came from, open for reading (-1: none).  An
 * object laid out for mapping (common/image_layout.h) then gets its code
 * and read-only data as private pages of the file, not copies; other
 * objects, or without a file, are copied.  The fd may be closed after. */
w2n_status w2n_image_load_file(const uint8_t *bytes, size_t size, int fd, w2n_arch arch,
                               uintptr_t hint, w2n_image **out, w2n_error *err);

/* Were code and read-only data mapped from the object's file? */
bool w2n_image_mapped_from_file(const w2n_image *img);

/* The module's initial memory image (common/memory_image.h), if the object
 * has one: its pages are `length` bytes of the file `*fd` from
 * `*file_offset` (mappable on this host), or, without a file, `*bytes`. */
bool w2n_image_memory_image(const w2n_image *img, w2n_memory_image *out, int *fd,
                            uint64_t *file_offset, const uint8_t **bytes);

/* For tests and tools: the mapping's address and size, and how many
 * relocations went through a call stub (veneer). */
uintptr_t w2n_image_base(const w2n_image *img, size_t *out_size);
size_t w2n_image_stub_uses(const w2n_image *img);

/* The host's architecture. */
w2n_arch w2n_host_arch(void);
const char *w2n_arch_name(w2n_arch arch);

#endif
