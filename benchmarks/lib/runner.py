"""The benchmark run: build, check every engine's output against native,
then (unless --quick) time them all in the same session.

Results are a dict (written as JSON by report.py):
  results[bench][engine][variant] = {"status": "ok" | "skip" | "fail",
                                     "note": ..., "median": s, "ratio": x, ...}
"""
import hashlib
import os
import shutil
import subprocess
import sys

from . import build, engines, suite, timing, workloads

TIMEOUT = 600


class Context:
    def __init__(self, args):
        self.quick = args.quick
        self.build_dir = os.path.abspath(args.build_dir)
        self.w2n_dir = os.path.abspath(args.w2n_dir)
        self.w2n_opt = args.opt
        self.runs = args.runs
        self.warmup = args.warmup
        self.interleave = getattr(args, "interleave", False)
        self.builder = build.Builder(self.build_dir, build.find_wasi_sysroot())
        self._probe_ref = None

    def rundir(self, engine_key, bench_name, variant=""):
        d = os.path.join(self.build_dir, "run", f"{engine_key}{'-' + variant if variant else ''}",
                         bench_name)
        os.makedirs(d, exist_ok=True)
        return d

    def reference_probe(self):
        if self._probe_ref is None:
            probe = suite.Kernel("probe", "", 0, 0, 0)
            exe = self.builder.native(probe)
            self._probe_ref = engines._kernel_output(
                subprocess.run([exe, "1000"], capture_output=True, text=True).stdout)
        return self._probe_ref


def log(msg):
    print(msg, flush=True)


def _sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _program_params(bench, quick):
    return bench.quick if quick else bench.full


def _stage_program(ctx, engine, bench, variant):
    """The run directory with the workload linked in, and the argument list
    as the engine's program sees it."""
    rundir = ctx.rundir(engine.key, bench.name, variant)
    params = _program_params(bench, ctx.quick)
    src = workloads.ensure(os.path.join(ctx.build_dir, "data"), bench, params)
    if src:
        dst = os.path.join(rundir, "in.dat")
        if os.path.lexists(dst):
            os.unlink(dst)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
    base = engines.GUEST_DIR if engine.guest else rundir
    subst = {"in": f"{base}/in.dat", "out": f"{base}/out.dat",
             **{k: str(v) for k, v in params.items()}}
    args = [a.format(**subst) for a in bench.args]
    out = os.path.join(rundir, "out.dat")
    if os.path.exists(out):
        os.unlink(out)
    return rundir, args


def _size(bench, engine, quick):
    if bench.kind != "kernel":
        return None
    if quick:
        return bench.quick
    return bench.interp if engine.scaled else bench.full


def check_one(ctx, engine, bench, variant):
    """Builds and runs once; returns (status, note, argv, observed output)."""
    n = _size(bench, engine, ctx.quick)
    try:
        prep = engine.prepare(bench, variant, n)
    except (engines.Skip, build.MissingTool) as e:
        return "skip", str(e), None, None
    except build.BuildError as e:
        return "fail", f"build failed: {str(e).splitlines()[-1][:200]}", None, None
    rundir, args = (None, ())
    if bench.kind == "program":
        rundir, args = _stage_program(ctx, engine, bench, variant)
    argv = engine.argv(prep, bench, n=n, rundir=rundir, args=args)
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "fail", f"timed out after {TIMEOUT} s", argv, None
    if p.returncode != 0:
        return "fail", f"exit {p.returncode}: {engines._first_line(p.stderr or p.stdout)}", argv, None
    if bench.kind == "kernel":
        observed = engine.output(p.stdout)
    else:
        out = os.path.join(rundir, "out.dat")
        observed = p.stdout.strip() + " | out.dat " + (_sha(out) if os.path.exists(out) else "missing")
    return "ok", "", argv, observed


def run_bench(ctx, bench, engine_list, variants, results):
    res = results.setdefault(bench.name, {})
    native = engine_list[0]
    if native.unavailable:
        res["native"] = {"native": {"status": "skip", "note": native.unavailable}}
        log(f"  {bench.name:10} native            SKIP {native.unavailable}")
        return
    # the native reference output, at each size some engine runs
    status, note, argv, observed = check_one(ctx, native, bench, "native")
    if status != "ok":
        res["native"] = {"native": {"status": "fail", "note": note}}
        log(f"  {bench.name:10} native            FAIL {note}")
        return
    if bench.kind == "kernel" and bench.selftest is not None:
        st, note, _, got = _native_at(ctx, native, bench, 0)
        if st != "ok" or got != str(bench.selftest):
            res["native"] = {"native": {"status": "fail",
                                        "note": f"known-answer test run(0) = {got}, "
                                                f"want {bench.selftest}"}}
            log(f"  {bench.name:10} native            FAIL known-answer test")
            return
    refs = {False: (observed, argv)}
    if not ctx.quick and bench.kind == "kernel":
        status, note, argv_s, observed_s = _native_at(ctx, native, bench, bench.interp)
        refs[True] = (observed_s if status == "ok" else f"<native failed: {note}>", argv_s)
    res["native"] = {"native": {"status": "ok", "output": refs[False][0], "argv": refs[False][1]}}
    log(f"  {bench.name:10} native            {refs[False][0][:60]}")
    for engine in engine_list[1:]:
        if engine.unavailable or bench.kind not in engine.kinds:
            continue
        for variant in engine.variants:
            if variant not in variants:
                continue
            status, note, argv, observed = check_one(ctx, engine, bench, variant)
            want = refs[engine.scaled and bench.kind == "kernel" and not ctx.quick][0]
            if status == "ok" and observed != want:
                status, note = "fail", f"output differs from native: {observed[:80]!r} != {want[:80]!r}"
            entry = {"status": status, "note": note}
            if status == "ok":
                entry["argv"] = argv
                if engine.scaled and not ctx.quick:
                    entry["n"] = bench.interp
            res.setdefault(engine.key, {})[variant] = entry
            shown = "ok" if status == "ok" else f"{status.upper()} {note}"
            log(f"  {bench.name:10} {engine.key + '/' + variant:17} {shown}")


def _native_at(ctx, native, bench, n):
    exe = native.prepare(bench, "native")
    argv = [exe, str(n)]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode != 0:
        return "fail", f"exit {p.returncode}", argv, None
    return "ok", "", argv, engines._kernel_output(p.stdout)


def time_bench(ctx, bench, engine_list, results):
    """Times every engine that passed the check, native first, same session:
    each in a block of runs of its own, or with --interleave all of them
    once per round.  Either way each timing is recorded, and compared with
    native's, here."""
    res = results[bench.name]
    nat = res.get("native", {}).get("native", {})
    if nat.get("status") != "ok":
        return
    entries = [(engine, variant, entry) for engine in engine_list[1:]
               for variant, entry in res.get(engine.key, {}).items()
               if entry.get("status") == "ok" and not (ctx.interleave and engine.scaled)]
    timings = _round_timings if ctx.interleave else _block_timings
    nat_t = None
    for engine, variant, entry, t in timings(ctx, bench, nat, entries):
        entry.update(median=t["median"], min=t["min"], max=t["max"], cpu=t["cpu"],
                     tool=t["tool"])
        if engine is None:
            nat_t = t
            log(f"  {bench.name:10} native            {t['median'] * 1e3:9.1f} ms")
            continue
        line = f"  {bench.name:10} {engine.key + '/' + variant:17} {t['median'] * 1e3:9.1f} ms"
        if ctx.interleave:
            entry["ratio"] = timing.round_ratio(t["times"], nat_t["times"])
            entry["cpu_ratio"] = timing.round_ratio(t["cpus"], nat_t["cpus"])
            entry["round_ratios"] = [round(a / b, 4) for a, b in zip(t["times"], nat_t["times"])]
            log(f"{line}  x{entry['ratio']:.2f} (rounds {min(entry['round_ratios']):.2f}-"
                f"{max(entry['round_ratios']):.2f}, CPU x{entry['cpu_ratio']:.2f})")
        else:
            # per unit of work for the scaled engine: its n is bench.interp
            scale = bench.full / bench.interp if engine.scaled else 1.0
            entry["ratio"] = t["median"] / nat["median"] * scale
            entry["cpu_ratio"] = t["cpu"] / nat["cpu"] * scale if nat["cpu"] > 0 else None
            log(f"{line}  x{entry['ratio']:.2f}")


def _block_timings(ctx, bench, nat, entries):
    """Native, then each engine in a block of runs of its own: yields
    (engine, variant, entry, timing), engine None for native.  An engine
    whose runs fail is marked failed and not yielded."""
    yield None, "native", nat, timing.measure(nat["argv"], ctx.runs, ctx.warmup)
    for engine, variant, entry in entries:
        runs = max(3, ctx.runs // 2) if engine.scaled else ctx.runs
        try:
            t = timing.measure(entry["argv"], runs, 1 if not engine.scaled else 0)
        except timing.TimingError as e:
            entry.update(status="fail", note=str(e))
            continue
        yield engine, variant, entry, t


def _round_timings(ctx, bench, nat, entries):
    """--interleave: native and every engine once per round, on one CPU a
    round, ratios taken round by round (the median of the per-round ratios),
    so a slow moment of the machine falls on both sides of each ratio.  Yields as
    _block_timings does; nothing when a run fails."""
    try:
        ts = timing.measure_rounds([nat["argv"]] + [e["argv"] for _, _, e in entries],
                                   ctx.runs, ctx.warmup,
                                   [True] + [engine.single_cpu for engine, _, _ in entries])
    except timing.TimingError as e:
        log(f"  {bench.name:10} FAIL {e}")
        return
    yield None, "native", nat, ts[0]
    for (engine, variant, entry), t in zip(entries, ts[1:]):
        yield engine, variant, entry, t


def time_startup(ctx, engine_list):
    """Process start-up + instantiate cost of each engine: the probe kernel
    with n = 0, which returns at once.  Shown next to the table so that short
    benchmarks can be judged (node's start-up is tens of milliseconds)."""
    probe = suite.Kernel("probe", "", 0, 0, 0)
    out = {}
    for engine in engine_list:
        if engine.unavailable or "kernel" not in engine.kinds:
            continue
        variant = engine.variants[0]
        try:
            prep = engine.prepare(probe, variant, 0)
            t = timing.measure(engine.argv(prep, probe, n=0), max(ctx.runs, 10), 2)
        except (engines.Skip, build.BuildError, timing.TimingError) as e:
            out[engine.key] = {"note": str(e).splitlines()[0][:200]}
            continue
        out[engine.key] = {"median": t["median"]}
        log(f"  start-up   {engine.key:17} {t['median'] * 1e3:9.1f} ms")
    return out


def _wasm_toolchain(ctx):
    """None if clang can build a kernel to wasm, else why not."""
    try:
        ctx.builder.wasm(suite.Kernel("probe", "", 0, 0, 0), "scalar")
        return None
    except build.BuildError as e:
        return f"cannot build wasm ({build.CC} --target=wasm32 and wasm-ld needed): " + \
            engines._first_line(str(e).splitlines()[-1])
    except OSError as e:
        return f"cannot build wasm: {e}"


def probe_engines(ctx, engine_list, wanted):
    no_wasm = _wasm_toolchain(ctx)
    for e in engine_list:
        e.unavailable = None
        if wanted and e.key not in wanted and e.key != "native":
            e.unavailable = "not selected (--engines)"
            continue
        if no_wasm and e.key != "native":
            e.unavailable = no_wasm
            continue
        try:
            e.unavailable = e.probe()
        except Exception as ex:  # a probe must never take the run down
            e.unavailable = f"probe error: {ex}"
        state = "available" if not e.unavailable else f"skipped: {e.unavailable}"
        extra = f" (WASI programs skipped: {e.wasi_reason})" if getattr(e, "wasi_reason", None) else ""
        log(f"engine {e.key:13} {state}{extra}")


def summarize(results, engine_list):
    passed = failed = skipped = 0
    for bench, per_engine in results.items():
        for key, per_variant in per_engine.items():
            for variant, entry in per_variant.items():
                s = entry.get("status")
                passed += s == "ok"
                failed += s == "fail"
                skipped += s == "skip"
    # engines that are unavailable count once per benchmark they would have run
    for e in engine_list[1:]:
        if e.unavailable and not e.unavailable.startswith("not selected"):
            skipped += 1
    return passed, failed, skipped


def unexercised(required, results, engine_list):
    """(key, reason) for each required engine that passed no benchmark."""
    by_key = {e.key: e for e in engine_list}
    out = []
    for key in required:
        e = by_key.get(key)
        if e is None:
            out.append((key, "no such engine"))
        elif e.unavailable:
            out.append((key, e.unavailable))
        elif not any(entry.get("status") == "ok"
                     for per_engine in results.values()
                     for entry in per_engine.get(key, {}).values()):
            out.append((key, "it passed no benchmark"))
    return out
