# runtime_layout.sh — sourced by the scripts that build the runtime straight
# from its sources with a target's gcc (driver_build.sh, cpu_check.sh,
# reloc_smoke.sh): where those sources and headers lie, so that a change to
# the layout (docs/architecture.md) is made here once.
#
#   runtime_includes ROOT        the -I options for include/, common/ and
#                                the runtime's private headers
#   runtime_sources ROOT [wasi]  the .c files of common/ and runtime/ (the
#                                signature check without libsodium; wasi/
#                                only when asked)
runtime_includes() {
    printf -- '-I%s ' "$1/include" "$1/common" "$1/runtime" "$1/runtime/loader" \
        "$1/runtime/core" "$1/runtime/arch" "$1/runtime/gc"
}

runtime_sources() {
    printf '%s ' "$1"/common/*.c "$1/common/sign/sign_none.c" "$1"/runtime/loader/*.c \
        "$1"/runtime/core/*.c "$1"/runtime/arch/*.c "$1"/runtime/gc/*.c
    if [ "${2:-}" = wasi ]; then printf '%s ' "$1"/runtime/wasi/*.c; fi
}
