#!/usr/bin/python3
"""Figures of a fit: `snnfit report RESULT.h5 --out DIR` runs this as
/usr/bin/python3 scripts/report.py RESULT.h5 DIR after writing DIR/validate.json
(snnfit validate's JSON) and DIR/populations.csv (the replayed populations).

Writes DIR/raster.png, convergence.png, parameters.png, distributions.png,
spectrum.png, population.gif, voltage.png (fits with a features loss) (whichever the
inputs allow) and DIR/index.html.
Needs Debian's python3-matplotlib, python3-h5py, python3-numpy (python3-pil for the GIF).
"""
import html
import json
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

TARGET, FITTED = "#333333", "#d62728"


def strings(ds):
    return [s.decode() if isinstance(s, bytes) else str(s) for s in ds[()]]


def raster(g):
    t, o = g["times"][()], g["offsets"][()]
    return [t[o[i]:o[i + 1]] for i in range(len(o) - 1)]


def save(fig, out, name):
    fig.savefig(os.path.join(out, name), dpi=100)
    plt.close(fig)
    return name


def fig_raster(f, out):
    pops = list(f["target"].keys()) if "target" in f else []
    if not pops:
        return None
    fig, axes = plt.subplots(len(pops), 2, figsize=(12, 3.2 * len(pops)), squeeze=False, sharex=True)
    for r, pop in enumerate(pops):
        for c, (title, g, color) in enumerate([("target", f["target"][pop], TARGET),
                                               ("fitted (best)", f["best/spikes"].get(pop), FITTED)]):
            ax = axes[r][c]
            if g is None:
                ax.set_title(f"{pop}: {title} — not recorded")
                continue
            trains = raster(g)
            for i, t in enumerate(trains):
                ax.plot(t, np.full(len(t), i), "|", color=color, ms=3)
            n = sum(len(t) for t in trains)
            dur = max([t[-1] for t in trains if len(t)] + [1e-9])
            ax.set_title(f"{pop}: {title} raster ({len(trains)} neurons, {n} spikes)")
            ax.set_ylabel("neuron")
            ax.set_ylim(-0.5, len(trains) - 0.5)
            ax.set_xlim(0, dur)
        axes[r][0].set_xlabel("time (s)")
        axes[r][1].set_xlabel("time (s)")
    fig.suptitle("Target raster against the fitted raster")
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
    axes[0].legend(fontsize=7, ncol=2)
    fig.tight_layout()
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
        if logs[j]:
            ax.set_yscale("log")
        ax.set_title(f"Parameter trajectory: {names[j]}")
        ax.set_ylabel(names[j])
        ax.legend(fontsize=7)
    for j in range(d, rows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.tight_layout()
    return save(fig, out, "parameters.png")


DIST_TITLES = {"rate": "firing rate (Hz)", "cv": "ISI CV", "lv": "LV", "corr": "pairwise correlation"}


def fig_distributions(v, out):
    pops = list(v["populations"].keys())
    fig, axes = plt.subplots(len(pops), 4, figsize=(16, 3.4 * len(pops)), squeeze=False)
    for r, pop in enumerate(pops):
        pv = v["populations"][pop]
        for c, q in enumerate(("rate", "cv", "lv", "corr")):
            ax = axes[r][c]
            t = np.array([x for x in pv[q]["target"] if x is not None], dtype=float)
            y = np.array([x for x in pv[q]["fitted"] if x is not None], dtype=float)
            both = np.concatenate([t, y])
            if len(both) == 0:
                ax.set_title(f"{pop}: {DIST_TITLES[q]} — no values")
                continue
            bins = np.histogram_bin_edges(both, bins=20)
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


def fig_spectrum(v, out):
    pops = list(v["populations"].keys())
    fig, axes = plt.subplots(1, len(pops), figsize=(6.5 * len(pops), 4), squeeze=False)
    for c, pop in enumerate(pops):
        s = v["populations"][pop]["spectrum"]
        ax = axes[0][c]
        fq = np.array(s["frequency"], dtype=float)
        if len(fq) < 2:
            ax.set_title(f"{pop}: no spectrum")
            continue
        ax.semilogy(fq[1:], np.array(s["target"], dtype=float)[1:], color=TARGET, label="target")
        ax.semilogy(fq[1:], np.array(s["fitted"], dtype=float)[1:], color=FITTED, label="fitted (mean over seeds)")
        ax.set_xlabel("frequency (Hz)")
        ax.set_ylabel("PSD of the population rate (Hz²/Hz)")
        ax.set_title(f"{pop}: population rate spectrum\npower {s['target_power']:.3g} vs {s['fitted_power']:.3g} Hz², "
                     f"peaks {s['target_peak']:.3g} / {s['fitted_peak']:.3g} Hz", fontsize=10)
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
    fig, ax = plt.subplots(figsize=(6, 5))
    xj, yj = 0, 1
    ax.set_xlim(lo[xj], hi[xj])
    if logs[xj]:
        ax.set_xscale("log")
    if two:
        ax.set_ylim(lo[yj], hi[yj])
        if logs[yj]:
            ax.set_yscale("log")
        ax.set_ylabel(names[yj])
        if np.isfinite(truth[xj]) and np.isfinite(truth[yj]):
            ax.plot([truth[xj]], [truth[yj]], "*", color="#2ca02c", ms=16, label="true value")
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
            ax.axvline(truth[xj], color="#2ca02c", label="true value")
    ax.set_xlabel(names[xj])
    if not logs[xj]:
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5))
        ax.ticklabel_format(axis="x", useOffset=False)
    cmap = plt.get_cmap("tab10")
    colors = [cmap(k % 10) for k in islands]
    scat = ax.scatter([], [], s=14)
    title = ax.set_title("Population in parameter space, generation 0\n(colour: island)")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper right", fontsize=8)

    def frame(i):
        m = data[:, 0] == gens[i]
        y = data[m, 3 + yj] if two else fit[m]
        scat.set_offsets(np.column_stack([data[m, 3 + xj], y]))
        scat.set_color([colors[j] for j in np.nonzero(m)[0]])
        title.set_text(f"Population in parameter space, generation {int(gens[i])}\n(colour: island)")
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


def summary_html(f, v, validate_txt):
    rows = []
    a = f.attrs
    for k in ("snnfit_version", "created", "run_seed", "generations", "evaluations"):
        if k in a:
            val = a[k]
            rows.append((k, val.decode() if isinstance(val, bytes) else val))
    cfg = f["config"]
    rows.append(("config", cfg.attrs.get("file", "")))
    b = f["best"]
    rows.append(("best fitness", f"{b.attrs['fitness']:.6g} (island {b.attrs['island']}, generation "
                                 f"{b.attrs['generation']})"))
    if v is not None:
        rows.append(("validation", f"{v['verdict']} ({v['seeds']} seeds, alpha {v['options']['alpha']})"))
    out = "<table>" + "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(x))}</td></tr>"
                              for k, x in rows) + "</table>"
    prm = f["parameters"]
    names, lo, hi, truth = strings(prm["names"]), prm["lo"][()], prm["hi"][()], prm["true_values"][()]
    best = b["parameters"][()]
    out += "<h2>Parameters</h2><table><tr><th>name</th><th>fitted</th><th>bounds</th><th>true value</th></tr>"
    for j, n in enumerate(names):
        t = f"{truth[j]:.6g}" if np.isfinite(truth[j]) else "unknown"
        out += (f"<tr><td>{html.escape(n)}</td><td>{best[j]:.6g}</td><td>[{lo[j]:.6g}, {hi[j]:.6g}]</td>"
                f"<td>{t}</td></tr>")
    out += "</table>"
    labels, obj = strings(f["losses/labels"]), b["objectives"][()]
    out += "<h2>Losses of the best</h2><ul>" + "".join(
        f"<li>{html.escape(l)} = {o:.6g}</li>" for l, o in zip(labels, obj)) + "</ul>"
    out += features_html(f)
    if validate_txt:
        out += f"<h2>Validation</h2><pre>{html.escape(validate_txt)}</pre>"
    out += f"<h2>Config</h2><pre>{html.escape(cfg[()].decode() if isinstance(cfg[()], bytes) else str(cfg[()]))}</pre>"
    return out


CAPTIONS = {
    "raster.png": "Target raster against the fitted (best) raster.",
    "voltage.png": "Voltage of each sweep, recorded (target) against the fitted cell; the features table is above.",
    "convergence.png": "Best and mean fitness of each island against generation and against evaluations.",
    "parameters.png": "Parameter trajectories: every member of the population (dots), the best of each generation, "
                      "the bounds (dashed) and the true value when known.",
    "distributions.png": "Distributions compared by snnfit validate: rates, ISI CV, LV, pairwise correlations.",
    "spectrum.png": "Power spectra of the population rate (Welch).",
    "population.gif": "The population converging in parameter space, one frame per generation.",
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py RESULT.h5 DIR")
    path, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    f = h5py.File(path, "r")
    vpath = os.path.join(out, "validate.json")
    v = json.load(open(vpath)) if os.path.exists(vpath) else None
    tpath = os.path.join(out, "validate.txt")
    vtxt = open(tpath).read() if os.path.exists(tpath) else ""
    pops = load_populations(out)
    figs = [fig_raster(f, out), fig_voltage(f, out), fig_convergence(f, out), fig_parameters(f, out, pops)]
    if v is not None:
        figs += [fig_distributions(v, out), fig_spectrum(v, out)]
    figs.append(gif_population(f, out, pops))
    figs = [x for x in figs if x]
    body = "".join(f'<figure><img src="{x}" alt="{x}"><figcaption>{html.escape(CAPTIONS.get(x, x))}'
                   f"</figcaption></figure>" for x in figs)
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>snnfit report: {html.escape(path)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1300px}} img{{max-width:100%}}
table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:2px 8px;text-align:left}}
pre{{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}} figure{{margin:1.5em 0}}</style></head>
<body><h1>snnfit report: {html.escape(path)}</h1>
<h2>Summary</h2>{summary_html(f, v, vtxt)}
<h2>Figures</h2>{body}
</body></html>
"""
    with open(os.path.join(out, "index.html"), "w") as fh:
        fh.write(page)
    for x in figs:
        print(os.path.join(out, x))


if __name__ == "__main__":
    main()
