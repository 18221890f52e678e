/*
 * run_cli.h — the `run` command line shared by `w2n run` and `w2n-run`.
 *
 *   PROG [--dir HOST[::GUEST]]... [--env K=V]... [--inherit-env] [--invoke NAME]
 *        [--stack-size N] [--bounds-checks=guard|explicit] [--max-memory BYTES]
 *        [--max-table-elements N] [--max-open-files N] FILE [ARGS...]
 *
 * Options come before FILE; everything after FILE belongs to the program
 * (its argv[0] is FILE's base name).  FILE is a compiled object (ELF), or a
 * .wasm module when the caller passes a compile function (w2n run does,
 * w2n-run does not).
 *
 * Without --invoke the module is run as a WASI command: `_start` is called
 * and the process exits with the program's status.  With --invoke NAME the
 * export NAME is called with ARGS parsed by its parameter types and each
 * result is printed on its own line (formats in run_args.h).
 *
 * Exit codes:
 *   the program's proc_exit status, or 0 when _start (or NAME) returns
 *   W2N_RUN_EXIT_TRAP (134) when the program traps; stderr gets
 *                     "w2n: trap: <message>"
 *   W2N_EXIT_LIMIT (4) when a resource limit (--max-memory, ...) refuses
 *                     the module at instantiation
 *   W2N_RUN_EXIT_TRAP (134) when the program traps (--fuel running out
 *                     included); stderr gets "w2n: trap: <message>"
 *   W2N_EXIT_TIMEOUT (124) when --timeout ends it: "w2n: timeout: ..."
 *   W2N_EXIT_SIGINT (130), W2N_EXIT_SIGTERM (143) when the signal ends it
 *   W2N_RUN_EXIT_ERROR (1) for any other failure (unreadable file, bad
 *                     object, unknown import or export, bad argument)
 *   W2N_RUN_EXIT_USAGE (2) for a bad command line
 *   W2N_EXIT_LIMIT (4) when a .wasm exceeds a limit of w2n's or a compile
 *                     budget (--max-compile-memory, --max-compile-time)
 */
#ifndef W2N_RUN_CLI_H
#define W2N_RUN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/compiler_flags.h"
#include "w2n/error.h"

#include "compile_budget.h"
#include "exit_status.h"
#include "run_args.h"

#define W2N_RUN_EXIT_ERROR W2N_EXIT_ERROR
#define W2N_RUN_EXIT_USAGE W2N_EXIT_USAGE
#define W2N_RUN_EXIT_TRAP W2N_EXIT_TRAP

/* Compile a .wasm module held in memory to an object for this host, within
 * `budget`; *out_obj is malloc'd. */
typedef w2n_status (*w2n_run_compile_fn)(const uint8_t *wasm, size_t size, const w2n_run_options *o,
                                         uint8_t **out_obj, size_t *out_size, w2n_error *err);

/* argv[0] is the command's name (ignored), the options start at argv[1].
 * `prog` prefixes error messages ("w2n run", "w2n-run").  Returns the
 * process exit code. */
int w2n_run_cli(const char *prog, int argc, char **argv, w2n_run_compile_fn compile);

/* Point the runtime's seal cache at the command line's default directory,
 * $XDG_CACHE_HOME/w2n/seals or ~/.cache/w2n/seals ($W2N_SEAL_CACHE, when
 * set, still wins). */
void w2n_run_set_seal_cache(void);

/* The main of an executable made by `w2n compile --exe`: run `object`, held
 * in the executable, as a WASI command with the process's argv.  Run
 * options (--dir, --max-memory, ...) come from `baked_options` (given at
 * compile time, words separated by spaces) and then from the environment
 * variable W2N_RUN_OPTIONS; everything in argv belongs to the program. */
int w2n_run_embedded(const uint8_t *object, size_t size, const char *baked_options, int argc,
                     char **argv);

#endif
