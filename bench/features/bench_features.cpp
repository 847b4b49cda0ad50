// What the voltage features of data/examples/fit_nwb_adex_features.toml cost, per
// evaluation (6 sweeps of 1 s at dt 0.1 ms): a whole evaluation of the spike-timing fit
// (fit_nwb_adex.toml), the simulation recording the sweeps' voltages, the extraction of
// every feature of the features terms from that simulation, and a whole evaluation of the
// features fit. Process CPU time (the machine is shared), median of REPS rounds of N
// evaluations at points drawn uniformly in the box.
//   bench_features [N REPS]
// Prints: eval_spikes_ms <TAB> sim_voltage_ms <TAB> extract_ms <TAB> eval_features_ms <TAB> sweeps
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "common/rng.hpp"
#include "fit/feature_loss.hpp"
#include "fit/problem.hpp"
#include "fit/spike_fit.hpp"
#include "io/config.hpp"
#include "sim/simulator.hpp"

using namespace snnfit;

namespace {

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 50;
    const int reps = argc > 2 ? std::atoi(argv[2]) : 5;
    const std::string data = SNNFIT_DATA;
    auto spikes_doc = io::ConfigDocument::from_file(data + "/examples/fit_nwb_adex.toml");
    auto features_doc = io::ConfigDocument::from_file(data + "/examples/fit_nwb_adex_features.toml");
    const fit::SpikeFit spikes(fit::read_spike_fit(spikes_doc));
    const fit::SpikeFit features(fit::read_spike_fit(features_doc));
    const auto& spec = features.spec();
    const std::size_t sweeps = spec.protocol->sweeps.size();

    // The same points for every measurement.
    Rng rng(1, 20);
    std::vector<std::vector<double>> xs;
    const auto lo = features.space().search_lo(), hi = features.space().search_hi();
    for (int i = 0; i < n; ++i) {
        std::vector<double> x;
        for (std::size_t j = 0; j < lo.size(); ++j) x.push_back(lo[j] + rng.uniform() * (hi[j] - lo[j]));
        xs.push_back(std::move(x));
    }
    // What a features evaluation simulates: the compared spikes and the protocol's voltages.
    model::NetworkSpec with_voltage = spec.network;
    with_voltage.recording.spike_populations = {spec.protocol->population};
    with_voltage.recording.spike_neurons.clear();
    with_voltage.recording.voltage = {{spec.protocol->population, {}}};

    std::vector<double> sim_s, sim_v, extract, eval_f;
    double sink = 0.0;
    for (int r = 0; r < reps; ++r) {
        double t0 = cpu_ms();
        for (const auto& x : xs) sink += static_cast<double>(spikes.evaluate(x, 1).objectives.size());
        sim_s.push_back((cpu_ms() - t0) / n);
        double simulating = 0.0, extracting = 0.0;
        for (const auto& x : xs) {
            auto s = with_voltage;
            features.space().apply(s, features.space().decode(x));
            t0 = cpu_ms();
            const auto res = sim::simulate(s, 1);
            const double t1 = cpu_ms();
            for (const auto& l : spec.losses)
                if (l.kind == fit::LossTerm::Kind::features)
                    sink += fit::feature_loss_value(*l.features, *spec.protocol, res, l.population);
            extracting += cpu_ms() - t1;
            simulating += t1 - t0;
        }
        sim_v.push_back(simulating / n);
        extract.push_back(extracting / n);
        t0 = cpu_ms();
        for (const auto& x : xs) sink += static_cast<double>(features.evaluate(x, 1).objectives.size());
        eval_f.push_back((cpu_ms() - t0) / n);
    }
    std::fprintf(stderr, "checksum %g\n", sink);
    std::printf("%.4f\t%.4f\t%.4f\t%.4f\t%zu\n", median(sim_s), median(sim_v), median(extract), median(eval_f), sweeps);
    return 0;
}
