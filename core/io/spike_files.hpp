// Readers for spike trains stored by other tools: PySpike's text format, a CSV of
// (neuron, time) rows, and the raster groups of snnfit's own HDF5 files.
#pragma once

#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"

namespace snnfit::io {

// A PySpike text file: one train per line, times separated by blanks, tabs or commas;
// lines starting with '#' are comments. An empty line is skipped (as PySpike's
// load_spike_trains_from_txt does); a line holding only blanks is an empty train.
// Tokens must be numbers; their order and finiteness are not checked here (the
// distances and the fit check them, naming the line from `lines`).
struct SpikeText {
    SpikeRaster raster;
    std::vector<int> lines;  // 1-based line of each train in the file
};

// Throws InputError "NAME:LINE: ..." for a token that is not a number. Every time is
// multiplied by `scale` (e.g. 1000 to read seconds as ms).
// Opens a text input for reading; a directory or a missing/unreadable file is an
// InputError naming the path (`what`, e.g. "a sweep file", completes "is a directory, not ...").
std::ifstream open_input_file(const std::string& path, const std::string& what);

SpikeText read_spike_text(std::istream& in, const std::string& name, double scale = 1.0);
SpikeText read_spike_text_file(const std::string& path, double scale = 1.0);

// CSV of (neuron, time) rows, an optional header line, '#' comments. Neurons are
// 0-based indices; `neurons` (if > 0) fixes the raster size, otherwise it is
// 1 + the largest index. Each train is sorted.
SpikeRaster read_spike_csv(const std::string& path, std::int64_t neurons = 0, double scale = 1.0);

// The raster in group `group` ("spikes/E", "target", ...) of an HDF5 file (times in
// seconds in the file, returned in ms).
SpikeRaster read_spike_h5(const std::string& path, const std::string& group);

// Whether PATH is a regular file that starts with the HDF5 signature.
bool is_hdf5_file(const std::string& path);

// One population's raster from a file snnfit wrote: a simulation's /spikes/POP, or a
// result's or checkpoint's /best/spikes/POP (which = "best") or /target/POP ("target").
// An empty population is the only one there is. Times in ms.
struct SnnfitRaster {
    SpikeRaster raster;
    std::string group;             // e.g. "spikes/E"
    std::optional<double> t_stop;  // ms, a simulation's duration
};
SnnfitRaster read_snnfit_raster(const std::string& path, const std::string& population, const std::string& which);

}  // namespace snnfit::io
