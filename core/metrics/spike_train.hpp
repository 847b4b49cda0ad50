// Spike trains as the distances see them: an observation window and the checks that
// make every distance well defined (finite, strictly increasing, inside the window).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"

namespace snnfit::metrics {

// The observation interval [t_start, t_end] of the trains, in the trains' time unit.
struct Window {
    double t_start;
    double t_end;
};

// Throws snnfit::InputError unless both edges are finite and t_start < t_end.
void check_window(const Window& w);

// Throws snnfit::InputError naming `what` and the offending spike when a time is not
// finite, not strictly increasing (unsorted or duplicate), or outside [t_start, t_end].
void check_train(std::span<const double> t, const Window& w, const std::string& what = "spike train");
void check_raster(const SpikeRaster& r, const Window& w, const std::string& what = "spike raster");

// The cleaned-up copy the user can ask for instead of an error: non-finite and
// out-of-window times are dropped, the rest sorted, exact duplicates merged.
std::vector<double> clean_train(std::span<const double> t, const Window& w);
SpikeRaster clean_raster(const SpikeRaster& r, const Window& w);

// The smallest window that holds every spike of `r` (PySpike's convention when no
// edges are given is [0, last spike]; we keep t_start = 0 unless a spike is earlier).
Window window_of(const SpikeRaster& r);

}  // namespace snnfit::metrics
