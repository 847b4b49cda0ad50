// The parts of snnfit's HDF5 layout shared by every file it writes: the root
// attributes that identify a file, and the spike raster (times in seconds + offsets).
#pragma once

#include <string>

#include "common/spike_raster.hpp"
#include "io/hdf5.hpp"

namespace snnfit::io {

// Version of the layout; a reader refuses files with a newer one.
constexpr std::int64_t kFormatVersion = 1;

// Root attributes: format_version, snnfit_version, created (UTC ISO 8601), kind.
void write_header(h5::Group& root, const std::string& kind);
// Checks a file is an snnfit file of a version this build reads; returns its kind.
std::string check_header(const h5::Group& root);

// Writes `times` (seconds, float64) and `offsets` (int64, size()+1) into `g`.
void write_raster(h5::Group& g, const SpikeRaster& raster);
// Reads and checks a raster (offsets start at 0, never decrease, end at the number
// of spikes; times finite and sorted within each train). Returns times in ms.
SpikeRaster read_raster(const h5::Group& g);

}  // namespace snnfit::io
