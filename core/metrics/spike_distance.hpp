// SPIKE-distance (Kreuz et al. 2013) in two variants: PySpike 0.7's, with the 2017
// edge correction (auxiliary spikes placed one ISI beyond the first/last spike), and
// the uncorrected 2013 definition of SpikeSynchrony.jl (and so SpikeNetOpt.jl), with
// auxiliary spikes on both window edges.
#pragma once

#include <span>

#include "metrics/profile.hpp"
#include "metrics/spike_train.hpp"

namespace snnfit::metrics {

// D_S in [0, 1] exactly as PySpike 0.7 (an empty train counts as {t_start, t_end}).
double spike_distance(std::span<const double> a, std::span<const double> b, const Window& w);
PiecewiseLinProfile spike_profile(std::span<const double> a, std::span<const double> b, const Window& w);

// Kreuz 2013, Eq. 19, without edge correction: both trains get auxiliary spikes at
// t_start and t_end (not doubled when a spike is already there); D_S is the average of
// the piecewise-linear profile.
double spike_distance_2013(std::span<const double> a, std::span<const double> b, const Window& w);
PiecewiseLinProfile spike_profile_2013(std::span<const double> a, std::span<const double> b, const Window& w);

namespace detail {
double spike_distance_unchecked(std::span<const double> a, std::span<const double> b, const Window& w);
double spike_distance_2013_unchecked(std::span<const double> a, std::span<const double> b, const Window& w);
}  // namespace detail

}  // namespace snnfit::metrics
