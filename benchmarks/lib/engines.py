"""The engines a benchmark runs on, and how each one is invoked.

An engine first probes whether it can run at all (tool installed, and for
w2n: the probe kernel compiles and gives the right answer); an engine that
cannot is skipped with the reason, never a crash.  prepare() builds what the
engine needs for one benchmark (raises Skip when the engine cannot run that
benchmark, BuildError when a build that should work failed), argv() gives
the command line, output() turns its stdout into the text compared with the
native build's.
"""
import os
import re
import shutil
import subprocess

from . import build
from .suite import Kernel, Program

HERE = build.HERE
NODE_RUNNER = os.path.join(HERE, "node_runner.mjs")
GUEST_DIR = "/data"


class Skip(Exception):
    pass


def _first_line(text):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:160]
    return "no output"


def _kernel_output(stdout):
    """The last integer printed, as an unsigned 32-bit decimal: engines differ
    in sign and may decorate the value (e.g. "i32:-5")."""
    numbers = re.findall(r"-?\d+", stdout.strip().splitlines()[-1]) if stdout.strip() else []
    if not numbers:
        return f"<{_first_line(stdout)}>"
    return str(int(numbers[-1]) & 0xFFFFFFFF)


def _version_of(tool):
    try:
        p = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30)
        return _first_line(p.stdout or p.stderr)
    except OSError:
        return "?"


class Engine:
    key = ""
    label = ""
    kinds = ("kernel", "program")
    variants = ("scalar", "simd")
    guest = True        # WASI programs see files under GUEST_DIR
    scaled = False      # runs kernels at the smaller "interp" size
    single_cpu = True   # --interleave may pin its runs to one CPU a round

    def __init__(self, ctx):
        self.ctx = ctx

    def probe(self):
        """None if usable, else the reason it is skipped."""
        return None

    def prepare(self, bench, variant, n=None):
        return self.ctx.builder.wasm(bench, variant)

    def argv(self, prep, bench, n=None, rundir=None, args=()):
        raise NotImplementedError

    def output(self, stdout):
        return _kernel_output(stdout)


class Native(Engine):
    key, label = "native", "native"
    variants = ("native",)
    guest = False

    def probe(self):
        return None if shutil.which(build.CC) else f"{build.CC} not found"

    def prepare(self, bench, variant, n=None):
        return self.ctx.builder.native(bench)

    def argv(self, prep, bench, n=None, rundir=None, args=()):
        return [prep, str(n)] if bench.kind == "kernel" else [prep, *args]


class W2n(Engine):
    """w2n: `w2n compile` ahead of time, then `w2n-run`.  `stop` builds the
    guard-mode code with a way to stop it: "interruptible" (--interruptible)
    or "fuel" (--fuel, run with no budget), to measure what each costs."""

    STOP_LABELS = {None: None, "interruptible": "w2n --interruptible", "fuel": "w2n --fuel"}

    def __init__(self, ctx, mode, stop=None):
        super().__init__(ctx)
        self.mode = mode
        self.stop = stop
        self.key = f"w2n-{stop or mode}"
        self.label = self.STOP_LABELS[stop] or (
            "w2n guard pages" if mode == "guard" else "w2n explicit checks")
        self.compiler = os.path.join(ctx.w2n_dir, "w2n")
        self.runner = os.path.join(ctx.w2n_dir, "w2n-run")
        self.wasi_reason = None

    def compile(self, wasm, out):
        cmd = [self.compiler, "compile", f"-O{self.ctx.w2n_opt}",
               f"--bounds-checks={self.mode}", *([f"--{self.stop}"] if self.stop else []),
               wasm, "-o", out]
        return build.run_build(out, [wasm, self.compiler], cmd)

    def probe(self):
        for tool in (self.compiler, self.runner):
            if not os.access(tool, os.X_OK):
                return f"w2n not built ({tool} missing)"
        probe = Kernel("probe", "", 0, 0, 0)
        try:
            wasm = self.ctx.builder.wasm(probe, "scalar")
            obj = self.compile(wasm, self.ctx.builder.path("w2n", self.key, "probe.o"))
            p = subprocess.run([self.runner, "--invoke", "run", obj, "1000"],
                               capture_output=True, text=True, timeout=60)
        except (build.BuildError, subprocess.TimeoutExpired) as e:
            return f"w2n not built (probe failed: {_first_line(str(e).splitlines()[-1])})"
        want = self.ctx.reference_probe()
        if p.returncode != 0 or _kernel_output(p.stdout) != want:
            return (f"w2n not built (probe kernel: exit {p.returncode}, "
                    f"{_first_line(p.stdout + p.stderr)})")
        # WASI: a small program must work before the real ones are tried
        try:
            pw = Program("probe_wasi", "", args=())
            wasm = self.ctx.builder.wasm(pw, "scalar")
            obj = self.compile(wasm, self.ctx.builder.path("w2n", self.key, "probe_wasi.o"))
            rundir = self.ctx.rundir(self.key, "probe_wasi")
            p = subprocess.run([self.runner, "--dir", f"{rundir}::{GUEST_DIR}", obj,
                                "hello", f"{GUEST_DIR}/probe.txt"],
                               capture_output=True, text=True, timeout=60)
            with open(os.path.join(rundir, "probe.txt")) as f:
                ok = p.returncode == 0 and p.stdout.strip() == "hello" and f.read() == "hello"
        except (build.BuildError, subprocess.TimeoutExpired, OSError) as e:
            ok, p = False, None
        if not ok:
            self.wasi_reason = "w2n-run WASI probe failed" + (
                f": {_first_line(p.stdout + p.stderr)}" if p else "")
        return None

    def prepare(self, bench, variant, n=None):
        if bench.kind == "program" and self.wasi_reason:
            raise Skip(self.wasi_reason)
        wasm = self.ctx.builder.wasm(bench, variant)
        suffix = "" if variant == "scalar" else "." + variant
        return self.compile(wasm, self.ctx.builder.path("w2n", self.key, bench.name + suffix + ".o"))

    def argv(self, prep, bench, n=None, rundir=None, args=()):
        if bench.kind == "kernel":
            return [self.runner, "--invoke", "run", prep, str(n)]
        return [self.runner, "--dir", f"{rundir}::{GUEST_DIR}", prep, *args]


class Node(Engine):
    def __init__(self, ctx, tier):
        super().__init__(ctx)
        self.tier = tier
        self.key = f"v8-{tier}"
        self.label = "V8 TurboFan" if tier == "turbofan" else "V8 Liftoff"
        # TurboFan for every function from the start (no tier-up timing
        # effects; V8 has no on-stack replacement for Wasm, so a long-running
        # loop would otherwise stay in Liftoff code); Liftoff alone.
        self.flags = ["--no-liftoff"] if tier == "turbofan" else ["--liftoff", "--no-wasm-tier-up"]
        # Node 20.20 segfaults while exiting after WASI programs that read
        # large files (csvstat, lz77 over 6 MB), after a correct run; GC on the
        # main thread alone avoids it and does not touch Wasm code generation.
        self.flags.append("--single-threaded-gc")
        self.node = shutil.which("node")
        # V8 compiles on background threads: one CPU would slow it unfairly.
        self.single_cpu = False

    def probe(self):
        if not self.node:
            return "node not found"
        p = subprocess.run([self.node, *self.flags, "-e", "0"], capture_output=True, text=True)
        return None if p.returncode == 0 else f"node rejects {' '.join(self.flags)}"

    def argv(self, prep, bench, n=None, rundir=None, args=()):
        base = [self.node, "--no-warnings", *self.flags, NODE_RUNNER]
        if bench.kind == "kernel":
            return [*base, "kernel", prep, "run", str(n)]
        return [*base, "wasi", prep, "--dir", f"{rundir}::{GUEST_DIR}", "--", *args]


class WasmInterp(Engine):
    """wabt's interpreter: it cannot pass arguments to an export, so it calls
    the argument-less bench() export of a build with n baked in."""
    key, label = "wasm-interp", "wasm-interp (scaled)"
    kinds = ("kernel",)
    variants = ("scalar",)
    scaled = True

    def probe(self):
        return None if shutil.which("wasm-interp") else "wasm-interp (wabt) not found"

    def prepare(self, bench, variant, n=None):
        return self.ctx.builder.wasm(bench, variant, bench_n=n)

    def argv(self, prep, bench, n=None, rundir=None, args=()):
        return ["wasm-interp", prep, "--run-all-exports"]

    def output(self, stdout):
        m = re.search(r"^bench\(\) => i32:(-?\d+)", stdout, re.M)
        return str(int(m.group(1)) & 0xFFFFFFFF) if m else f"<{_first_line(stdout)}>"


class Wasm2c(Engine):
    """wabt's wasm2c, then gcc -O2 against Debian's libwasm-rt-impl."""
    key, label = "wasm2c", "wasm2c + gcc -O2"
    kinds = ("kernel",)

    def probe(self):
        if not shutil.which("wasm2c"):
            return "wasm2c (wabt) not found"
        if not shutil.which("gcc"):
            return "gcc not found"
        if not any(os.path.exists(os.path.join(d, "libwasm-rt-impl.a")) for d in
                   ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib",
                    "/usr/local/lib")):
            return "libwasm-rt-impl.a not found (Debian: wabt)"
        return None

    def prepare(self, bench, variant, n=None):
        wasm = self.ctx.builder.wasm(bench, variant)
        d = self.ctx.builder.path("wasm2c", bench.name + ("" if variant == "scalar" else "." + variant))
        csrc = os.path.join(d, "w2c_kernel.c")
        try:
            build.run_build(csrc, [wasm], ["wasm2c", wasm, "-n", "kernel", "-o", csrc])
        except build.BuildError as e:
            if variant == "simd":
                raise Skip(f"wasm2c ({_version_of('wasm2c')}) cannot translate this SIMD module "
                           "(it aborts)")
            raise
        main = os.path.join(build.HARNESS_DIR, "wasm2c_main.c")
        exe = os.path.join(d, bench.name)
        cmd = ["gcc", "-O2", "-I", d, main, csrc, "-o", exe, "-lwasm-rt-impl", "-lm"]
        try:
            return build.run_build(exe, [csrc, main], cmd)
        except build.BuildError as e:
            if variant == "simd" and "simde" in str(e):
                raise Skip("wasm2c SIMD output needs SIMDe headers (Debian: libsimde-dev)")
            raise

    def argv(self, prep, bench, n=None, rundir=None, args=()):
        return [prep, str(n)]


def all_engines(ctx):
    return [Native(ctx), W2n(ctx, "guard"), W2n(ctx, "explicit"),
            W2n(ctx, "guard", "interruptible"), W2n(ctx, "guard", "fuel"), Wasm2c(ctx),
            Node(ctx, "turbofan"), Node(ctx, "liftoff"), WasmInterp(ctx)]
