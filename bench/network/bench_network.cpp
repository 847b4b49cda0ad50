// Times snnfit's network simulation of a config (run phase and construction
// separately, single thread), and measures this machine's limits for the
// roofline statement of bench/network/run.sh.
//   bench_network CONFIG [--repeat R] [--set KEY=VALUE]...
//   bench_network --machine
// Prints key=value lines.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/error.hpp"
#include "io/config.hpp"
#include "io/network_config.hpp"
#include "sim/simulator.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time of this thread: on a shared machine it tells how much of the wall time
// was spent computing rather than waiting for a core.
double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Read bandwidth of a working set of `bytes`: best of several passes of a sum.
double read_bandwidth(std::size_t bytes) {
    std::vector<double> a(bytes / sizeof(double), 1.0);
    volatile double sink = 0;
    double best = 1e30;
    for (int pass = 0; pass < 12; ++pass) {
        const auto t0 = Clock::now();
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (std::size_t i = 0; i + 3 < a.size(); i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        sink = sink + s0 + s1 + s2 + s3;
        best = std::min(best, seconds_since(t0));
    }
    return static_cast<double>(bytes) / best;
}

// Double-precision add+multiply throughput with the build's flags, on one core
// (independent chains so latency does not bind).
double flops() {
    constexpr int lanes = 32;
    alignas(64) double x[lanes];
    for (int j = 0; j < lanes; ++j) x[j] = 1.0 + 1e-9 * j;
    const double m = 0.999999999, c = 1e-9;
    const long iters = 20'000'000;
    double best = 1e30;
    for (int pass = 0; pass < 3; ++pass) {
        const auto t0 = Clock::now();
        for (long i = 0; i < iters; ++i)
            for (int j = 0; j < lanes; ++j) x[j] = x[j] * m + c;
        best = std::min(best, seconds_since(t0));
    }
    volatile double sink = 0;
    for (double v : x) sink = sink + v;
    return 2.0 * lanes * static_cast<double>(iters) / best;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 1 && args[0] == "--machine") {
            fmt::print("l2_read_GBps={:.2f}\n", read_bandwidth(512u << 10) / 1e9);
            fmt::print("l3_read_GBps={:.2f}\n", read_bandwidth(16u << 20) / 1e9);
            fmt::print("dram_read_GBps={:.2f}\n", read_bandwidth(512u << 20) / 1e9);
            fmt::print("flops_G={:.2f}\n", flops() / 1e9);
            return 0;
        }
        if (args.empty())
            throw snnfit::Error("usage: bench_network CONFIG [--repeat R] [--set KEY=VALUE]... | --machine");
        std::vector<std::string> overrides;
        int repeat = 5;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] == "--set" && i + 1 < args.size())
                overrides.push_back(args[++i]);
            else if (args[i] == "--repeat" && i + 1 < args.size())
                repeat = std::stoi(args[++i]);
            else
                throw snnfit::Error("unknown argument " + args[i]);
        }
        const auto doc = snnfit::io::ConfigDocument::from_file(args[0], overrides);
        const auto root = doc.root();
        const auto spec = snnfit::io::parse_network(root);
        root.finish();
        std::size_t neurons = 0;
        for (const auto& p : spec.populations) neurons += static_cast<std::size_t>(p.size);
        std::vector<double> build, run, cpu;
        snnfit::sim::SimResult res;
        for (int r = 0; r < repeat; ++r) {
            auto t0 = Clock::now();
            snnfit::sim::Simulator sim(spec, spec.simulation.seed);
            build.push_back(seconds_since(t0));
            t0 = Clock::now();
            const double c0 = thread_cpu_s();
            res = sim.run();
            run.push_back(seconds_since(t0));
            cpu.push_back(thread_cpu_s() - c0);
        }
        std::sort(build.begin(), build.end());
        std::sort(run.begin(), run.end());
        std::sort(cpu.begin(), cpu.end());
        const double run_s = run[run.size() / 2];
        std::size_t spikes = 0;
        for (const auto& r : res.spikes) spikes += r.spike_count();
        fmt::print("build_s={:.6f}\nrun_s={:.6f}\nrun_min_s={:.6f}\nrun_cpu_s={:.6f}\n", build[build.size() / 2], run_s,
                   run.front(), cpu[cpu.size() / 2]);
        fmt::print("neurons={}\nsteps={}\nspikes={}\nsynaptic_events={}\n", neurons, res.steps, spikes,
                   res.synaptic_events);
        fmt::print("neuron_updates_per_s={:.4g}\nsynaptic_events_per_s={:.4g}\n",
                   static_cast<double>(neurons) * static_cast<double>(res.steps) / run_s,
                   static_cast<double>(res.synaptic_events) / run_s);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_network: %s\n", e.what());
        return 1;
    }
}
