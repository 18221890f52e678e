# driver_build.sh — sourced by the scripts that run a runtime-only C driver
# on each target (run_driver.sh, stack_frames.sh), which set $here to their
# own folder before sourcing it.
#
# build_driver TARGET DRIVER.c OUT W2N: build DRIVER.c with TARGET's gcc
# straight from the runtime's sources into OUT, and set $run to what runs
# it (nothing on x86-64, qemu-user for aarch64 and riscv64).  Returns 1
# (with a message) when that gcc is not installed.
. "$here/runtime_layout.sh"

build_driver() {
    case $1 in
    x86_64) cc=gcc; run="" ;;
    aarch64) cc=aarch64-linux-gnu-gcc; run="qemu-aarch64" ;;
    riscv64) cc=riscv64-linux-gnu-gcc; run="qemu-riscv64" ;;
    *) echo "unknown target $1"; exit 2 ;;
    esac
    if ! command -v "$cc" >/dev/null; then
        echo "$1: $cc not installed"
        return 1
    fi
    _root=$(cd "$here/../.." && pwd)   # $here: the calling script's folder
    # w2n/version.h (the metadata decoder names the version) is generated beside tools/.
    # -funwind-tables: as the runtime is always built (exceptions and the GC
    # walk the stack through its frames).
    # shellcheck disable=SC2046 # the lists split into words on purpose
    $cc -std=gnu11 -O2 -funwind-tables -Wall -Wextra -Wno-unused-parameter -static $(runtime_includes "$_root") \
        -I"$(dirname "$4")/../generated" \
        "$2" $(runtime_sources "$_root") -lm -lpthread -o "$3"
}
