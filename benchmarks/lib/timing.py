"""Timing commands: hyperfine when installed, else a careful Python loop.

Both do warm-up runs first, then `runs` timed runs of the whole process, and
report the median wall-clock time in seconds (plus min/max and all times) and
the mean CPU time (user + system, all threads) of a run.  `measure_rounds`
times several commands in rounds instead, one run of each per round, so that
a slow moment of a shared machine falls on all of them alike.
"""
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time


class TimingError(Exception):
    pass


def have_hyperfine():
    return shutil.which("hyperfine") is not None


def measure(argv, runs, warmup, cwd=None, ignore_failure=False):
    if have_hyperfine():
        return _hyperfine(argv, runs, warmup, cwd, ignore_failure)
    return _loop(argv, runs, warmup, cwd, ignore_failure)


def _hyperfine(argv, runs, warmup, cwd, ignore_failure):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = tmp.name
    cmd = ["hyperfine", "--shell=none", "--style=none", f"--warmup={warmup}",
           f"--runs={runs}", f"--export-json={out}", *(["-i"] if ignore_failure else []),
           shlex.join(argv)]
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        if p.returncode != 0:
            raise TimingError(f"hyperfine failed: {p.stderr.strip()[:500]}")
        with open(out) as f:
            r = json.load(f)["results"][0]
    finally:
        os.unlink(out)
    return {"median": r["median"], "min": r["min"], "max": r["max"], "times": r["times"],
            "cpu": r["user"] + r["system"], "tool": "hyperfine"}


def _loop(argv, runs, warmup, cwd, ignore_failure):
    times, cpu = [], []
    for i in range(warmup + runs):
        t, c = _run_once(argv, cwd, ignore_failure)
        if i >= warmup:
            times.append(t)
            cpu.append(c)
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "times": times, "cpu": statistics.mean(cpu), "tool": "python"}


def _run_once(argv, cwd=None, ignore_failure=False, cpu=None):
    """One run: (wall seconds, CPU seconds of the process and its threads),
    on CPU `cpu` alone when it is not None."""
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       preexec_fn=pin)
    t = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0 and not ignore_failure:
        raise TimingError(f"{shlex.join(argv)} exited {p.returncode}")
    return t, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def measure_rounds(argvs, runs, warmup, pinned=None):
    """Times each command of `argvs` once per round, in the same order, for
    `warmup` untimed and `runs` timed rounds.  Returns, per command, what
    `measure` returns plus the per-round wall and CPU times ("times", "cpus"),
    so ratios can be taken round by round.

    The commands whose `pinned` entry is true run, within one round, on one
    CPU, the next round on the next CPU: the vCPUs of a shared machine are not
    always equal (a neighbour on one of them for a while), and a ratio taken
    across two of them measures the neighbour.  Multi-threaded engines stay
    unpinned."""
    pinned = pinned or [True] * len(argvs)
    cpus_allowed = _cpus_allowed()
    walls = [[] for _ in argvs]
    cpus = [[] for _ in argvs]
    for r in range(warmup + runs):
        cpu = cpus_allowed[r % len(cpus_allowed)] if cpus_allowed else None
        for i, argv in enumerate(argvs):
            t, c = _run_once(argv, cpu=cpu if pinned[i] else None)
            if r >= warmup:
                walls[i].append(t)
                cpus[i].append(c)
    return [{"median": statistics.median(w), "min": min(w), "max": max(w), "times": w,
             "cpus": c, "cpu": statistics.mean(c), "tool": "rounds"}
            for w, c in zip(walls, cpus)]


def _cpus_allowed():
    """The CPUs this process may run on ([] where affinity is not supported)."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return []


def round_ratio(times, base_times):
    """The median over rounds of times[i] / base_times[i]."""
    return statistics.median(t / b for t, b in zip(times, base_times) if b > 0)
