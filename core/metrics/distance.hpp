// One entry point for every spike-train dissimilarity, as the fit module and the
// `snnfit distance` command use them: two trains, matched neurons, a population, a matrix.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/spike_raster.hpp"
#include "metrics/spike_sync.hpp"
#include "metrics/spike_train.hpp"
#include "metrics/van_rossum.hpp"

namespace snnfit::metrics {

enum class Metric { isi, spike, spike_2013, sync, victor_purpura, van_rossum };

struct MetricSpec {
    Metric metric = Metric::spike;
    double q = 1.0;     // Victor-Purpura cost per time unit
    double tau = 10.0;  // van Rossum time constant, time unit
    VanRossumNorm norm = VanRossumNorm::rossum2001;
    double max_tau = 0.0;  // SPIKE-synchronization: cap on the coincidence window (<= 0: none)
};

// "isi", "spike", "spike2013", "sync", "vp", "vr"; throws snnfit::Error listing them.
Metric parse_metric(std::string_view name);
std::string_view metric_name(Metric m);

// A dissimilarity >= 0, never NaN: D_I, D_S, 1 - SPIKE-synchronization, VP, VR.
// Throws snnfit::InputError for an invalid window or train, ParameterError for a bad q/tau.
double distance(const MetricSpec& spec, std::span<const double> a, std::span<const double> b, const Window& w);

// Loss of a network fit: mean over neurons i of distance(a_i, b_i). Same neuron count.
double matched_pair_distance(const MetricSpec& spec, const SpikeRaster& a, const SpikeRaster& b, const Window& w);
// The same with a window per pair: a_i and b_i are compared on windows[i] (the sweeps of
// a current-clamp protocol, each as long as its recording).
double matched_pair_distance(const MetricSpec& spec, const SpikeRaster& a, const SpikeRaster& b,
                             std::span<const Window> windows);

// PySpike's multivariate value: the mean over pairs i < j (ISI, SPIKE, VP, VR), and for
// SYNC 1 - (pooled coincidences / pooled multiplicity). Needs at least two trains. ISI,
// SPIKE and SYNC run on the matrix's kernels (each train prepared once); the value is the
// same for any number of threads (threads <= 0: one per hardware thread).
double population_distance(const MetricSpec& spec, const SpikeRaster& r, const Window& w, int threads = 1);
// SPIKE-synchronization pooled over all pairs i < j (PySpike's spike_sync_multi).
Coincidences population_coincidences(const SpikeRaster& r, const Window& w, double max_tau = 0.0, int threads = 1);

// All pairs, n*n row-major, symmetric, zero diagonal; entries are bit-identical for
// any number of threads (threads <= 0: one per hardware thread).
std::vector<double> distance_matrix(const MetricSpec& spec, const SpikeRaster& r, const Window& w, int threads);
// SPIKE-synchronization of all pairs as a similarity (PySpike's spike_sync_matrix), n*n,
// 1 on the diagonal; exactly the SYNC of each pair (distance_matrix holds 1 - these).
std::vector<double> sync_matrix(const SpikeRaster& r, const Window& w, double max_tau, int threads);

namespace detail {
// distance() without the O(n) input checks (trains already validated).
double distance_unchecked(const MetricSpec& spec, std::span<const double> a, std::span<const double> b,
                          const Window& w);
void check_spec(const MetricSpec& spec);
}  // namespace detail

}  // namespace snnfit::metrics
