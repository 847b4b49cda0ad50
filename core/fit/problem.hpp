// What a fit optimises, as the optimizer, the outputs and the workers see it (pagmo's
// problem): a search space, named objectives, evaluate(), and simulate() for the outputs.
// The spike-fit problem (fit/spike_fit) and the built-in test functions
// (fit/builtin_problem) implement it; a fit config names one of them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"
#include "fit/checkpoint_settings.hpp"
#include "fit/parameter_space.hpp"
#include "io/config.hpp"
#include "io/hdf5.hpp"
#include "opt/candidate.hpp"
#include "opt/settings.hpp"
#include "sim/simulator.hpp"

namespace snnfit::fit {

// evaluate() is the evaluation contract of DESIGN.md: a pure function (search point,
// evaluation seed) -> objectives + status, safe to call from many threads at once. A
// problem uses the seed it is given; the seed policy is the optimizer's (opt::evaluation_seed).
class Problem {
public:
    virtual ~Problem() = default;

    // Dimension, bounds, names, scales.
    virtual const ParameterSpace& space() const = 0;
    virtual std::size_t objectives() const = 0;
    // One label per objective: "spike_distance(E)", or f1, f2, ... of a test function.
    virtual std::vector<std::string> objective_labels() const = 0;
    // The population each objective compares, "" where it compares none.
    virtual std::vector<std::string> objective_populations() const = 0;
    // The objectives in words, for the first line of a run: "2 loss terms".
    virtual std::string describe_objectives() const = 0;

    // x in search coordinates (ParameterSpace::search_lo/hi).
    virtual opt::EvalResult evaluate(std::span<const double> x, std::uint64_t seed) const = 0;
    // The simulation of parameter values (not search coordinates), recording what the
    // config records plus every compared population; empty where nothing is simulated.
    virtual sim::SimResult simulate(const std::vector<double>& values, std::uint64_t seed) const = 0;
    // Target raster of each population an objective compares (none by default).
    virtual const std::map<std::string, SpikeRaster>& targets() const;
    // What is legitimate but suspicious about the inputs (target spikes past the simulated
    // duration), one line each, for the run to print as warnings.
    virtual const std::vector<std::string>& warnings() const;
    // The parameter values that made the target, when the problem knows them.
    virtual std::optional<std::vector<double>> true_values() const { return std::nullopt; }
    // The seed the outputs simulate the best parameters with (the common realisation).
    virtual std::uint64_t output_seed() const { return 0; }
    // What this kind of problem adds to result.h5 beside the common groups, from the
    // simulation of the best parameters (a spike fit: /features).
    virtual void write_outputs(io::h5::Group& /*root*/, const sim::SimResult& /*best*/) const {}
    // What a population's target raster came from, as datasets and attributes of its
    // /target group (a protocol: the sweeps and their currents).
    virtual void describe_target(io::h5::Group& /*group*/, const std::string& /*population*/) const {}
    // The unit of each parameter, in order ("1" where a parameter has none).
    virtual std::vector<std::string> parameter_units() const { return std::vector<std::string>(space().size(), "1"); }
};

// A fit config read: the problem it names (not built yet: building one loads or
// simulates its target), the run seed and how to search.
struct FitConfig {
    std::uint64_t seed = 1;  // run seed: optimizer streams and evaluation seeds
    opt::Settings optimizer;
    CheckpointSettings checkpoint;  // [checkpoint]
    std::function<std::unique_ptr<Problem>()> make_problem;
};

// Reads the whole config of a fit strictly and calls root.finish(): the problem's own
// sections ([simulation], [[populations]], ..., [fit] for a spike fit; [problem] for a
// built-in test function), then [optimizer] and [checkpoint].
FitConfig parse_fit_config(const io::ConfigDocument& doc);

// What a problem kind's reader gives the shared part of parse_fit_config.
struct ProblemConfig {
    std::string name;  // for messages: "the fit", "zdt1"
    std::uint64_t seed = 1;
    std::size_t dimension = 1;
    std::size_t objectives = 1;
    // Weights the problem fixes itself (a spike fit: its loss terms'), and why [optimizer]
    // weights are then refused; unset = the [optimizer] weights.
    std::optional<std::vector<double>> weights;
    std::string weights_elsewhere;
    // The evaluation seed of every candidate under common random numbers (a spike fit:
    // its [simulation] seed, the target's realisation); unset = derived from the run seed.
    std::optional<std::uint64_t> common_seed;
    std::function<std::unique_ptr<Problem>()> make_problem;
};

}  // namespace snnfit::fit
