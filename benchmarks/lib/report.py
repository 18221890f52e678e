"""Writing the results: JSON, a markdown table and a chart.

Ratios are engine time / native time measured in the same session (lower is
better; 1.00 = native speed).  The geometric mean of an engine is taken over
the benchmarks it ran, and the count is shown next to it.
"""
import datetime
import json
import math
import os
import platform
import shutil
import subprocess

COLUMNS = [("w2n-guard", "w2n guard"), ("w2n-explicit", "w2n explicit"),
           ("w2n-interruptible", "w2n interruptible"), ("w2n-fuel", "w2n fuel"),
           ("wasm2c", "wasm2c+gcc"), ("v8-turbofan", "V8 TurboFan"),
           ("v8-liftoff", "V8 Liftoff"), ("wasm-interp", "wasm-interp†")]


COLOURS = {"w2n-guard": "#c0392b", "w2n-explicit": "#e67e22", "w2n-interruptible": "#d35400",
           "w2n-fuel": "#a04000", "wasm2c": "#8e44ad",
           "v8-turbofan": "#2471a3", "v8-liftoff": "#5dade2", "wasm-interp": "#7f8c8d"}


def _version(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (p.stdout or p.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not found"


def environment():
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "host": f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cpus",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "clang": _version(["clang-19", "--version"]),
        "gcc": _version(["gcc", "--version"]),
        "node": _version(["node", "--version"]),
        "wabt": _version(["wasm-interp", "--version"]),
        "hyperfine": _version(["hyperfine", "--version"]),
    }


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def _cell(entry):
    if not entry:
        return "–"
    if entry.get("status") == "ok" and "ratio" in entry:
        return f"{entry['ratio']:.2f}"
    if entry.get("status") == "fail":
        return "FAIL"
    return "skip"


def _net_ratio(bench, key, entry, nat, startup):
    """The ratio with each engine's own process start-up subtracted."""
    su, su_nat = startup.get(key, {}).get("median"), startup.get("native", {}).get("median")
    if su is None or su_nat is None or "median" not in entry or "median" not in nat:
        return None
    t, t_nat = entry["median"] - su, nat["median"] - su_nat
    if t <= 0 or t_nat <= 0:
        return None
    if key == "wasm-interp":
        return (t / bench.interp) / (t_nat / bench.full)
    return t / t_nat


def _table(benches, results, variant, engine_list, startup):
    avail = {e.key: e for e in engine_list}
    # wasm-interp runs the scalar build only: its column is in the first table
    columns = [c for c in COLUMNS if variant == "scalar" or c[0] != "wasm-interp"]
    head = "| benchmark | group | native ms | " + " | ".join(c[1] for c in columns) + " |"
    lines = [head, "|" + "---|" * (3 + len(columns))]
    ratios = {k: [] for k, _ in columns}
    net = {k: [] for k, _ in columns}
    cpu = {k: [] for k, _ in columns}
    for b in benches:
        nat = results.get(b.name, {}).get("native", {}).get("native", {})
        ms = f"{nat['median'] * 1e3:.1f}" if "median" in nat else "FAIL"
        cells = []
        for key, _ in columns:
            v = "scalar" if key == "wasm-interp" else variant
            e = avail.get(key)
            if e is not None and e.unavailable:
                cells.append("n/a")
                continue
            entry = results.get(b.name, {}).get(key, {}).get(v)
            cells.append(_cell(entry))
            if entry and "ratio" in entry:
                ratios[key].append(entry["ratio"])
                r = _net_ratio(b, key, entry, nat, startup)
                if r:
                    net[key].append(r)
                if entry.get("cpu_ratio"):
                    cpu[key].append(entry["cpu_ratio"])
        lines.append(f"| {b.name} | {b.group} | {ms} | " + " | ".join(cells) + " |")
    gm = []
    for key, _ in columns:
        g = geomean(ratios[key])
        gm.append(f"**{g:.2f}** ({len(ratios[key])})" if g else "–")
    lines.append("| **geometric mean** | | | " + " | ".join(gm) + " |")
    if any(net.values()):
        gn = []
        for key, _ in columns:
            g = geomean(net[key])
            gn.append(f"{g:.2f} ({len(net[key])})" if g else "–")
        lines.append("| geometric mean, start-up subtracted‡ | | | " + " | ".join(gn) + " |")
    if any(cpu.values()):
        gc = []
        for key, _ in columns:
            g = geomean(cpu[key])
            gc.append(f"{g:.2f} ({len(cpu[key])})" if g else "–")
        lines.append("| geometric mean of CPU time (user+sys)§ | | | " + " | ".join(gc) + " |")
    return lines, {k: geomean(v) for k, v in ratios.items()}


def _notes(benches, results, engine_list):
    notes = []
    for e in engine_list:
        if e.unavailable:
            notes.append(f"- `{e.key}` not measured: {e.unavailable}.")
    seen = set()
    for b in benches:
        for key, per in results.get(b.name, {}).items():
            for v, entry in per.items():
                if entry.get("status") in ("skip", "fail") and entry.get("note"):
                    msg = f"- {b.name} `{key}/{v}`: {entry['status']}: {entry['note']}"
                    if (key, entry["note"]) in seen and entry["status"] == "skip":
                        continue
                    seen.add((key, entry["note"]))
                    notes.append(msg)
    return notes


def _aot_section(metrics):
    lines = ["## w2n ahead-of-time metrics", ""]
    if not metrics.get("available"):
        lines.append(f"Not measured: {metrics.get('note') or 'w2n not available'}.")
        return lines
    size = metrics.get("w2n_run_stripped_bytes")
    lines.append(f"Stripped `w2n-run`: {size / 1024:.0f} KiB." if size else "Stripped `w2n-run`: not measured.")
    lines.append(f"Load + instantiate measured as: {metrics['instantiate_method']}.")
    for mode, m in metrics["modes"].items():
        notes = []
        lines += ["", f"### {mode} mode", "",
                  f"Empty module load + instantiate (process): "
                  f"{m['empty_us']:.0f} µs" if m.get("empty_us") else "", "",
                  "| benchmark | wasm KiB | object KiB | object/wasm | compile ms | ms per wasm KiB "
                  "| load+inst µs | over empty µs |", "|---|---|---|---|---|---|---|---|"]
        for name, r in m["rows"].items():
            def f(k, fmt):
                return fmt.format(r[k]) if k in r and r[k] is not None else "–"
            if r.get("note"):
                notes.append(f"- {name}: {r['note']}")
            lines.append(f"| {name} | {r['wasm_bytes'] / 1024:.1f} | {r['object_bytes'] / 1024:.1f} | "
                         f"{r['object_bytes'] / r['wasm_bytes']:.2f} | {f('compile_ms', '{:.1f}')} | "
                         f"{f('compile_ms_per_kib', '{:.2f}')} | {f('instantiate_us', '{:.0f}')} | "
                         f"{f('instantiate_us_over_empty', '{:.0f}')} |")
        lines += [""] + notes if notes else []
    for note in metrics.get("notes", []):
        lines.append(f"- {note}")
    return lines


def verdict(ok):
    """A target's verdict: met, missed, or – when nothing was measured."""
    return "–" if ok is None else ("met" if ok else "**missed**")


def fmt(x, spec="{:.2f}"):
    return spec.format(x) if x is not None else "not measured"


def _targets(benches, results, gms, metrics):
    """Issue 7's targets, checked against this run (guard mode, scalar builds
    unless stated)."""
    g = gms.get("scalar", {})
    guard, explicit = g.get("w2n-guard"), g.get("w2n-explicit")
    worst = max(((e.get("ratio"), b.name) for b in benches
                 for e in [results.get(b.name, {}).get("w2n-guard", {}).get("scalar", {})]
                 if e.get("ratio")), default=(None, None))

    rows = [("w2n guard: geometric mean ≤ 1.10 × native", fmt(guard),
             verdict(None if guard is None else guard <= 1.10)),
            ("w2n guard: no benchmark above 1.5 × native",
             f"{fmt(worst[0])} ({worst[1]})" if worst[0] else "not measured",
             verdict(None if worst[0] is None else worst[0] <= 1.5)),
            ("w2n explicit checks: geometric mean ≤ 1.35", fmt(explicit),
             verdict(None if explicit is None else explicit <= 1.35))]
    def common(other):
        """Geometric means of w2n guard and `other` over the benchmarks both ran."""
        pairs = []
        for b in benches:
            mine = results.get(b.name, {}).get("w2n-guard", {}).get("scalar", {}).get("ratio")
            theirs = results.get(b.name, {}).get(other, {}).get("scalar", {}).get("ratio")
            if mine and theirs:
                pairs.append((mine, theirs))
        if not pairs:
            return None, None, 0
        return geomean([p[0] for p in pairs]), geomean([p[1] for p in pairs]), len(pairs)

    for other, label in (("wasm2c", "wasm2c + gcc -O2"), ("v8-turbofan", "V8 TurboFan")):
        mine, theirs, count = common(other)
        rows.append((f"w2n guard faster than {label} (geometric mean over the benchmarks both ran)",
                     f"{fmt(mine)} vs {fmt(theirs)} ({count})" if count else "not measured",
                     verdict(None if not count else mine < theirs)))
    mine, interp, count = common("wasm-interp")
    speedup = interp / mine if count else None
    rows.append(("w2n guard ≥ 20 × faster than wasm-interp (geometric mean)",
                 fmt(speedup, "{:.0f}×"), verdict(None if speedup is None else speedup >= 20)))
    # Issue 4: the SIMD kernel built with -msimd128 against its scalar build,
    # both under w2n (times are ratios to the same native run, so their
    # quotient is the speed-up).
    simd = results.get("simd", {}).get("w2n-guard", {})
    s_ratio, v_ratio = simd.get("scalar", {}).get("ratio"), simd.get("simd", {}).get("ratio")
    simd_speedup = s_ratio / v_ratio if s_ratio and v_ratio else None
    rows.append(("simd kernel: -msimd128 build ≥ 2 × faster than its scalar build under w2n",
                 fmt(simd_speedup, "{:.1f}×"),
                 verdict(None if simd_speedup is None else simd_speedup >= 2)))
    inst = [r.get("instantiate_us_over_empty", r.get("instantiate_us"))
            for m in (metrics.get("modes") or {}).values() for r in m["rows"].values()]
    inst = [x for x in inst if x is not None]
    rows.append(("load + instantiate of every object < 1 ms",
                 f"max {max(inst):.0f} µs" if inst else "not measured",
                 verdict(None if not inst else max(inst) < 1000)))
    size = metrics.get("w2n_run_stripped_bytes")
    rows.append(("stripped w2n-run < 300 KB", f"{size / 1000:.0f} KB" if size else "not measured",
                 verdict(None if not size else size < 300_000)))
    lines = ["## Targets (issue 7)", "", "| target | this run | |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {ok} |" for t, v, ok in rows]
    return lines + [""]


# Issue 19's loop shapes: kernels of the shapes numerical code is made of,
# with sizes known only at run time (and nbody's sqrt and division).
SHAPES = ("gemm_rows", "lu", "cholesky", "covariance", "floyd", "nbody")


def _speed_targets(benches, results, gms):
    """Issue 19's speed targets ("Done when"), checked against this run:
    guard mode and scalar builds unless stated.  A shape must hold in every
    round, not just in the median (no bimodal kernels); without --interleave
    there are no rounds and its median stands for them."""
    g = gms.get("scalar", {})
    guard, explicit = g.get("w2n-guard"), g.get("w2n-explicit")

    def entry(name, engine="w2n-guard"):
        return results.get(name, {}).get(engine, {}).get("scalar", {})

    rounds = [(max(e.get("round_ratios") or [e["ratio"]]), name) for name in SHAPES
              for e in [entry(name)] if e.get("ratio")]
    worst_shape = max(rounds, default=(None, None))
    programs = [(e["ratio"], b.name) for b in benches if b.kind == "program"
                for e in [entry(b.name)] if e.get("ratio")]
    worst_program = max(programs, default=(None, None))
    over = ", ".join(f"{n} {r:.2f}" for r, n in sorted(programs, reverse=True) if r > 1.10)
    rows = [(f"each loop shape ({', '.join(SHAPES)}) ≤ 1.20 × native in every round",
             f"worst round {fmt(worst_shape[0])} ({worst_shape[1]}; "
             f"{len(rounds)} of {len(SHAPES)} shapes ran)" if rounds else "not measured",
             verdict(None if not rounds else worst_shape[0] <= 1.20 and
                     len(rounds) == len(SHAPES))),
            ("guard: geometric mean ≤ 1.00 × native", fmt(guard, "{:.3f}"),
             verdict(None if guard is None else guard <= 1.00)),
            ("explicit checks: geometric mean ≤ 1.05 × native", fmt(explicit, "{:.3f}"),
             verdict(None if explicit is None else explicit <= 1.05)),
            ("real programs (the wasi group) ≤ 1.10 × native",
             f"worst {fmt(worst_program[0])} ({worst_program[1]})"
             + (f"; above: {over}" if over else "") if programs else "not measured",
             verdict(None if not programs else worst_program[0] <= 1.10))]
    lines = ["## Targets (issue 19)", "", "| target | this run | |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {ok} |" for t, v, ok in rows]
    return lines + [""]


def markdown(args, env, engine_list, benches, results, metrics):
    lines = ["# w2n benchmark results", "",
             f"Measured {env['date']} on {env['host']} (load average at the end: {env['load']}).",
             f"Tools: {env['clang']}; {env['gcc']}; node {env['node']}; wabt {env['wabt']}; "
             f"{env['hyperfine']}.",
             (f"Each cell: the median over {args.runs} rounds (after {args.warmup} warm-up) of "
              "the whole process's wall-clock time divided by native's in the same round "
              "(--interleave: one run of each engine per round)"
              if getattr(args, "interleave", False) else
              f"Each cell: median wall-clock time of the whole process ({args.runs} runs after "
              f"{args.warmup} warm-up) divided by native's median in the same session") +
             "; lower is better, 1.00 = native.  Native: clang-19 -O2 for generic x86-64 (SSE2 "
             "autovectorisation on), the same C sources.", ""]
    gms = {}
    for variant, title in (("scalar", "Wasm built without -msimd128"),
                           ("simd", "Wasm built with -msimd128 (autovectorised; simd kernel hand-vectorised)")):
        lines += [f"## {title}", ""]
        t, gms[variant] = _table(benches, results, variant, engine_list,
                                 metrics.get("startup") or {})
        lines += t + [""]
    lines += ["† wasm-interp runs only the kernels, without SIMD, at a smaller n (the kernels' "
              "work is linear in n): its ratio is its time per unit of work at the small n "
              "over native's time per unit of work at the full n, process start included.",
              "‡ The same ratios after subtracting each engine's process start-up (table "
              "below) from its times and native's from native's: the cost of the code itself.",
              "§ CPU time (user + system, all threads) instead of wall-clock time: steadier "
              "on a loaded machine, but it also counts the background threads of a "
              "multi-threaded engine (V8's compiler and GC threads).",
              "n/a: engine not available in this run; skip: engine cannot run this "
              "benchmark (see notes); –: not applicable (kernels-only engine).", ""]
    startup = metrics.get("startup") or {}
    if startup:
        keys = [k for k in ["native"] + [c[0] for c in COLUMNS] if k in startup]
        lines += ["Process start-up of each engine (the probe kernel with n = 0: start, load, "
                  "instantiate, return), median ms; it is included in every time above:", "",
                  "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys),
                  "| " + " | ".join(f"{startup[k]['median'] * 1e3:.1f}" if "median" in startup[k]
                                    else "–" for k in keys) + " |", ""]
    notes = _notes(benches, results, engine_list)
    if notes:
        lines += ["## Notes", ""] + notes + [""]
    lines += _targets(benches, results, gms, metrics)
    lines += _speed_targets(benches, results, gms)
    lines += _aot_section(metrics) + [""]
    return "\n".join(lines), gms


def chart(results_dir, benches, results, gms, engine_list):
    """A gnuplot SVG: ratio to native per benchmark (log scale) for the
    scalar builds, one bar per engine, and the geometric means."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        return "gnuplot not found (Debian: gnuplot-nox); no chart drawn"
    avail = [(k, t) for k, t in COLUMNS
             if not next((e for e in engine_list if e.key == k)).unavailable]
    if not avail:
        return "no engine measured; no chart drawn"
    dat = os.path.join(results_dir, "chart.dat")
    with open(dat, "w") as f:
        f.write("bench " + " ".join(f'"{t}"' for _, t in avail) + "\n")
        for b in benches + [None]:
            name = b.name if b else "geomean"
            vals = []
            for k, _ in avail:
                if b is None:
                    g = gms["scalar"].get(k)
                    vals.append(f"{g:.4f}" if g else "NaN")
                    continue
                e = results.get(b.name, {}).get(k, {}).get("scalar", {})
                vals.append(f"{e['ratio']:.4f}" if "ratio" in e else "NaN")
            f.write(f"{name} " + " ".join(vals) + "\n")
    svg = os.path.join(results_dir, "chart.svg")
    # a fixed colour per engine, so charts of different runs compare
    plots = ", ".join(
        f'"{dat}" using {i + 2}{":xtic(1)" if i == 0 else ""} title columnheader({i + 2}) '
        f'lc rgb "{COLOURS[k]}"' for i, (k, _) in enumerate(avail))
    script = f"""
set terminal svg size 1400,520 dynamic font "sans,11" background "white"
set output "{svg}"
set title "Run time relative to native (lower is better), wasm without -msimd128"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [0.5:*]
set grid ytics
set ylabel "time / native time"
set xtics nomirror scale 0 font ",9"
set key outside right top vertical
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5
plot {plots}
"""
    p = subprocess.run([gnuplot], input=script, capture_output=True, text=True)
    if p.returncode != 0:
        return f"gnuplot failed: {p.stderr.strip()[:300]}"
    return None


def write(args, ctx, engine_list, benches, results, metrics, environment=None):
    os.makedirs(args.results_dir, exist_ok=True)
    env = environment or globals()["environment"]()
    md, gms = markdown(args, env, engine_list, benches, results, metrics)
    chart_note = None if args.no_chart else chart(args.results_dir, benches, results, gms, engine_list)
    if chart_note:
        md += f"\nChart: {chart_note}.\n"
    elif not args.no_chart:
        md += "\n![ratio to native per benchmark](chart.svg)\n"
    with open(os.path.join(args.results_dir, "results.md"), "w") as f:
        f.write(md)
    raw = {"environment": env, "results": results, "aot": metrics,
           "settings": {"runs": args.runs, "warmup": args.warmup, "w2n_opt": args.opt},
           "geomean": gms,
           "engines": {e.key: e.unavailable or "available" for e in engine_list}}
    for path in [os.path.join(args.results_dir, "results.json")] + ([args.json] if args.json else []):
        with open(path, "w") as f:
            json.dump(raw, f, indent=1, sort_keys=True)
    print(md)
