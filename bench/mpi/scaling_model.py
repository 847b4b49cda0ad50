#!/usr/bin/python3
"""The efficiency model of docs/scaling-model.md, evaluated for the two examples at
64, 1024 and 8192 ranks. Inputs are measured figures (bench/mpi/run.sh,
bench/python_pipeline/run.sh, bench/ga_overhead/run.sh); override them on the command line:
    scaling_model.py [alpha_us=2.1] [beta_us=0.16] [tga_us=1.0] [te_cell_ms=0.27] [te_net_ms=4.7]
                     [ax_us=9.3] [bx_us=0.0002] [built_only=1]
ax_us, bx_us: the island groups' exchanges as built (bench/mpi/run.sh ONLY=groups): one
allgather step between sub-masters (small messages: batch sizes, per-island counts, best and
moments), and, per candidate of the whole batch and generation, the emigrants each
sub-master receives at a migration: 2 of an island of 256, ~0.16 us each packed and
unpacked (as a Request), once per migration interval of 10: 0.16 * 2 / 256 / 10 = 0.0001 us,
rounded up to 0.0002 (bx_us=0.016 models exchanging whole islands instead). built_only=1 prints only the tables of the built configuration.
Prints markdown tables."""
import math
import sys

inp = {"alpha_us": 2.1, "beta_us": 0.16, "tga_us": 1.0, "te_cell_ms": 0.27, "te_net_ms": 4.7, "ax_us": 9.3,
       "bx_us": 0.0002, "built_only": 0}
for a in sys.argv[1:]:
    k, v = a.split("=")
    inp[k] = float(v)
ALPHA, BETA, TGA = inp["alpha_us"] * 1e-6, inp["beta_us"] * 1e-6, inp["tga_us"] * 1e-6
AX, BX = inp["ax_us"] * 1e-6, inp["bx_us"] * 1e-6
CHUNK_SECONDS, CHUNKS_PER_WORKER = 0.02, 4  # mpi/master_evaluator.cpp
# Allgathers among the sub-masters per generation as built: batch sizes (candidate ids),
# evaluated islands (best, counts, messages), statistics (log), rank 0's decisions (signal,
# checkpoint due) -- core/opt/optimizer.cpp Optimizer::step, core/fit/run.cpp FitRun::run.
EXCHANGES_PER_GENERATION = 4
# --async-groups: the same allgathers, plus one carrying the generations run in between, once
# per synchronisation interval (the migration interval, 10, at most 10: Optimizer::kMaxUnsynchronised).
SYNC_INTERVAL = 10


def chunk(B, W, te):
    """MasterEvaluator::chunk_size for the first chunk of a batch of B."""
    balanced = max(1, B // (W * CHUNKS_PER_WORKER))
    return max(1, min(balanced, math.ceil(CHUNK_SECONDS / te)))


def efficiency(B, n, te, groups=1, overlap=False, built=False, asynchronous=False):
    """One generation of B candidates of cost te on n ranks. groups = 1: today's single
    master and n - 1 workers. groups > 1: hierarchical: `groups` ranks are sub-masters (one
    of them also the top master), each runs the GA of its own islands (B / groups
    candidates) and serves (n - groups) / groups workers. Efficiency is against n - 1 ranks
    computing all the time, so sub-masters count as lost compute. overlap: asynchronous
    islands -- a (sub-)master breeds one island while the workers evaluate the others, so its
    GA and dispatch work overlap the evaluations instead of adding to them. built: the island
    groups as built (stage 1): every generation the sub-masters synchronise through
    EXCHANGES_PER_GENERATION allgathers (log2(groups) steps each) carrying B * BX of data.
    asynchronous (--async-groups): those allgathers, and one more, once per SYNC_INTERVAL."""
    W = n - groups
    Wg, Bg = max(1, W // groups), max(1, B // groups)
    k = chunk(Bg, Wg, te)
    compute = math.ceil(Bg / Wg) * te                # the busiest worker: the generation barrier
    master = math.ceil(Bg / k) * ALPHA + Bg * BETA  # the master's serial dispatch work
    exchange = 0.0
    if built and groups > 1:
        latency = EXCHANGES_PER_GENERATION * math.ceil(math.log2(groups)) * AX
        if asynchronous:
            latency = (latency + math.ceil(math.log2(groups)) * AX) / SYNC_INTERVAL
        exchange = latency + B * BX
    if overlap:
        t_gen = max(compute, master + Bg * TGA) + 2 * ALPHA + exchange
    else:
        t_gen = max(compute, master) + Bg * TGA + 2 * ALPHA + exchange
    return B * te / ((n - 1) * t_gen), k, compute, master, exchange


def table(title, B_of, te, per_group=0, overlap=False, built=False, asynchronous=False):
    """per_group > 0: one sub-master per `per_group` ranks."""
    print("\n%s\n" % title)
    print("| ranks | masters | batch | chunk | compute/gen | master dispatch/gen | GA/gen | exchanges/gen | efficiency |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in (64, 1024, 8192):
        g = max(1, n // per_group) if per_group else 1
        B = B_of(n - 1)
        e, k, c, m, x = efficiency(B, n, te, g, overlap, built, asynchronous)
        print("| %d | %d | %d | %d | %.3g ms | %.3g ms | %.3g ms | %.3g ms | %.2f |"
              % (n, g, B, k, c * 1e3, m * 1e3, B / g * TGA * 1e3, x * 1e3, e))


def main():
    te_c, te_n = inp["te_cell_ms"] * 1e-3, inp["te_net_ms"] * 1e-3
    print("inputs: alpha %.3g us/message, beta %.3g us/candidate, GA %.3g us/candidate, "
          "t_eval single cell %.3g ms, network %.3g ms; exchanges %.3g us/step + %.3g us/candidate"
          % (ALPHA * 1e6, BETA * 1e6, TGA * 1e6, te_c * 1e3, te_n * 1e3, AX * 1e6, BX * 1e6))
    for mult in (4, 16):
        table("single cell, batch %dW, island groups as built (--group-size 64, synchronised every generation)"
              % mult, lambda W: mult * W, te_c, 64, built=True)
        table("network, batch %dW, island groups as built (--group-size 64, synchronised every generation)" % mult,
              lambda W: mult * W, te_n, 64, built=True)
    for mult in (4, 16):
        table("single cell, batch %dW, island groups as built with --async-groups (synchronised every 10)" % mult,
              lambda W: mult * W, te_c, 64, built=True, asynchronous=True)
        table("network, batch %dW, island groups as built with --async-groups (synchronised every 10)" % mult,
              lambda W: mult * W, te_n, 64, built=True, asynchronous=True)
    if inp["built_only"]:
        return
    table("single cell, the example's batch (4 islands x 39 = 156 per generation), one master", lambda W: 156, te_c)
    table("network, the example's batch (2 islands x 23 = 46 per generation), one master", lambda W: 46, te_n)
    for mult in (4, 16):
        table("single cell, batch %dW (W = n - 1), one master" % mult, lambda W: mult * W, te_c)
        table("network, batch %dW, one master" % mult, lambda W: mult * W, te_n)
    for mult in (4, 16):
        table("single cell, batch %dW, hierarchical: one sub-master per 64 ranks" % mult, lambda W: mult * W, te_c, 64)
        table("network, batch %dW, hierarchical: one sub-master per 64 ranks" % mult, lambda W: mult * W, te_n, 64)
    for mult in (4, 16):
        table("single cell, batch %dW, hierarchical (64 ranks per sub-master) + asynchronous islands" % mult,
              lambda W: mult * W, te_c, 64, True)
        table("network, batch %dW, hierarchical (64 ranks per sub-master) + asynchronous islands" % mult,
              lambda W: mult * W, te_n, 64, True)


if __name__ == "__main__":
    main()
