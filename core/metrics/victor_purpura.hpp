// Victor–Purpura distance (Victor & Purpura 1996): the cheapest edit turning one train
// into the other, deleting or inserting a spike costing 1 and moving one by dt costing q|dt|.
#pragma once

#include <span>

#include "metrics/spike_train.hpp"

namespace snnfit::metrics {

// q in 1/(time unit), q >= 0 (q = 0 gives |n - m|; q = inf gives the number of spikes not
// shared exactly). O(n m) time, O(min(n, m)) memory reused per thread. Spikes must lie in `w`.
double victor_purpura_distance(std::span<const double> a, std::span<const double> b, double q, const Window& w);

namespace detail {
double victor_purpura_unchecked(std::span<const double> a, std::span<const double> b, double q);
}

}  // namespace snnfit::metrics
