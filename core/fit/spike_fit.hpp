// The spike-fit problem: a network spec, the parameters to search, the target spike
// trains and the loss terms; one evaluation simulates the network with the candidate's
// values and scores its spikes against the target.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"
#include "fit/loss.hpp"
#include "fit/parameter_space.hpp"
#include "fit/problem.hpp"
#include "fit/protocol.hpp"
#include "io/config.hpp"
#include "metrics/spike_train.hpp"
#include "model/network_spec.hpp"
#include "sim/simulator.hpp"

namespace snnfit::fit {

struct TargetSpec {
    // none: only rate losses with a target_rate; protocol: the sweeps of [fit.protocol]
    enum class Kind { simulated, hdf5, pyspike, csv, none, protocol };
    Kind kind = Kind::simulated;
    std::string file;        // hdf5/pyspike/csv
    std::string group;       // hdf5: the raster group, default "spikes/<population>"
    double scale = 1.0;      // pyspike/csv: multiply times by this to get ms ("s" -> 1000)
    std::uint64_t seed = 0;  // simulated: the realisation (default: [simulation] seed)
};

struct FitSpec {
    model::NetworkSpec network;  // the config's own values are the ground truth of a simulated target
    ParameterSpace space;
    TargetSpec target;
    std::vector<LossTerm> losses;
    std::string population;  // whose spikes are compared (default of each loss term)
    metrics::Window window{0.0, 0.0};
    std::uint64_t seed = 1;  // [fit] seed: the run seed
    // [fit.protocol]: the sweeps already expanded into `network` (one neuron each);
    // losses on its population compare sweep i on sweep_windows[i].
    std::optional<Protocol> protocol;
    std::vector<metrics::Window> sweep_windows;
};

// Reads the network sections and [fit] of a config's root table strictly ([optimizer] and
// [checkpoint] are parse_fit_config's; root is not finished here).
FitSpec read_spike_fit(const io::ConfigTable& root);
inline FitSpec read_spike_fit(const io::ConfigDocument& doc) {
    return read_spike_fit(doc.root());
}
// The network `snnfit simulate` runs for a config: a fit's config (with [fit]) at the
// config's own values, its [fit] and [optimizer] checked as strictly as `snnfit run`
// would; otherwise the network sections alone.
model::NetworkSpec simulation_network(const io::ConfigDocument& doc);
// The same, as the problem kind parse_fit_config builds.
ProblemConfig spike_fit_config(const io::ConfigTable& root);

class SpikeFit final : public Problem {
public:
    // Loads the target file, or simulates the target from the config's values.
    explicit SpikeFit(FitSpec spec);

    const FitSpec& spec() const { return spec_; }
    const ParameterSpace& space() const override { return spec_.space; }
    std::size_t objectives() const override { return spec_.losses.size(); }
    std::vector<std::string> objective_labels() const override;
    std::vector<std::string> objective_populations() const override;
    std::string describe_objectives() const override;
    const std::map<std::string, SpikeRaster>& targets() const override { return targets_; }
    const std::vector<std::string>& warnings() const override { return warnings_; }
    // The config's values: the truth of a simulated target.
    std::optional<std::vector<double>> true_values() const override;
    std::uint64_t output_seed() const override { return spec_.network.simulation.seed; }
    // Values of the fit parameters in the config, whatever the target.
    const std::vector<double>& config_values() const { return config_values_; }

    // One objective per loss term.
    opt::EvalResult evaluate(std::span<const double> x, std::uint64_t seed) const override;
    sim::SimResult simulate(const std::vector<double>& values, std::uint64_t seed) const override;
    // Loss terms of a finished simulation.
    std::vector<double> losses(const sim::SimResult& result) const;
    void write_outputs(io::h5::Group& root, const sim::SimResult& best) const override;
    void describe_target(io::h5::Group& group, const std::string& population) const override;
    std::vector<std::string> parameter_units() const override;

private:
    FitSpec spec_;
    model::NetworkSpec eval_spec_;  // records only the compared populations' spikes
    std::vector<double> config_values_;
    std::map<std::string, SpikeRaster> targets_;
    std::vector<std::string> warnings_;
};

}  // namespace snnfit::fit
