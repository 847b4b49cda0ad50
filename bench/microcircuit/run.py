#!/usr/bin/python3
"""The microcircuit benchmarks (docs/microcircuit.md, docs/benchmarks.md).

    bench/microcircuit/run.py small [--skip-standalone]
        One biological second of the 10 % microcircuit, in one run: the whole snnfit
        process (`snnfit simulate`: read, build, simulate, write HDF5) against Brian2
        2.5.1 on the same network (brian2_microcircuit.py) in runtime mode (cython) and
        C++ standalone with 2 OpenMP threads. Wall time and peak RSS of each process,
        and the rates of each, side by side.
    bench/microcircuit/run.py full [--out DIR]
        The full-scale model for 1.5 s (0.5 s transient + 1 s), once, niced: wall time,
        peak RSS, real-time factor, and the activity statistics of stats.py against the
        paper's. Takes many minutes; run it in the background.

SNNFIT (default build/dev/apps/snnfit) names the binary. Rows are tab-separated:
benchmark, case, peer, peer figure, snnfit figure, unit, ratio (>1: snnfit better),
command.
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import stats  # noqa: E402


def snnfit_binary():
    return os.environ.get("SNNFIT", os.path.join(ROOT, "build", "dev", "apps", "snnfit"))


def timed(cmd, nice=0):
    """(wall s, CPU s (user + system), peak RSS MiB, key=value lines of stdout) of a
    child process, measured by a fresh intermediate process so that RUSAGE_CHILDREN
    holds this child alone. CPU time is what the comparison uses: on a shared machine
    it is disturbed far less than wall time (and `nice` does not change it)."""
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys, time;"
               "t = time.perf_counter();"
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
               "w = time.perf_counter() - t;"
               "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
               "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr);"
               "print(f'__wall={w:.3f}'); print(f'__cpu={u.ru_utime + u.ru_stime:.3f}');"
               "print(f'__rss={u.ru_maxrss / 1024:.1f}'); sys.exit(p.returncode)"] + cmd
    if nice:
        wrapper = ["nice", "-n", str(nice)] + wrapper
    p = subprocess.run(wrapper, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    kv = dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)
    return float(kv["__wall"]), float(kv["__cpu"]), float(kv["__rss"]), kv


def small(a):
    snnfit = snnfit_binary()
    config = os.path.join(ROOT, "data", "examples", "microcircuit_10pct.toml")
    b2 = os.path.join(HERE, "brian2_microcircuit.py")
    rows = []
    case = "10 % (7,713 neurons, 3.0 M synapses), 1 s"
    shown = "bench/microcircuit/run.sh"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sn.h5")
        cmd = [snnfit, "simulate", config, "--out", out, "--set", "simulation.duration=1000"]
        sn_wall, sn_cpu, sn_rss, _ = timed(cmd, a.nice)
        sn_rates = {k: v[0] for k, v in stats.stats(out, 0.0).items()}
    # Runtime mode: a first, untimed run fills Brian2's Cython cache (compilation is
    # not the simulator's cost); the timed run is the whole process after that.
    runtime = [sys.executable, b2, "runtime", "0.1", "1000"]
    timed(runtime[:3] + ["0.01", "20"], a.nice)
    wall, cpu, rss, kv = timed(runtime, a.nice)
    name = "Brian2 2.5.1 runtime (cython), 1 thread"
    rows.append(("microcircuit", case + ", whole process, CPU", name, f"{cpu:.1f}", f"{sn_cpu:.1f}", "s CPU",
                 f"{cpu / sn_cpu:.2f}", shown))
    rows.append(("microcircuit", case + ", Brian2's net.run() alone, CPU", name, f"{float(kv['run_cpu_s']):.1f}",
                 f"{sn_cpu:.1f}", "s CPU", f"{float(kv['run_cpu_s']) / sn_cpu:.2f}", shown))
    rows.append(("microcircuit", case + ", peak memory", name, f"{rss:.0f}", f"{sn_rss:.0f}", "MiB RSS",
                 f"{rss / sn_rss:.2f}", shown))
    print(f"# {name}: wall {wall:.1f} s; snnfit wall {sn_wall:.1f} s", file=sys.stderr)
    print("# rates (Hz) " + name + ": " + " ".join(f"{p}={kv['rate_' + p]}" for p in stats.POPULATIONS),
          file=sys.stderr)
    if not a.skip_standalone:
        wall, cpu, rss, kv = timed([sys.executable, b2, "standalone", "0.1", "1000", "2"], a.nice)
        name = "Brian2 2.5.1 C++ standalone, 2 OpenMP threads"
        rows.append(("microcircuit", case + ", the binary (build, run, write), wall", name, f"{float(kv['whole_s']):.1f}",
                     f"{sn_wall:.1f}", "s wall", f"{float(kv['whole_s']) / sn_wall:.2f}", shown))
        print("# rates (Hz) " + name + ": " + " ".join(f"{p}={kv['rate_' + p]}" for p in stats.POPULATIONS),
              file=sys.stderr)
    print("# rates (Hz) snnfit: " + " ".join(f"{p}={sn_rates[p]:.4f}" for p in stats.POPULATIONS), file=sys.stderr)
    for r in rows:
        print("\t".join(r))


def full(a):
    snnfit = snnfit_binary()
    config = os.path.join(ROOT, "data", "examples", "microcircuit.toml")
    os.makedirs(a.out, exist_ok=True)
    out = os.path.join(a.out, "microcircuit_full.h5")
    wall, cpu, rss, _ = timed([snnfit, "simulate", config, "--out", out], nice=10)
    print(f"full scale, 1.5 s: wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {rss:.0f} MiB")
    for pop, (r, cv, sy) in stats.stats(out, 500.0).items():
        print(f"{pop}\t{r:.3f}\t{cv:.3f}\t{sy:.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["small", "full"])
    ap.add_argument("--skip-standalone", action="store_true")
    ap.add_argument("--nice", type=int, default=0, help="run the timed processes under nice (CPU times are unaffected)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "microcircuit"))
    a = ap.parse_args()
    small(a) if a.what == "small" else full(a)


if __name__ == "__main__":
    main()
