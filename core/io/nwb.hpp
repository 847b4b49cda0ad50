// Current-clamp sweeps from NWB 2 files as the Allen Cell Types database ships them:
// /acquisition/<series> (CurrentClampSeries), /stimulus/presentation/<series>
// (CurrentClampStimulusSeries) and optional precomputed spike times in
// /processing/spikes/Sweep_<n>. The subset read is listed in README.md ("NWB files").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/sweep_files.hpp"

namespace snnfit::io {

struct NwbOptions {
    enum class Spikes {
        automatic,    // precomputed if /processing/spikes has the sweep, else detect
        precomputed,  // /processing/spikes/Sweep_<n>/timestamps (or data), seconds from the sweep start
        detect,       // upward crossings of `threshold` by the recorded voltage
    };
    Spikes spikes = Spikes::automatic;
    double threshold = 0.0;  // mV
    // Minimum time between two detected spikes (ms): the voltage must also fall back
    // below threshold, so this only guards against noise around the crossing.
    double refractory = 1.0;
};

// One entry per acquisition series in the order of `numbers` (sweep numbers: the
// series' sweep_number attribute, or the trailing digits of its name); all series in
// name order when `numbers` is empty. Throws InputError naming the file and the HDF5
// path of anything missing or malformed.
std::vector<RecordedSweep> read_nwb_sweeps(const std::string& path, const std::vector<std::int64_t>& numbers,
                                           const NwbOptions& options = {});

// Upward crossings of `threshold` in a sampled trace: the time (ms, from t0) of each
// crossing, linearly interpolated between the two samples; the trace must fall back
// below threshold and `refractory` ms must pass before the next one counts.
std::vector<double> detect_spikes(const std::vector<double>& v, double t0, double dt, double threshold,
                                  double refractory);

// The square step in a sampled stimulus (pA): the longest run of samples away from
// the baseline (the first sample) by more than 1% of the largest deviation.
// amplitude = mean of the run minus the baseline, delay = its first sample's time.
struct StepFit {
    double amplitude = 0.0, delay = 0.0, duration = 0.0;
    bool found = false;
};
StepFit find_step(const std::vector<double>& stimulus, double dt);

}  // namespace snnfit::io
