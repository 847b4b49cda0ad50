// PySpike's text format for spike trains: one train per line, spike times separated by
// white space, lines starting with '#' are comments. An empty line is skipped (as
// PySpike's load_spike_trains_from_txt does); a line holding only blanks is an empty train.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"

namespace snnfit::metrics {

struct TextTrains {
    SpikeRaster raster;
    std::vector<int> lines;  // 1-based line of each train in the file
};

// Throws snnfit::InputError "NAME:LINE: ..." for a token that is not a number. Values are
// not checked for order or finiteness here (check_train does that, naming the line).
TextTrains read_spike_text(std::istream& in, const std::string& name);
TextTrains read_spike_text_file(const std::string& path);

}  // namespace snnfit::metrics
