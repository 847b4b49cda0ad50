// ISI-distance (Kreuz et al. 2007) exactly as PySpike 0.7 computes it: the first and
// last interspike intervals are edge-corrected against the window, and an empty train
// counts as one with spikes on both window edges.
#pragma once

#include <span>

#include "metrics/profile.hpp"
#include "metrics/spike_train.hpp"

namespace snnfit::metrics {

// D_I in [0, 1]. Throws InputError for an invalid window or train (see check_train).
double isi_distance(std::span<const double> a, std::span<const double> b, const Window& w);
PiecewiseConstProfile isi_profile(std::span<const double> a, std::span<const double> b, const Window& w);

namespace detail {
// The same without the O(n) input checks; the trains must already be valid.
double isi_distance_unchecked(std::span<const double> a, std::span<const double> b, const Window& w);
}  // namespace detail

}  // namespace snnfit::metrics
