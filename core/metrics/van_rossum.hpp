// van Rossum distance (van Rossum 2001): the L2 distance of the two trains filtered with
// a causal exponential kernel exp(-t/tau), computed exactly in O(n + m) by the recursion
// of Houghton & Kreuz (2012) on the difference of the two filtered trains.
#pragma once

#include <span>

#include "metrics/spike_train.hpp"

namespace snnfit::metrics {

enum class VanRossumNorm {
    // D = sqrt((1/tau) * integral of (f - g)^2 over all t): van Rossum's 2001 paper.
    // One lone spike against an empty train gives sqrt(1/2).
    rossum2001,
    // D = sqrt((2/tau) * integral of (f - g)^2) = sqrt(2) * rossum2001: elephant's
    // van_rossum_distance. One lone spike against an empty train gives 1.
    elephant,
};

// tau > 0 and finite, in the trains' time unit. The integral runs past t_end (the kernel
// tails are not cut at the window edge), as in both references.
double van_rossum_distance(std::span<const double> a, std::span<const double> b, double tau, const Window& w,
                           VanRossumNorm norm = VanRossumNorm::rossum2001);

namespace detail {
double van_rossum_unchecked(std::span<const double> a, std::span<const double> b, double tau, VanRossumNorm norm);
}

}  // namespace snnfit::metrics
