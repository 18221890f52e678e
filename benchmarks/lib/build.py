"""Building the benchmarks natively and to wasm.

Every artifact is rebuilt only when its command line changed or an input is
newer than it: the command is stored next to the output in OUT.cmd.
"""
import os
import shlex
import subprocess

from . import fetch

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNELS_DIR = os.path.join(HERE, "kernels")
PROGRAMS_DIR = os.path.join(HERE, "programs")
HARNESS_DIR = os.path.join(HERE, "harness")

CC = os.environ.get("BENCH_CC", "clang-19")
# Same flags for every build: no FMA contraction, so float results are
# bit-identical natively (x86-64 or AArch64) and in Wasm.
COMMON = ["-O2", "-ffp-contract=off"]
WASM_KERNEL = ["--target=wasm32", "-nostdlib", "-ffreestanding", "-mbulk-memory",
               "-Wl,--no-entry", "-Wl,-z,stack-size=1048576", "-Wl,--strip-debug"]
# Debian's wasi-libc carries DWARF; strip it (the name section stays) so that
# module sizes and compile time per KiB measure code, not debug info.
WASM_PROGRAM = ["-Wl,--strip-debug"]
VARIANTS = {"scalar": [], "simd": ["-msimd128"]}


class BuildError(Exception):
    pass


class MissingTool(BuildError):
    """A prerequisite is not installed: the benchmark is skipped, not failed."""


def find_wasi_sysroot():
    """The wasi-libc sysroot: $WASI_SYSROOT, Debian's (/usr), or wasi-sdk's."""
    candidates = [os.environ.get("WASI_SYSROOT", ""), "/usr",
                  "/usr/share/wasi-sysroot", "/opt/wasi-sdk/share/wasi-sysroot"]
    for root in candidates:
        if root and (os.path.exists(os.path.join(root, "lib/wasm32-wasi/libc.a")) or
                     os.path.exists(os.path.join(root, "lib/wasm32-wasip1/libc.a"))):
            return root
    return None


def _stale(out, inputs, cmd):
    cmd_file = out + ".cmd"
    if not os.path.exists(out) or not os.path.exists(cmd_file):
        return True
    with open(cmd_file) as f:
        if f.read() != shlex.join(cmd):
            return True
    t = os.path.getmtime(out)
    return any(os.path.getmtime(i) > t for i in inputs)


def run_build(out, inputs, cmd, cwd=None):
    """Runs cmd to produce out unless out is up to date; raises BuildError."""
    if not _stale(out, inputs, cmd):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    except OSError as e:
        raise MissingTool(f"{cmd[0]}: {e.strerror}") from e
    if p.returncode != 0:
        raise BuildError(f"{shlex.join(cmd)}\n{p.stderr.strip()[:2000]}")
    with open(out + ".cmd", "w") as f:
        f.write(shlex.join(cmd))
    return out


def _kernel_src(name):
    if name in ("probe", "empty"):
        return os.path.join(HARNESS_DIR, name + ".c")
    return os.path.join(KERNELS_DIR, name + ".c")


def _deps(*paths):
    return list(paths) + [os.path.join(KERNELS_DIR, "kernel.h")]


class Builder:
    def __init__(self, build_dir, sysroot):
        self.dir = build_dir
        self.sysroot = sysroot

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def native(self, bench):
        out = self.path("native", bench.name)
        if bench.kind == "kernel":
            src = _kernel_src(bench.name)
            main = os.path.join(HARNESS_DIR, "native_main.c")
            cmd = [CC, *COMMON, "-I", KERNELS_DIR, src, main, "-o", out, "-lm"]
            return run_build(out, _deps(src, main), cmd)
        src = os.path.join(PROGRAMS_DIR, bench.name + ".c")
        ext_flags, ext_srcs = self._external(bench, wasi=False)
        cmd = [CC, *COMMON, *ext_flags, src, *ext_srcs, "-o", out, "-lm"]
        return run_build(out, [src, *ext_srcs], cmd)

    def _external(self, bench, wasi):
        """Flags and C files of the fetched source the program builds with."""
        if not bench.external:
            return [], []
        source = fetch.SOURCES[bench.external]
        where = fetch.ensure(self.dir, bench.external)
        flags = ["-I", where, *source.defines,
                 *(source.wasi_defines + source.wasi_flags if wasi else ())]
        return flags, [os.path.join(where, c) for c in source.c_files]

    def wasm(self, bench, variant, bench_n=None):
        """The kernel or program as wasm; bench_n bakes the argument of the
        bench() export in (for wasm-interp)."""
        suffix = "" if variant == "scalar" else "." + variant
        nop = os.path.join(HARNESS_DIR, "wasm_nop.c")
        if bench.kind == "kernel":
            src = _kernel_src(bench.name)
            entry = os.path.join(HARNESS_DIR, "wasm_entry.c")
            tag = f".n{bench_n}" if bench_n is not None else ""
            out = self.path("wasm", f"{bench.name}{suffix}{tag}.wasm")
            srcs = [src, nop] if bench.name == "empty" else [src, entry, nop]
            cmd = [CC, *WASM_KERNEL, *COMMON, *VARIANTS[variant], "-I", KERNELS_DIR,
                   *([f"-DBENCH_N={bench_n}"] if bench_n is not None else []),
                   *srcs, "-o", out]
            return run_build(out, _deps(*srcs), cmd)
        if not self.sysroot:
            raise MissingTool("no wasi-libc sysroot found (Debian: wasi-libc; or set WASI_SYSROOT)")
        src = os.path.join(PROGRAMS_DIR, bench.name + ".c")
        if bench.name == "probe_wasi":
            src = os.path.join(HARNESS_DIR, "probe_wasi.c")
        out = self.path("wasm", f"{bench.name}{suffix}.wasm")
        ext_flags, ext_srcs = self._external(bench, wasi=True)
        libs = fetch.SOURCES[bench.external].wasi_libs if bench.external else ()
        cmd = [CC, "--target=wasm32-wasi", f"--sysroot={self.sysroot}", *COMMON,
               *VARIANTS[variant], *WASM_PROGRAM, *ext_flags, src, *ext_srcs, nop, *libs,
               "-o", out]
        return run_build(out, [src, *ext_srcs, nop], cmd)
