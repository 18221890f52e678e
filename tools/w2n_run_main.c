/* w2n_run_main.c: placeholder, replaced by its owner's first commit. */
#include <stdio.h>
int main(void) { fprintf(stderr, "w2n-run: not built yet\n"); return 2; }
