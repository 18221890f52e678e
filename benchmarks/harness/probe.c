/* probe.c: the kernel the runner compiles first with every engine that needs
 * a build step (w2n in both bounds-check modes).  If it does not give the
 * expected answer, the engine is reported as not available and skipped. */
#include "kernel.h"

KERNEL_RUN {
    uint32_t h = 0;
    for (uint32_t i = 0; i < n; i++)
        h = kmix(h, i);
    return h;
}
