#!/usr/bin/python3
"""Figures of a fit: `snnfit report RESULT.h5 --out DIR` runs this as
/usr/bin/python3 scripts/report.py RESULT.h5 DIR after writing DIR/validate.json
(snnfit validate's JSON) and DIR/populations.csv (the replayed populations).

Writes DIR/raster.png, convergence.png, parameters.png, distributions.png,
spectrum.png, population.gif, voltage.png (whichever the inputs allow) and DIR/index.html.
Given the output of `snnfit simulate` instead, draws its raster, rates and voltage
traces (raster.png, rates.png, voltage.png) and DIR/index.html.
Needs Debian's python3-matplotlib, python3-h5py, python3-numpy (python3-pil for the GIF).
"""
import html
import json
import os
import sys
import tomllib

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

TARGET, FITTED = "#333333", "#d62728"
TRUTH = "#000000"  # drawn black: no island (tab10) colour is black


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def param_units(f):
    prm = f["parameters"]
    n = len(prm["names"])
    return strings(prm["units"]) if "units" in prm else [""] * n


def with_unit(name, unit):
    return f"{name} ({unit})" if unit and unit != "1" else name


def readable_log_axis(axis):
    """Log ticks at 1, 2, 5 x 10^k written as plain numbers (0.02, not 2x10^-2)."""
    axis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def config_of(f):
    try:
        return tomllib.loads(text(f["config"][()]))
    except (tomllib.TOMLDecodeError, KeyError):
        return {}


def unconnected(f):
    """A fit of independent cells (no projections: single cells, sweeps): pairwise
    correlations and population-rate spectra mean nothing there."""
    return not config_of(f).get("projections")


def sweep_labels(g):
    """'sweep NAME, I pA' per train of a protocol target, else None."""
    if "sweeps" not in g or "current" not in g:
        return None
    unit = text(g["current"].attrs.get("units", ""))
    unit = "" if unit in ("", "1") else " " + unit
    return [f"{n}: {c:g}{unit}" for n, c in zip(strings(g["sweeps"]), g["current"][()])]


def input_labels(f, pop, n):
    """For independent cells driven by per-neuron steps in the config (sweeps written as
    [[inputs]]): 'neuron i: I' per row, else None."""
    cfg = config_of(f)
    if cfg.get("projections") or n > 40:
        return None
    model = next((p.get("model", "") for p in cfg.get("populations", []) if p.get("name") == pop), "")
    unit = "" if model == "izhikevich2003" else " pA"
    amp = [[] for _ in range(n)]
    for inp in cfg.get("inputs", []):
        if inp.get("target") != pop or inp.get("type") not in ("step", "constant"):
            continue
        for i in inp.get("neurons", range(n)):
            if 0 <= i < n:
                amp[i].append(inp.get("amplitude", 0.0))
    if not any(amp):
        return None
    return [f"neuron {i}: " + (" + ".join(f"{a:g}{unit}" for a in a_i) if a_i else "no input")
            for i, a_i in enumerate(amp)]


def quantum_bins(values, max_bins=30):
    """Histogram bins for rates counted in a fixed window: every rate is a multiple of
    1/window, so bins of a whole number of those quanta, centred on them, avoid the
    picket fence of empty bins that free-floating edges give."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return 10
    u = np.unique(v)
    if len(u) < 2:
        return np.array([u[0] - 0.5, u[0] + 0.5]) if u[0] != 0 else np.array([-0.5, 0.5])
    q = np.min(np.diff(u))
    if q <= 0 or np.max(np.abs(u / q - np.round(u / q))) > 1e-6:
        return np.histogram_bin_edges(v, bins=min(max_bins, 20))
    k = max(1, int(np.ceil((u[-1] - u[0]) / q / max_bins)))
    return np.arange(u[0] - 0.5 * q, u[-1] + k * q, k * q)


def strings(ds):
    return [s.decode() if isinstance(s, bytes) else str(s) for s in ds[()]]


def raster(g):
    t, o = g["times"][()], g["offsets"][()]
    return [t[o[i]:o[i + 1]] for i in range(len(o) - 1)]


def save(fig, out, name):
    fig.savefig(os.path.join(out, name), dpi=100)
    plt.close(fig)
    return name


def draw_raster(ax, trains, color, offset=0.0, label=None, ms=4):
    """Spike times (s in the file) as ticks in ms, train i on row i + offset."""
    xs = [t * 1000.0 for t in trains]
    ys = [np.full(len(t), i + offset) for i, t in enumerate(trains)]
    if xs:
        ax.plot(np.concatenate(xs), np.concatenate(ys), "|", color=color, ms=ms, mew=1.2, label=label)


def fig_raster(f, out):
    """Target and fit overlaid on one time axis (ms): each neuron's target spikes just above
    its row, the fit's just below. A fit without target trains shows its best network."""
    best = f["best/spikes"] if "best/spikes" in f else {}
    target = f["target"] if "target" in f else {}
    pops = list(target.keys()) or list(best.keys())
    if not pops:
        return None
    heights = [max(2.2, min(9.0, 0.35 * len(target[p]["offsets"]) if p in target else 2.5)) for p in pops]
    fig, axes = plt.subplots(len(pops), 1, figsize=(12, sum(heights) + 0.8), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    t_end = config_of(f).get("simulation", {}).get("duration")
    for r, pop in enumerate(pops):
        ax = axes[r][0]
        n = 0
        parts = []
        if pop in target:
            tt = raster(target[pop])
            n = len(tt)
            dense = n > 40
            draw_raster(ax, tt, TARGET, 0.0 if dense else 0.2, "target", 2 if dense else 6)
            parts.append(f"target {sum(len(t) for t in tt)} spikes")
        if pop in best:
            bt = raster(best[pop])
            n = max(n, len(bt))
            dense = n > 40
            draw_raster(ax, bt, FITTED, 0.0 if dense else -0.2, "fit (best)", 2 if dense else 6)
            parts.append(f"fit {sum(len(t) for t in bt)} spikes")
        labels = sweep_labels(target[pop]) if pop in target else None
        labels = labels or input_labels(f, pop, n)
        if labels:
            ax.set_yticks(range(len(labels)))
            ax.set_yticklabels(labels, fontsize=8)
            ax.set_ylabel("sweep: current" if pop in target and "sweeps" in target[pop] else "cell: step current")
        else:
            ax.set_ylabel("neuron")
            ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_ylim(-0.6, n - 0.4)
        if t_end:
            ax.set_xlim(0, t_end)
        what = "target and fit" if pop in target else "best network (the fit has no target trains)"
        ax.set_title(f"{pop}: {what}, {n} neurons ({', '.join(parts)})", fontsize=10)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        ax.set_xlabel("time (ms)")
    fig.tight_layout()
    return save(fig, out, "raster.png")


def fig_voltage(f, out):
    """Target (recorded) and fitted voltage of every sweep of a fit with a features loss."""
    if "features/sweeps" not in f:
        return None
    sweeps = f["features/sweeps"]
    names = list(sweeps.keys())
    fig, axes = plt.subplots(len(names), 1, figsize=(12, 2.2 * len(names)), squeeze=False, sharex=True)
    for ax, name in zip(axes[:, 0], names):
        g = sweeps[name]
        if "target_v" in g and len(g["target_v"]):
            v = g["target_v"][()]
            ax.plot(np.arange(len(v)) * g.attrs["target_dt"], v, color=TARGET, lw=0.7, label="target (recorded)")
        if "fitted_v" in g:
            v = g["fitted_v"][()]
            ax.plot(np.arange(len(v)) * g.attrs["fitted_dt"], v, color=FITTED, lw=0.7, label="fitted (best)")
        ax.axvspan(g.attrs["stim_start"], g.attrs["stim_end"], color="#eeeeee", zorder=0)
        ax.set_title(f"{name}: step of {g.attrs['amplitude']:.4g} pA", fontsize=9)
        ax.set_ylabel("V (mV)")
    axes[0, 0].legend(loc="upper right", fontsize=8)
    axes[-1, 0].set_xlabel("time (ms)")
    fig.suptitle("Voltage of each sweep: target against the fitted cell (grey: the stimulus)")
    fig.tight_layout()
    return save(fig, out, "voltage.png")


def features_html(f):
    """The table of scored features: target mean +- sd, fitted value, z-score."""
    if "features" not in f:
        return ""
    g = f["features"]
    out = ("<h2>Features</h2><table><tr><th>feature@sweep</th><th>target mean &plusmn; sd</th><th>fitted</th>"
           "<th>z-score</th></tr>")
    for label, m, s, x, z in zip(strings(g["labels"]), g["target_mean"][()], g["target_sd"][()], g["fitted"][()],
                                 g["score"][()]):
        fitted = f"{x:.6g}" if np.isfinite(x) else "undefined"
        out += (f"<tr><td>{html.escape(label)}</td><td>{m:.6g} &plusmn; {s:.3g}</td><td>{fitted}</td>"
                f"<td>{z:.3g}</td></tr>")
    return out + "</table>"


def fig_convergence(f, out):
    h = f["history"]
    gen = h["generation"][()]
    ib, im, ie = h["islands/best"][()], h["islands/mean"][()], h["islands/evaluations"][()]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    pos = np.concatenate([ib[np.isfinite(ib)].ravel(), im[np.isfinite(im)].ravel()])
    log = len(pos) and np.all(pos > 0) and pos.max() / max(pos.min(), 1e-300) > 30
    cmap = plt.get_cmap("tab10")
    for k in range(ib.shape[1]):
        c = cmap(k % 10)
        # islands/evaluations counts each island's evaluations per generation; the axis is cumulative.
        ev = np.cumsum(ie[:, k])
        for ax, x in ((axes[0], gen), (axes[1], ev)):
            ax.plot(x, ib[:, k], "-", color=c, label=f"island {k} best")
            ax.plot(x, im[:, k], ":", color=c, label=f"island {k} mean")
    axes[0].set_xlabel("generation")
    axes[1].set_xlabel("evaluations (per island, cumulative)")
    for ax, t in zip(axes, ("against generation", "against evaluations")):
        ax.set_ylabel("fitness (lower is better)")
        ax.set_title(f"Convergence per island: best and mean {t}")
        if log:
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        if log:
            readable_log_axis(ax.yaxis)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(8, len(labels)), fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.9 if len(labels) > 8 else 0.93))
    return save(fig, out, "convergence.png")


def load_populations(out):
    p = os.path.join(out, "populations.csv")
    if not os.path.exists(p):
        return None
    with open(p) as fh:
        names = fh.readline().strip().split(",")[3:]
    data = np.loadtxt(p, delimiter=",", skiprows=1, ndmin=2)
    return names, data


def fig_parameters(f, out, pops):
    prm = f["parameters"]
    names, lo, hi = strings(prm["names"]), prm["lo"][()], prm["hi"][()]
    truth, logs = prm["true_values"][()], prm["log_scale"][()]
    best = f["best/parameters"][()]
    units = param_units(f)
    d = len(names)
    cols = min(d, 2)
    rows = (d + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(6 * cols, 3.4 * rows), squeeze=False)
    for j in range(d):
        ax = axes[j // cols][j % cols]
        if pops is not None:
            data = pops[1]
            g, fit, v = data[:, 0], data[:, 2], data[:, 3 + j]
            ax.plot(g, v, ".", color="#1f77b4", alpha=0.25, ms=3, label="population")
            gens = np.unique(g)
            bestv = []
            for gg in gens:
                m = g == gg
                bestv.append(v[m][np.argmin(fit[m])])
            ax.plot(gens, bestv, "-", color=FITTED, label="best of generation")
            ax.set_xlabel("generation")
        else:
            ax.axvline(0, color="#ccc")
            ax.plot([0], [best[j]], "o", color=FITTED, label="best")
            ax.set_xlabel("(no replayed populations)")
        ax.axhline(lo[j], color="k", lw=0.8, ls="--", label="bounds")
        ax.axhline(hi[j], color="k", lw=0.8, ls="--")
        if np.isfinite(truth[j]):
            ax.axhline(truth[j], color="#2ca02c", lw=1.5, label="true value")
        span = hi[j] - lo[j]
        if logs[j]:
            ax.set_yscale("log")
            ax.set_ylim(lo[j] / 1.15, hi[j] * 1.15)
            readable_log_axis(ax.yaxis)
        else:
            ax.set_ylim(lo[j] - 0.05 * span, hi[j] + 0.05 * span)
        ax.set_title(f"Parameter trajectory: {names[j]}", fontsize=10)
        ax.set_ylabel(with_unit(names[j], units[j]))
    for j in range(d, rows * cols):
        axes[j // cols][j % cols].axis("off")
    # One legend for all panels, above them, where it hides no data.
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / (3.4 * rows)))
    return save(fig, out, "parameters.png")


DIST_TITLES = {"rate": "firing rate (Hz)", "cv": "ISI CV", "lv": "LV", "corr": "pairwise correlation"}


def fig_distributions(v, out, independent):
    pops = list(v["populations"].keys())
    quantities = ("rate", "cv", "lv") if independent else ("rate", "cv", "lv", "corr")
    fig, axes = plt.subplots(len(pops), len(quantities), figsize=(4 * len(quantities), 3.4 * len(pops)),
                             squeeze=False)
    for r, pop in enumerate(pops):
        pv = v["populations"][pop]
        for c, q in enumerate(quantities):
            ax = axes[r][c]
            t = np.array([x for x in pv[q]["target"] if x is not None], dtype=float)
            y = np.array([x for x in pv[q]["fitted"] if x is not None], dtype=float)
            both = np.concatenate([t, y])
            if len(both) == 0:
                ax.set_title(f"{pop}: {DIST_TITLES[q]} — no values")
                continue
            bins = quantum_bins(both) if q == "rate" else np.histogram_bin_edges(both, bins=20)
            ax.hist(t, bins=bins, density=True, histtype="stepfilled", alpha=0.35, color=TARGET, label="target")
            ax.hist(y, bins=bins, density=True, histtype="step", lw=2, color=FITTED,
                    label=f"fitted ({v['seeds']} seed{'s' if v['seeds'] != 1 else ''})")
            ks = [m for m in v["measures"] if m["population"] == pop and m["quantity"] == q and m["test"] == "ks"]
            res = ""
            if ks and ks[0]["applicable"]:
                res = f"\nKS p = {ks[0]['p_value']:.3g}: {'pass' if ks[0]['pass'] else 'FAIL'}"
            ax.set_title(f"{pop}: {DIST_TITLES[q]}{res}", fontsize=10)
            ax.set_xlabel(DIST_TITLES[q])
            ax.set_ylabel("density")
            ax.legend(fontsize=7)
    fig.suptitle(f"Distributions, target against fitted — verdict: {v['verdict']}")
    fig.tight_layout()
    return save(fig, out, "distributions.png")


def target_name(f):
    t = config_of(f).get("fit", {}).get("target", {})
    if t.get("type") == "simulated":
        return "target (simulated at the config's values)"
    if "file" in t:
        return f"target ({os.path.basename(str(t['file']))})"
    return "target"


def informative_band(fq, *psds, floor=1e-3, min_hz=20.0):
    """Up to the highest frequency where a spectrum is within `floor` of its own peak."""
    top = min_hz
    for p in psds:
        p = np.asarray(p, dtype=float)[1:]
        if len(p) and np.nanmax(p) > 0:
            above = np.nonzero(p >= floor * np.nanmax(p))[0]
            if len(above):
                top = max(top, fq[1:][above[-1]])
    return min(fq[-1], 1.1 * top)


def fig_spectrum(f, v, out):
    pops = list(v["populations"].keys())
    fig, axes = plt.subplots(1, len(pops), figsize=(6.5 * len(pops), 4.2), squeeze=False)
    tname = target_name(f)
    fname = f"fit (best parameters, mean over {v['seeds']} seed{'s' if v['seeds'] != 1 else ''})"
    for c, pop in enumerate(pops):
        s = v["populations"][pop]["spectrum"]
        ax = axes[0][c]
        fq = np.array(s["frequency"], dtype=float)
        if len(fq) < 2:
            ax.set_title(f"{pop}: no spectrum")
            continue
        pt, pf = np.array(s["target"], dtype=float), np.array(s["fitted"], dtype=float)
        ax.semilogy(fq[1:], pt[1:], color=TARGET, label=tname)
        ax.semilogy(fq[1:], pf[1:], color=FITTED, label=fname)
        ax.set_xlim(0, informative_band(fq, pt, pf))
        ax.set_xlabel("frequency (Hz)")
        ax.set_ylabel("PSD of the population rate (Hz²/Hz)")
        ax.set_title(f"{pop}: population-rate spectrum, target vs fit\npower {s['target_power']:.3g} vs "
                     f"{s['fitted_power']:.3g} Hz², peaks {s['target_peak']:.3g} / {s['fitted_peak']:.3g} Hz",
                     fontsize=10)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return save(fig, out, "spectrum.png")


def gif_population(f, out, pops):
    if pops is None:
        return None
    try:
        from matplotlib.animation import FuncAnimation, PillowWriter
        import PIL  # noqa: F401
    except ImportError:
        print("report.py: warning: no GIF (python3-pil missing)", file=sys.stderr)
        return None
    names, data = pops
    prm = f["parameters"]
    lo, hi, truth, logs = prm["lo"][()], prm["hi"][()], prm["true_values"][()], prm["log_scale"][()]
    gens = np.unique(data[:, 0])
    islands = data[:, 1].astype(int)
    fit = data[:, 2]
    two = len(names) >= 2
    fig, ax = plt.subplots(figsize=(7.2, 5))
    xj, yj = 0, 1
    units = param_units(f)
    ax.set_xlim(lo[xj], hi[xj])
    if logs[xj]:
        ax.set_xscale("log")
    if two:
        ax.set_ylim(lo[yj], hi[yj])
        if logs[yj]:
            ax.set_yscale("log")
        ax.set_ylabel(with_unit(names[yj], units[yj]))
        if logs[yj]:
            readable_log_axis(ax.yaxis)
        if np.isfinite(truth[xj]) and np.isfinite(truth[yj]):
            ax.plot([truth[xj]], [truth[yj]], "*", color=TRUTH, mec="white", ms=16, label="true value", zorder=5)
    else:
        ok = fit[np.isfinite(fit) & (fit < 1e8)]
        lo_f, hi_f = (ok.min(), ok.max()) if len(ok) else (0.0, 1.0)
        if lo_f > 0 and hi_f / lo_f > 10:
            ax.set_yscale("log")
            ax.set_ylim(lo_f / 1.5, hi_f * 1.5)
        else:
            pad = 0.1 * (hi_f - lo_f) if hi_f > lo_f else 0.1 * max(abs(hi_f), 1e-3)
            ax.set_ylim(lo_f - pad, hi_f + pad)
        ax.set_ylabel("fitness")
        if np.isfinite(truth[xj]):
            ax.axvline(truth[xj], color=TRUTH, ls="--", label="true value")
    ax.set_xlabel(with_unit(names[xj], units[xj]))
    if logs[xj]:
        readable_log_axis(ax.xaxis)
    else:
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5))
        ax.ticklabel_format(axis="x", useOffset=False)
    cmap = plt.get_cmap("tab10")
    colors = [cmap(k % 10) for k in islands]
    scat = ax.scatter([], [], s=14)
    title = ax.set_title("Population in parameter space, generation 0")
    for k in np.unique(islands):  # legend entries: one per island, and the true value
        ax.plot([], [], "o", color=cmap(k % 10), ms=5, label=f"island {k}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)

    def frame(i):
        m = data[:, 0] == gens[i]
        y = data[m, 3 + yj] if two else fit[m]
        scat.set_offsets(np.column_stack([data[m, 3 + xj], y]))
        scat.set_color([colors[j] for j in np.nonzero(m)[0]])
        title.set_text(f"Population in parameter space, generation {int(gens[i])}")
        return scat, title

    step = max(1, len(gens) // 60)
    frames = list(range(0, len(gens), step))
    if frames[-1] != len(gens) - 1:
        frames.append(len(gens) - 1)
    fig.tight_layout()
    anim = FuncAnimation(fig, frame, frames=frames, blit=False)
    anim.save(os.path.join(out, "population.gif"), writer=PillowWriter(fps=4), dpi=80)
    plt.close(fig)
    return "population.gif"


def summary_table(f, v):
    rows = []
    a = f.attrs
    for k in ("snnfit_version", "created", "run_seed", "generations", "evaluations", "termination"):
        if k in a:
            rows.append((k, text(a[k])))
    rows.append(("config", text(f["config"].attrs.get("file", ""))))
    b = f["best"]
    rows.append(("best fitness", f"{b.attrs['fitness']:.6g} (island {b.attrs['island']}, generation "
                                 f"{b.attrs['generation']})"))
    if v is not None:
        rows.append(("validation", f"{v['verdict']} ({v['seeds']} seeds, alpha {v['options']['alpha']})"))
    return "<table>" + "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(x))}</td></tr>"
                               for k, x in rows) + "</table>"


def details_html(f, validate_txt):
    """The parameter table, the losses, the validation; the config last."""
    prm, b = f["parameters"], f["best"]
    names, lo, hi, truth = strings(prm["names"]), prm["lo"][()], prm["hi"][()], prm["true_values"][()]
    units, logs = param_units(f), prm["log_scale"][()]
    best = b["parameters"][()]
    out = ("<h2>Parameters</h2><table><tr><th>name</th><th>unit</th><th>fitted</th><th>bounds</th>"
           "<th>search</th><th>true value</th></tr>")
    for j, n in enumerate(names):
        t = f"{truth[j]:.6g}" if np.isfinite(truth[j]) else "unknown"
        out += (f"<tr><td>{html.escape(n)}</td><td>{html.escape(units[j])}</td><td>{best[j]:.6g}</td>"
                f"<td>[{lo[j]:.6g}, {hi[j]:.6g}]</td><td>{'log' if logs[j] else 'linear'}</td><td>{t}</td></tr>")
    out += "</table>"
    labels, obj = strings(f["losses/labels"]), b["objectives"][()]
    out += "<h2>Losses of the best</h2><ul>" + "".join(
        f"<li>{html.escape(l)} = {o:.6g}</li>" for l, o in zip(labels, obj)) + "</ul>"
    out += features_html(f)
    if validate_txt:
        out += f"<h2>Validation</h2><pre>{html.escape(validate_txt)}</pre>"
    return out + config_html(f)


def config_html(f):
    return f"<h2>Config</h2><pre>{html.escape(text(f['config'][()]))}</pre>"


CAPTIONS = {
    "raster.png": "Target and fitted (best) spikes on one time axis: each neuron's (sweep's) target spikes "
                  "above its row, the fit's below.",
    "convergence.png": "Best and mean fitness of each island against generation and against evaluations.",
    "parameters.png": "Parameter trajectories: every member of the population (dots), the best of each generation, "
                      "the bounds (dashed) and the true value when known.",
    "distributions.png": "Distributions compared by snnfit validate: rates, ISI CV, LV (and pairwise correlations "
                         "for connected networks).",
    "spectrum.png": "Power spectra of the population rate (Welch), target against fit, over the informative band.",
    "population.gif": "The population converging in parameter space, one frame per generation, coloured by island.",
    "rates.png": "Firing rate of every recorded neuron, per population.",
    "voltage.png": "Membrane potential: of the recorded neurons (a simulation), or of the best parameters per sweep "
                   "(neuron) against the recorded trace where the target is an NWB recording (a fit).",
}


# ---- `snnfit simulate` outputs ---------------------------------------------------------------

def sim_raster(f, out):
    pops = list(f["spikes"].keys()) if "spikes" in f else []
    if not pops:
        return None
    t_stop = float(f.attrs["t_stop"])
    sizes = [len(f["spikes"][p]["offsets"]) - 1 for p in pops]
    heights = [max(1.6, min(6.0, 0.3 * n)) for n in sizes]
    fig, axes = plt.subplots(len(pops), 1, figsize=(12, sum(heights) + 0.8), squeeze=False, sharex=True,
                             gridspec_kw={"height_ratios": heights})
    cmap = plt.get_cmap("tab10")
    for r, pop in enumerate(pops):
        ax = axes[r][0]
        trains = raster(f["spikes"][pop])
        draw_raster(ax, trains, cmap(r % 10), ms=2 if len(trains) > 40 else 6)
        ax.set_ylim(-0.6, len(trains) - 0.4)
        ax.set_xlim(0, t_stop)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_ylabel("neuron")
        ax.set_title(f"{pop}: {len(trains)} neurons, {sum(len(t) for t in trains)} spikes", fontsize=10)
    axes[-1][0].set_xlabel("time (ms)")
    fig.tight_layout()
    return save(fig, out, "raster.png")


def sim_rates(f, out):
    pops = list(f["spikes"].keys()) if "spikes" in f else []
    if not pops:
        return None
    t_stop = float(f.attrs["t_stop"])
    fig, axes = plt.subplots(1, len(pops), figsize=(5 * len(pops), 3.6), squeeze=False)
    for c, pop in enumerate(pops):
        ax = axes[0][c]
        off = f["spikes"][pop]["offsets"][()]
        rates = np.diff(off) / (t_stop / 1000.0)
        ax.hist(rates, bins=quantum_bins(rates), color=plt.get_cmap("tab10")(c % 10), alpha=0.8)
        ax.set_xlabel("firing rate (Hz)")
        ax.set_ylabel("neurons")
        ax.set_title(f"{pop}: mean {rates.mean():.3g} Hz over {len(rates)} neurons", fontsize=10)
    fig.tight_layout()
    return save(fig, out, "rates.png")


def sim_voltage(f, out, max_traces=5):
    if "voltage" not in f:
        return None
    pops = list(f["voltage"].keys())
    fig, axes = plt.subplots(len(pops), 1, figsize=(12, 3.2 * len(pops)), squeeze=False, sharex=True)
    for r, pop in enumerate(pops):
        g, ax = f["voltage"][pop], axes[r][0]
        v, neurons = g["v"][()], g["neurons"][()]
        dt, t0 = float(g.attrs["dt"]), float(g.attrs.get("t_start", 0.0))
        t = t0 + dt * np.arange(v.shape[1])
        for i in range(min(max_traces, v.shape[0])):
            ax.plot(t, v[i], lw=0.8, label=f"neuron {neurons[i]}")
        ax.set_ylabel(f"v ({text(g['v'].attrs.get('units', 'mV'))})")
        more = f" (first {max_traces} of {v.shape[0]})" if v.shape[0] > max_traces else ""
        ax.set_title(f"{pop}: membrane potential{more}", fontsize=10)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    axes[-1][0].set_xlabel("time (ms)")
    fig.tight_layout()
    return save(fig, out, "voltage.png")


def nwb_voltage(path, sweep):
    """(t in ms from the sweep start, v in mV) of acquisition series `sweep` of an NWB file, or None."""
    try:
        with h5py.File(path, "r") as f:
            s = f["acquisition"][sweep]
            d = s["data"]
            unit = text(d.attrs.get("unit", "volts"))
            scale = float(d.attrs.get("conversion", 1.0)) * (1000.0 if unit in ("volts", "V") else 1.0)
            v = d[()] * scale
            # Time from the sweep's own start, as the fit sees each sweep.
            t = 1000.0 * np.arange(len(v)) / float(s["starting_time"].attrs["rate"])
            return t, v
    except (OSError, KeyError, ValueError):
        return None


def fig_fit_voltage(f, out, max_panels=8):
    """The fit's membrane potential per sweep (neuron) of each compared population, against
    the recorded one where the target came from an NWB file."""
    path = os.path.join(out, "best_simulation.h5")
    if not os.path.exists(path):
        return None
    with h5py.File(path, "r") as b:
        if "voltage" not in b:
            return None
        traces = [(pop, b["voltage"][pop]["v"][()], b["voltage"][pop]["neurons"][()], float(b["voltage"][pop].attrs["dt"]))
                  for pop in b["voltage"]]
    panels = [(pop, i, v[i], neurons[i], dt) for pop, v, neurons, dt in traces for i in range(min(len(v), max_panels))]
    if not panels:
        return None
    fig, axes = plt.subplots(len(panels), 1, figsize=(12, 2.2 * len(panels) + 0.6), squeeze=False, sharex=True)
    for ax, (pop, i, v, neuron, dt) in zip(axes[:, 0], panels):
        g = f["target"][pop] if "target" in f and pop in f["target"] else None
        labels = sweep_labels(g) if g is not None else None
        n_trains = len(g["offsets"]) - 1 if g is not None else int(neuron) + 1
        steps = input_labels(f, pop, n_trains)
        name = f"{pop}, {steps[neuron]}" if steps else f"{pop}, neuron {neuron}"
        recorded = None
        if g is not None and "sweeps" in g:
            sweep = strings(g["sweeps"])[neuron]
            name = f"{pop}, sweep {sweep}" + (f" ({labels[neuron].split(': ', 1)[1]})" if labels else "")
            src = text(g.attrs.get("source", ""))
            if src.endswith(".nwb") and os.path.exists(src):
                recorded = nwb_voltage(src, sweep)
        if recorded is not None:
            ax.plot(*recorded, color=TARGET, lw=0.7, label="target (recorded)")
        ax.plot(dt * np.arange(len(v)), v, color=FITTED, lw=0.7, label="fit (best)")
        ax.set_ylabel("v (mV)")
        ax.set_title(name, fontsize=9)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    axes[-1][0].set_xlabel("time (ms)")
    fig.tight_layout()
    return save(fig, out, "voltage.png")


def page(title, figs, before, after):
    body = "".join(f'<figure><img src="{x}" alt="{x}"><figcaption>{html.escape(CAPTIONS.get(x, x))}'
                   f"</figcaption></figure>" for x in figs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>snnfit report: {html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1300px}} img{{max-width:100%}}
table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:2px 8px;text-align:left}}
pre{{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}} figure{{margin:1.5em 0}}</style></head>
<body><h1>snnfit report: {html.escape(title)}</h1>
{before}
<h2>Figures</h2>{body}
{after}
</body></html>
"""


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py RESULT.h5|SIMULATION.h5 DIR")
    path, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    f = h5py.File(path, "r")
    if text(f.attrs.get("kind", "")) == "simulation":
        figs = [x for x in (sim_raster(f, out), sim_rates(f, out), sim_voltage(f, out)) if x]
        a = f.attrs
        rows = [("seed", a["seed"]), ("dt", f"{a['dt']:g} ms"), ("duration", f"{a['t_stop']:g} ms"),
                ("status", text(a["status"]) + (f": {text(a['message'])}" if text(a.get("message", "")) else ""))]
        table = "<table>" + "".join(f"<tr><th>{k}</th><td>{html.escape(str(x))}</td></tr>" for k, x in rows) + "</table>"
        html_text = page(path, figs, table, config_html(f))
    else:
        vpath = os.path.join(out, "validate.json")
        v = json.load(open(vpath)) if os.path.exists(vpath) else None
        tpath = os.path.join(out, "validate.txt")
        vtxt = open(tpath).read() if os.path.exists(tpath) else ""
        pops = load_populations(out)
        independent = unconnected(f)
        figs = [fig_raster(f, out), fig_voltage(f, out) or fig_fit_voltage(f, out), fig_convergence(f, out), fig_parameters(f, out, pops)]
        if v is not None:
            figs.append(fig_distributions(v, out, independent))
            if not independent:
                figs.append(fig_spectrum(f, v, out))
        figs.append(gif_population(f, out, pops))
        figs = [x for x in figs if x]
        html_text = page(path, figs, summary_table(f, v), details_html(f, vtxt))
    with open(os.path.join(out, "index.html"), "w") as fh:
        fh.write(html_text)
    for x in figs:
        print(os.path.join(out, x))


if __name__ == "__main__":
    main()
