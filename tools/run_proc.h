/*
 * run_proc.h — one number from a /proc file, for the tools' clocks and
 * budgets (run_stop.c: when the process started; compile_budget.c: its
 * address space now).
 */
#ifndef W2N_RUN_PROC_H
#define W2N_RUN_PROC_H

#include <stdbool.h>

/* Field `field` (counted from 1, separated by spaces) of the file at `path`
 * as an unsigned decimal number.  In a /proc/PID/stat file the second field,
 * the command name in parentheses, may itself hold spaces and parentheses:
 * counting resumes after the file's last ')', which ends field 2.  False
 * when the file cannot be read or the field is missing or not a number. */
bool w2n_proc_number(const char *path, unsigned field, unsigned long long *out);

#endif
