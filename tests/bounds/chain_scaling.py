#!/usr/bin/env python3
"""chain_scaling.py W2N GEN WORKDIR — compile time of a call chain grows
about linearly with its length.

Compiles call chains of 1,000 and 8,000 functions at -O2, both optimised in
full (below W2N_OPT_MAX_MODULE_FUNCTIONS), each within a generous CPU
budget, so it must compile, not be refused, and compares their CPU times:
8 times the functions must take well under 20 times the CPU (linear is
about 8; quadratic, as a lookup per function over all functions would be,
is 64).  Then the same for 12,000 and 48,000 functions, past that budget
(the short pipeline): 4 times the functions, under 10 times the CPU.  CPU
time, not wall time, so a loaded machine does not fail it; the small chain
also runs and must return its length.
"""
import os
import resource
import subprocess
import sys

SMALL, LARGE, MAX_RATIO = 1000, 8000, 20
PAST_SMALL, PAST_LARGE, PAST_MAX_RATIO = 12000, 48000, 10


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def compile_chain(w2n, gen, workdir, n):
    wasm = os.path.join(workdir, f"chain{n}.wasm")
    subprocess.run([sys.executable, gen, "call_chain", str(n), wasm], check=True)
    before = cpu_seconds()
    p = subprocess.run([w2n, "compile", "-O2", "--max-compile-time=300", wasm,
                        "-o", os.path.join(workdir, f"chain{n}.o")],
                       capture_output=True, text=True)
    took = cpu_seconds() - before
    if p.returncode != 0:
        sys.exit(f"FAIL: call_chain {n}: exit {p.returncode}: {p.stderr.strip()}")
    print(f"call_chain {n}: {took:.2f} s CPU")
    return wasm, took


def main():
    w2n, gen, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    small_wasm, small = compile_chain(w2n, gen, workdir, SMALL)
    _, large = compile_chain(w2n, gen, workdir, LARGE)
    ratio = large / max(small, 0.01)
    print(f"{LARGE // SMALL}x the functions: {ratio:.1f}x the CPU time")
    if ratio >= MAX_RATIO:
        sys.exit(f"FAIL: compile time grows faster than linearly ({ratio:.1f} >= {MAX_RATIO})")
    _, past_small = compile_chain(w2n, gen, workdir, PAST_SMALL)
    _, past_large = compile_chain(w2n, gen, workdir, PAST_LARGE)
    ratio = past_large / max(past_small, 0.01)
    print(f"past the budget, {PAST_LARGE // PAST_SMALL}x the functions: {ratio:.1f}x the CPU time")
    if ratio >= PAST_MAX_RATIO:
        sys.exit(f"FAIL: past the function budget, compile time grows faster than linearly "
                 f"({ratio:.1f} >= {PAST_MAX_RATIO})")
    p = subprocess.run([w2n, "run", "--invoke", "run", small_wasm, "1"],
                       capture_output=True, text=True)
    if p.returncode != 0 or p.stdout.strip() != str(SMALL):
        sys.exit(f"FAIL: the chain returned {p.stdout.strip()!r} (exit {p.returncode}), "
                 f"want {SMALL}")
    print("PASS call_chain_scaling")


if __name__ == "__main__":
    main()
