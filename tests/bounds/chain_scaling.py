#!/usr/bin/env python3
"""chain_scaling.py W2N GEN WORKDIR — compile time of a call chain grows
about linearly with its length.

Compiles call chains of 2,000 and 16,000 functions at -O2 (each within a
generous CPU budget, so it must compile, not be refused) and compares their
CPU times: 8 times the functions must take well under 20 times the CPU
(linear is about 8; quadratic, as a lookup per function over all functions
would be, is 64).  CPU time, not wall time, so a loaded machine does not
fail it; the small chain also runs and must return its length.
"""
import os
import resource
import subprocess
import sys

SMALL, LARGE, MAX_RATIO = 2000, 16000, 20


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
    p = subprocess.run([w2n, "run", "--invoke", "run", small_wasm, "1"],
                       capture_output=True, text=True)
    if p.returncode != 0 or p.stdout.strip() != str(SMALL):
        sys.exit(f"FAIL: the chain returned {p.stdout.strip()!r} (exit {p.returncode}), "
                 f"want {SMALL}")
    print("PASS call_chain_scaling")


if __name__ == "__main__":
    main()
