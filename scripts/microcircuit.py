#!/usr/bin/env python3
"""The cortical microcircuit of Potjans & Diesmann (2014, Cereb. Cortex 24:785) as
NEST's example implements it (pynest/examples/Potjans_2014: network_params.py,
network.py, helpers.py), turned into snnfit configs.

    scripts/microcircuit.py                  writes data/examples/microcircuit.toml (full
                                             scale) and data/examples/microcircuit_10pct.toml
    scripts/microcircuit.py --n-scaling 0.1 --k-scaling 0.1 --out FILE [--duration MS] [--fit ga|nsga2]

It also writes data/examples/microcircuit_fit.toml and microcircuit_fit_nsga2.toml: the
10 % model with g and the L4E -> L2/3E factor carried as weight_scale, fitted (with
the background rate) to the full-scale rates; --fit adds that fit to any scale.

Every number of the configs is derived here from the paper's tables, so they can be
reviewed in one place:
- neurons: 8 populations of iaf_psc_exp (snnfit: lif + exp_current, integrated exactly),
  C_m 250 pF, tau_m 10 ms, E_L = V_reset = -65 mV, V_th -50 mV, t_ref 2 ms, tau_syn 0.5 ms;
  initial V normal with NEST's "optimized" per-population mean and sd;
- connections: the connection probabilities C_a (Table 5) turned into total synapse
  numbers K = log(1 - C_a) / log(1 - 1/(N_pre N_post)) (the paper's Eq. 1), drawn with
  NEST's fixed_total_number, multapses and autapses allowed (NEST's defaults);
- weights: the PSC that gives a 0.15 mV PSP peak (87.81 pA), twice that for L4E -> L2/3E,
  g = -4 for inhibitory sources, relative sd 0.1, redrawn until the sign of the mean
  (keep_sign); delays normal 1.5 ms (E) / 0.75 ms (I), relative sd 0.5, redrawn until
  >= dt/2 (then rounded to at least one step), as NEST's example;
- background: Poisson at 8 Hz with the paper's in-degrees K_ext, weight 87.81 pA.

Scaling as NEST's example: N_scaling multiplies the population sizes, K_scaling the
in-degrees (total numbers scale with both). With K_scaling < 1 the weights are divided
by sqrt(K_scaling), which keeps the variance of the input, and a DC current
I_e = 0.001 tau_syn (1 - sqrt(K_scaling)) (sum_b J_ab K_ab nu_b + J K_ext nu_bg)
restores its mean, with nu_b the full-scale rates of NEST's example ('full_mean_rates').

Also imported by bench/microcircuit/brian2_microcircuit.py (the same network in Brian2).
Needs only the Python standard library.
"""
import argparse
import math
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

POPULATIONS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
FULL_SIZE = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
# Connection probabilities, [target][source] (Potjans & Diesmann 2014, Table 5).
CONN_PROBS = [
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]  # background in-degrees
BG_RATE = 8.0  # Hz per background source
# Full-scale rates of NEST's example (its 'full_mean_rates'), used only for the DC
# compensation of a K-scaled network.
NEST_FULL_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]
# NEST's 'optimized' initial membrane potentials (mean, sd per population, mV).
V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
V0_SD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]

NEURON = dict(C_m=250.0, tau_m=10.0, E_L=-65.0, V_th=-50.0, V_reset=-65.0, t_ref=2.0)
TAU_SYN = 0.5  # ms
PSP_E = 0.15  # mV, mean excitatory PSP peak
G = -4.0  # relative inhibitory weight
L4E_TO_L23E = 2.0  # factor of the L4E -> L2/3E weight
WEIGHT_REL_SD = 0.1
DELAY_E, DELAY_I, DELAY_REL_SD = 1.5, 0.75, 0.5  # ms
DT = 0.1  # ms


def psc_over_psp(C_m, tau_m, tau_syn):
    """The PSC amplitude (pA) whose PSP peaks at 1 mV: the peak of
    J tau_s tau_m / (C (tau_m - tau_s)) (e^{-t/tau_m} - e^{-t/tau_s})."""
    t_peak = math.log(tau_m / tau_syn) * tau_m * tau_syn / (tau_m - tau_syn)
    psp = tau_syn * tau_m / (C_m * (tau_m - tau_syn)) * (math.exp(-t_peak / tau_m) - math.exp(-t_peak / tau_syn))
    return 1.0 / psp


def total_synapses(p, n_target, n_source):
    """The paper's Eq. 1: K with 1 - (1 - 1/(N_pre N_post))^K = C_a."""
    prod = float(n_target) * float(n_source)
    return math.log(1.0 - p) / math.log((prod - 1.0) / prod)


def derive(n_scaling=1.0, k_scaling=1.0, bg_rate=BG_RATE, g=G, l4e_factor=L4E_TO_L23E):
    """Sizes, projections, background and DC of the (scaled) microcircuit, as NEST's
    network.py derives them."""
    J = PSP_E * psc_over_psp(NEURON["C_m"], NEURON["tau_m"], TAU_SYN)  # 87.81 pA
    n = len(POPULATIONS)
    full_K = [[total_synapses(CONN_PROBS[t][s], FULL_SIZE[t], FULL_SIZE[s]) for s in range(n)] for t in range(n)]
    mean_w = [[J * (g if s % 2 else 1.0) for s in range(n)] for t in range(n)]
    mean_w[0][2] *= l4e_factor
    sizes = [int(round(N * n_scaling)) for N in FULL_SIZE]
    k_ext = [int(round(K * k_scaling)) for K in K_EXT]
    dc = [0.0] * n
    w_scale = 1.0 / math.sqrt(k_scaling)
    if k_scaling != 1.0:
        for t in range(n):
            rec = sum(mean_w[t][s] * full_K[t][s] / FULL_SIZE[t] * NEST_FULL_RATES[s] for s in range(n))
            ext = J * K_EXT[t] * bg_rate
            dc[t] = 0.001 * TAU_SYN * (1.0 - math.sqrt(k_scaling)) * (rec + ext)
    projections = []
    for t in range(n):
        for s in range(n):
            total = int(round(full_K[t][s] * n_scaling * k_scaling))
            if total == 0:
                continue
            w = mean_w[t][s] * w_scale
            d = DELAY_I if s % 2 else DELAY_E
            projections.append(dict(source=POPULATIONS[s], target=POPULATIONS[t], total=total, w_mean=w,
                                    w_sd=abs(w) * WEIGHT_REL_SD, d_mean=d, d_sd=d * DELAY_REL_SD))
    return dict(sizes=sizes, k_ext=k_ext, dc=dc, w_ext=J * w_scale, bg_rate=bg_rate, projections=projections,
                n_scaling=n_scaling, k_scaling=k_scaling)


def fmt(x):
    return repr(round(x, 6)) if isinstance(x, float) else str(x)


def toml(net, duration, fit=None):
    """The config text; `fit` = "ga" or "nsga2" adds the fit of microcircuit_fit*.toml."""
    lines = [
        "# The cortical microcircuit of Potjans & Diesmann (2014), as NEST's microcircuit example",
        f"# implements it; N_scaling = {net['n_scaling']}, K_scaling = {net['k_scaling']}.",
        "# Generated by scripts/microcircuit.py (which explains every number); do not edit by hand.",
        "",
        "[simulation]",
        f"dt = {DT}",
        f"duration = {fmt(float(duration))}",
        "seed = 1",
        "",
    ]
    for k, name in enumerate(POPULATIONS):
        params = dict(NEURON)
        params["I_e"] = net["dc"][k]
        body = ", ".join(f"{p} = {fmt(v)}" for p, v in params.items())
        lines += [
            "[[populations]]",
            f'name = "{name}"',
            f"size = {net['sizes'][k]}",
            'model = "lif"',
            f"params = {{ {body}, V_init = {{ dist = \"normal\", mean = {V0_MEAN[k]}, sd = {V0_SD[k]} }} }}",
            "",
        ]
    inhibitory, background = [], []
    for p in net["projections"]:
        self_ = p["source"] == p["target"]
        name = f'{p["source"]}_to_{p["target"]}'
        # A fit config carries g and the L4E -> L2/3E factor as weight_scale (one number
        # a fit parameter can write), the weight tables holding the rest.
        factor = 1.0
        if fit and p["source"].endswith("I"):
            factor = -G
            inhibitory.append(name)
        elif fit and name == "L4E_to_L23E":
            factor = L4E_TO_L23E
        lines += [
            "[[projections]]",
            f'name = "{name}"',
            f'source = "{p["source"]}"',
            f'target = "{p["target"]}"',
            'rule = "total_number"',
            f"total_number = {p['total']}",
            "allow_multapses = true",
        ]
        if self_:
            lines.append("allow_autapses = true")
        lines += [
            f"weight = {{ dist = \"normal\", mean = {fmt(p['w_mean'] / factor)}, sd = {fmt(p['w_sd'] / factor)}, "
            "keep_sign = true }",
            f"delay = {{ dist = \"normal\", mean = {p['d_mean']}, sd = {p['d_sd']}, lo = {DT / 2} }}",
            'synapse = "exp_current"',
            f"tau = {TAU_SYN}",
        ]
        if factor != 1.0:
            lines.append(f"weight_scale = {factor}")
        lines.append("")
    for k, name in enumerate(POPULATIONS):
        background.append(f"inputs.bg_{name}.rate")
        lines += [
            "[[inputs]]",
            f'name = "bg_{name}"',
            'type = "poisson"',
            f'target = "{name}"',
            f"rate = {fmt(net['bg_rate'])}",
            f"sources = {net['k_ext'][k]}",
            f"weight = {fmt(net['w_ext'])}",
            'synapse = "exp_current"',
            f"tau = {TAU_SYN}",
            "",
        ]
    if fit:
        lines += fit_tables(fit, inhibitory, background)
    return "\n".join(lines)


def fit_tables(algorithm, inhibitory, background):
    """Fit the background rate, g and the L4E -> L2/3E factor of the 10 % model to the
    full-scale rates (NEST's), one rate-error objective per population."""
    out = [
        "[fit]",
        'population = "L23E"',
        "seed = 1",
        "t_start = 200.0  # ms: the transient is not compared",
        "",
        "[[fit.parameters]]",
        'name = "bg_rate"',
        f'path = "{background[0]}"',
        "also = [" + ", ".join(f'"{b}"' for b in background[1:]) + "]",
        "lo = 6.0",
        "hi = 10.0",
        "",
        "[[fit.parameters]]",
        'name = "g"  # minus the relative inhibitory weight',
        f'path = "projections.{inhibitory[0]}.weight_scale"',
        "also = [" + ", ".join(f'"projections.{p}.weight_scale"' for p in inhibitory[1:]) + "]",
        "lo = 3.0",
        "hi = 6.0",
        "",
        "[[fit.parameters]]",
        'name = "l4e_factor"',
        'path = "projections.L4E_to_L23E.weight_scale"',
        "lo = 1.0",
        "hi = 3.0",
        "",
    ]
    for k, name in enumerate(POPULATIONS):
        out += ["[[fit.loss]]", 'type = "rate"', f'population = "{name}"', f"target_rate = {NEST_FULL_RATES[k]}", ""]
    out += ["[optimizer]", "islands = 2", f'algorithm = "{algorithm}"', "population = 8", "",
            "[optimizer.termination]", "generations = 6", "", "[checkpoint]", "every = 1", ""]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-scaling", type=float)
    ap.add_argument("--k-scaling", type=float)
    ap.add_argument("--duration", type=float, default=1500.0, help="ms (default 1500: 0.5 s transient + 1 s)")
    ap.add_argument("--fit", choices=["ga", "nsga2"], help="add the fit of microcircuit_fit.toml")
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.out:
        net = derive(a.n_scaling or 1.0, a.k_scaling or 1.0)
        with open(a.out, "w") as f:
            f.write(toml(net, a.duration, fit=a.fit))
        return
    for scale, name in ((1.0, "microcircuit.toml"), (0.1, "microcircuit_10pct.toml")):
        with open(os.path.join(ROOT, "data", "examples", name), "w") as f:
            f.write(toml(derive(scale, scale), a.duration))
    for algorithm, name in (("ga", "microcircuit_fit.toml"), ("nsga2", "microcircuit_fit_nsga2.toml")):
        with open(os.path.join(ROOT, "data", "examples", name), "w") as f:
            f.write(toml(derive(0.1, 0.1), 1200.0, fit=algorithm))


if __name__ == "__main__":
    main()
