/*
 * commands.h — the subcommands of the w2n tool, one file each (cmd_*.c).
 * Each takes the arguments after its name (argv[0] is the subcommand) and
 * returns the process exit code.
 */
#ifndef W2N_COMMANDS_H
#define W2N_COMMANDS_H

int w2n_cmd_compile(int argc, char **argv);
int w2n_cmd_run(int argc, char **argv);
int w2n_cmd_validate(int argc, char **argv);
int w2n_cmd_inspect(int argc, char **argv);
int w2n_cmd_keygen(int argc, char **argv);
int w2n_cmd_compare(int argc, char **argv);

#endif
