// A fit problem: a network spec, the parameters to search, the target spike trains
// and the loss terms. evaluate() is the evaluation contract of DESIGN.md: a pure
// function (parameters, seed) -> objectives + status, safe to call from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"
#include "fit/builtin_problem.hpp"
#include "fit/checkpoint.hpp"
#include "fit/loss.hpp"
#include "fit/parameter_space.hpp"
#include "fit/protocol.hpp"
#include "io/config.hpp"
#include "metrics/spike_train.hpp"
#include "model/network_spec.hpp"
#include "opt/candidate.hpp"
#include "opt/settings.hpp"
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
    std::uint64_t seed = 1;  // run seed: optimizer streams and evaluation seeds
    opt::Settings optimizer;
    CheckpointSettings checkpoint;  // [checkpoint]
    // [fit.protocol]: the sweeps already expanded into `network` (one neuron each);
    // losses on its population compare sweep i on sweep_windows[i].
    std::optional<Protocol> protocol;
    std::vector<metrics::Window> sweep_windows;
    // Set by a [problem] table: a built-in test function replaces the network, target and
    // losses (network, target and losses stay empty; space holds x1..xn).
    std::optional<BuiltinProblem> builtin;
};

// Reads the whole config of a fit ([simulation], [[populations]], ..., [fit],
// [optimizer]) strictly, and calls root.finish(). A config with a [problem] table is a
// built-in problem: [problem], [optimizer] and [checkpoint] only.
FitSpec parse_fit_config(const io::ConfigDocument& doc);

class Problem {
public:
    // Loads the target file, or simulates the target from the config's values.
    explicit Problem(FitSpec spec);

    const FitSpec& spec() const { return spec_; }
    const ParameterSpace& space() const { return spec_.space; }
    std::size_t objectives() const { return spec_.builtin ? spec_.builtin->objectives() : spec_.losses.size(); }
    // A label per objective: the loss terms', or f1, f2, ... of a built-in problem.
    std::vector<std::string> objective_labels() const;
    // Target raster of each population a loss term compares.
    const std::map<std::string, SpikeRaster>& targets() const { return targets_; }
    // Values of the fit parameters in the config (the truth of a simulated target).
    const std::vector<double>& config_values() const { return config_values_; }
    // What is legitimate but suspicious about the inputs (target spikes past the
    // simulated duration), one line each, for the run to print as warnings.
    const std::vector<std::string>& warnings() const { return warnings_; }

    // x in search coordinates (ParameterSpace::search_lo/hi); one objective per loss term.
    opt::EvalResult evaluate(std::span<const double> x, std::uint64_t seed) const;
    // The simulation of parameter values (not search coordinates), recording what the
    // config records plus every compared population. Empty for a built-in problem.
    sim::SimResult simulate(const std::vector<double>& values, std::uint64_t seed) const;
    // Loss terms of a finished simulation.
    std::vector<double> losses(const sim::SimResult& result) const;
    // The seed a candidate's simulation uses: under common random numbers every
    // evaluation simulates the realisation of [simulation] seed (the target's, for a
    // simulated target), so the objective is a deterministic function of parameters.
    std::uint64_t simulation_seed(std::uint64_t candidate_seed) const;

private:
    FitSpec spec_;
    model::NetworkSpec eval_spec_;  // records only the compared populations' spikes
    std::vector<double> config_values_;
    std::vector<std::string> warnings_;
    std::map<std::string, SpikeRaster> targets_;
};

}  // namespace snnfit::fit
