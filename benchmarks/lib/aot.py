"""What only an ahead-of-time toolchain has to show: compile time per module
and per KiB of wasm, object size against wasm size, load + instantiate time
of each object, and the size of the stripped w2n-run.

Load + instantiate: if `w2n-run --help` offers `--time-instantiate`, the
runtime measures itself (wanted interface: `w2n-run --time-instantiate OBJ`
loads and instantiates OBJ repeatedly and prints `instantiate_us=MEDIAN`).
Until then the runner times whole processes: `w2n-run --invoke nop OBJ`
minus `w2n-run --invoke nop empty.o` (the smallest module), i.e. the load +
instantiate cost this object adds over an empty one, and reports both.
"""
import os
import re
import shutil
import subprocess

from . import build, suite, timing


def _stripped_size(ctx, exe):
    out = ctx.builder.path("w2n-run.stripped")
    strip = shutil.which("strip")
    if not strip:
        return None
    p = subprocess.run([strip, "-o", out, exe], capture_output=True)
    return os.path.getsize(out) if p.returncode == 0 else None


def _self_timed(runner):
    p = subprocess.run([runner, "--help"], capture_output=True, text=True)
    return "--time-instantiate" in (p.stdout + p.stderr)


def _instantiate_us(runner, obj, self_timed, runs):
    if self_timed:
        p = subprocess.run([runner, "--time-instantiate", obj], capture_output=True, text=True)
        m = re.search(r"instantiate_us=([\d.]+)", p.stdout + p.stderr)
        return float(m.group(1)) if m else None
    t = timing.measure([runner, "--invoke", "nop", obj], runs, 2)
    return t["median"] * 1e6


def measure(ctx, engine_list, benches, results):
    w2n = [e for e in engine_list if e.key.startswith("w2n-") and not e.unavailable]
    if not w2n:
        reasons = {e.unavailable for e in engine_list if e.key.startswith("w2n-")}
        return {"available": False, "note": "; ".join(sorted(r for r in reasons if r))}
    metrics = {"available": True, "modes": {}}
    metrics["w2n_run_stripped_bytes"] = _stripped_size(ctx, w2n[0].runner)
    self_timed = _self_timed(w2n[0].runner)
    metrics["instantiate_method"] = ("w2n-run --time-instantiate" if self_timed else
                                     "process time of `w2n-run --invoke nop OBJ` minus that of empty.o")
    for engine in w2n:
        rows = {}
        empty = suite.Kernel("empty", "", 0, 0, 0)
        base_us = None
        try:
            empty_obj = engine.compile(ctx.builder.wasm(empty, "scalar"),
                                       ctx.builder.path("w2n", engine.mode, "empty.o"))
            base_us = _instantiate_us(engine.runner, empty_obj, self_timed, 20)
        except (build.BuildError, timing.TimingError) as e:
            metrics.setdefault("notes", []).append(f"{engine.key}: empty module: {e}")
        for bench in benches:
            entry = results.get(bench.name, {}).get(engine.key, {}).get("scalar")
            if not entry or entry.get("status") != "ok":
                continue
            wasm = ctx.builder.wasm(bench, "scalar")
            obj = engine.prepare(bench, "scalar")
            tmp = ctx.builder.path("w2n", engine.mode, "compile-timing.o")
            cmd = [engine.compiler, "compile", f"-O{ctx.w2n_opt}",
                   f"--bounds-checks={engine.mode}", wasm, "-o", tmp]
            row = {"wasm_bytes": os.path.getsize(wasm), "object_bytes": os.path.getsize(obj)}
            try:
                t = timing.measure(cmd, 3, 1)
                row["compile_ms"] = t["median"] * 1e3
                row["compile_ms_per_kib"] = row["compile_ms"] / (row["wasm_bytes"] / 1024)
                us = _instantiate_us(engine.runner, obj, self_timed, 20)
                row["instantiate_us"] = us
                if base_us is not None and not self_timed:
                    row["instantiate_us_over_empty"] = us - base_us
            except timing.TimingError as e:
                row["note"] = str(e).splitlines()[0][:200]
            rows[bench.name] = row
        metrics["modes"][engine.mode] = {"rows": rows, "empty_us": base_us}
    return metrics
