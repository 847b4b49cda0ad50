// SPIKE-synchronization (Kreuz et al. 2015) exactly as PySpike 0.7: a spike is
// coincident when the nearest spike of the other train is closer than the adaptive
// window tau = half the smallest of the ISIs around both spikes (optionally capped by
// max_tau); SYNC = coincident spikes / all spikes, and 1 when both trains are empty.
#pragma once

#include <span>

#include "metrics/profile.hpp"
#include "metrics/spike_train.hpp"

namespace snnfit::metrics {

// Pooled counts: SYNC = coincidences / multiplicity (the number of spikes).
struct Coincidences {
    double coincidences = 0.0;
    double multiplicity = 0.0;
    double sync() const { return multiplicity > 0.0 ? coincidences / multiplicity : 1.0; }
};

// max_tau <= 0 means no upper bound on the coincidence window.
Coincidences coincidences(std::span<const double> a, std::span<const double> b, const Window& w, double max_tau = 0.0);
double spike_sync(std::span<const double> a, std::span<const double> b, const Window& w, double max_tau = 0.0);
DiscreteProfile sync_profile(std::span<const double> a, std::span<const double> b, const Window& w,
                             double max_tau = 0.0);

namespace detail {
Coincidences coincidences_unchecked(std::span<const double> a, std::span<const double> b, const Window& w,
                                    double max_tau);
}  // namespace detail

}  // namespace snnfit::metrics
