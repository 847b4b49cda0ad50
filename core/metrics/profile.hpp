// Distance profiles: the piecewise functions of time whose averages are the ISI-distance,
// SPIKE-distance and SPIKE-synchronization, in the layout PySpike 0.7 returns them.
#pragma once

#include <vector>

#include "common/spike_raster.hpp"
#include "metrics/spike_train.hpp"

namespace snnfit::metrics {

// ISI profile I(t): value y[k] on [x[k], x[k+1]); y.size() == x.size() - 1.
struct PiecewiseConstProfile {
    std::vector<double> x;
    std::vector<double> y;
    double integral() const;
    double average() const;  // integral / (x.back() - x.front())
};

// SPIKE profile S(t): linear on each [x[k], x[k+1]] from y1[k] (just after x[k]) to
// y2[k] (just before x[k+1]); it may jump at every x[k].
struct PiecewiseLinProfile {
    std::vector<double> x;
    std::vector<double> y1;
    std::vector<double> y2;
    double integral() const;
    double average() const;
};

// SPIKE-synchronization profile: at each spike time x[k] the coincidence count y[k]
// out of a multiplicity mp[k]. x.front() and x.back() are the window edges; they copy
// their neighbour's values (PySpike's convention) and are excluded from the average.
struct DiscreteProfile {
    std::vector<double> x;
    std::vector<double> y;
    std::vector<double> mp;
    double average() const;  // sum y / sum mp over the inner points; 1 when there are none
};

// Pointwise sums on the merged grid, as PySpike's add() does.
PiecewiseConstProfile add(const PiecewiseConstProfile& f, const PiecewiseConstProfile& g);
PiecewiseLinProfile add(const PiecewiseLinProfile& f, const PiecewiseLinProfile& g);
DiscreteProfile add(const DiscreteProfile& f, const DiscreteProfile& g);

// Multivariate profiles of a set of trains: the ISI and SPIKE profiles are averaged
// over all pairs i < j; the SYNC profile sums coincidences and multiplicities over all
// pairs (its average is then the pooled SPIKE-synchronization). Need >= 2 trains.
PiecewiseConstProfile isi_profile(const SpikeRaster& r, const Window& w);
PiecewiseLinProfile spike_profile(const SpikeRaster& r, const Window& w);
DiscreteProfile sync_profile(const SpikeRaster& r, const Window& w, double max_tau = 0.0);

}  // namespace snnfit::metrics
