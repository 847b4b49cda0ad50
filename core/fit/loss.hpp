// The terms a fit minimises, each comparing a simulated raster with the target
// raster of one population on the loss window. Each term is one objective; the
// optimizer combines them with the terms' weights (or keeps them apart, #11).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"
#include "metrics/distance.hpp"

namespace snnfit::fit {

struct FeatureLossSpec;

struct LossTerm {
    enum class Kind {
        spike_distance,       // matched pairs: mean_i d(model_i, target_i)
        population_distance,  // all pairs: mean_{i,j} d(model_i, target_j), for unmatched neurons
        rate,                 // |mean rate - target rate| / target rate
        spike_count,          // sum_i |n_i - n*_i| / max(1, sum_i n*_i)
        first_spike_latency,  // mean_i of min(1, |t1_i - t1*_i| / L_i); 1 if only one side spikes, 0 if neither
        features,             // eFEL voltage features of protocol sweeps, BluePyOpt's z-scores (fit/feature_loss.hpp)
    };
    Kind kind = Kind::spike_distance;
    metrics::MetricSpec metric;
    double weight = 1.0;
    std::string population;               // whose spikes; default: [fit] population
    std::optional<double> target_rate;    // Hz, rate only; default: the target raster's mean rate
    std::optional<double> latency_scale;  // ms, L_i of first_spike_latency; default: train i's window length
    std::string label() const;            // "spike_distance(spike)", "rate", ... for logs
    // features only: the targets and eFEL settings, and whether every target is to become
    // its own objective (split at parse time by split_feature_objectives).
    std::shared_ptr<const FeatureLossSpec> features;
    bool separate_features = false;
};

// A features term as one term per target (each its own objective, for NSGA-II), the
// target's weight times the term's.
std::vector<LossTerm> split_feature_objectives(const LossTerm& term);

// Mean rate in Hz of a raster over a window in ms.
double mean_rate(const SpikeRaster& r, const metrics::Window& w);

// The value of one term (>= 0, never NaN). Rasters must have the same number of
// neurons for the matched forms.
double loss_value(const LossTerm& term, const SpikeRaster& model, const SpikeRaster& target, const metrics::Window& w);

// The same with a window per train (train i of both rasters is compared on windows[i]):
// the sweeps of a current-clamp protocol, each as long as its recording. Matched
// terms average over trains; rate divides all spikes by the summed window lengths.
// population_distance has no per-train form (InternalError).
double loss_value(const LossTerm& term, const SpikeRaster& model, const SpikeRaster& target,
                  std::span<const metrics::Window> windows);

}  // namespace snnfit::fit
