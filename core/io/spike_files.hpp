// Readers for spike trains stored by other tools: PySpike's text format (one train
// per line, times separated by white space or a separator, '#' comments), a CSV of
// (neuron, time) rows, and the raster groups of snnfit's own HDF5 files.
#pragma once

#include <string>

#include "common/spike_raster.hpp"

namespace snnfit::io {

struct SpikeTextOptions {
    char separator = ' ';            // besides white space
    bool ignore_empty_lines = true;  // PySpike's default; false makes an empty line an empty train
    double scale = 1.0;              // multiply every time (e.g. 1000 to read seconds as ms)
};

// Times are returned in the file's order within each line; errors (a token that is
// not a finite number) name the file, line and token.
SpikeRaster read_spike_text(const std::string& path, const SpikeTextOptions& options = {});

// CSV of (neuron, time) rows, an optional header line, '#' comments. Neurons are
// 0-based indices; `neurons` (if > 0) fixes the raster size, otherwise it is
// 1 + the largest index. Each train is sorted.
SpikeRaster read_spike_csv(const std::string& path, std::int64_t neurons = 0, double scale = 1.0);

// The raster in group `group` ("spikes/E", "target", ...) of an HDF5 file (times in
// seconds in the file, returned in ms).
SpikeRaster read_spike_h5(const std::string& path, const std::string& group);

}  // namespace snnfit::io
