// The `features` loss term: eFEL voltage features of the sweeps of a current-clamp
// protocol, each scored against a target mean and sd as BluePyOpt's eFELFeature does,
// |value - mean| / sd averaged over the feature's values, and a fixed penalty when the
// model's feature is undefined.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "metrics/features.hpp"
#include "sim/simulator.hpp"

namespace snnfit::fit {

struct Protocol;

// One scored feature: computed on each sweep of `sweeps` (repeats of one stimulus, or a
// single sweep) and compared with one target.
struct FeatureTarget {
    metrics::Feature feature{};
    std::vector<std::size_t> sweeps;  // indices into the protocol's sweeps
    std::string where;                // the sweep names, for labels and tables
    double mean = 0.0, sd = 1.0;
    double weight = 1.0;        // within a summed term
    std::string label() const;  // "AP_amplitude@index_01"
};

struct FeatureLossSpec {
    std::vector<FeatureTarget> targets;
    metrics::FeatureSettings settings;
    // Model spikes are the simulator's events (reset models) rather than found in V.
    bool event_spikes = true;
    double penalty = 250.0;  // BluePyOpt's max_score: undefined feature, and the cap of a score
};

// BluePyOpt's score of one target from the model's values (all sweeps' values
// together): mean |v - mean| / sd, capped at the penalty; the penalty when there are
// none or the score is not finite.
double feature_score(const FeatureTarget& t, const std::vector<double>& values, double penalty);

// The model's values of each target's feature on its sweeps, from a simulation of the
// protocol (voltage rows and spike trains of `population`, neuron i = sweep i).
std::vector<std::vector<double>> model_feature_values(const FeatureLossSpec& spec, const Protocol& protocol,
                                                      const sim::SimResult& result, const std::string& population);

// The term's value: Σ weight_k · score_k / Σ weight_k over its targets.
double feature_loss_value(const FeatureLossSpec& spec, const Protocol& protocol, const sim::SimResult& result,
                          const std::string& population);

// Reads a [[fit.loss]] table of type "features" (everything but type, weight and
// population, which the caller reads). Targets not given as mean and sd are computed
// from the protocol's recorded voltages. `objectives` tells whether the caller should
// split the targets into one objective each ("separate").
struct ParsedFeatureLoss {
    FeatureLossSpec spec;
    bool separate = false;
};
ParsedFeatureLoss parse_feature_loss(const io::ConfigTable& t, const Protocol& protocol, bool point_model);

}  // namespace snnfit::fit
