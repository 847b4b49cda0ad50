// Reads the network part of a config ([simulation], [[populations]], [[inputs]],
// [recording]) into a model::NetworkSpec, checking every name, type and range.
#pragma once

#include "io/config.hpp"
#include "model/network_spec.hpp"

namespace snnfit::io {

// Reads the network sections of `root` and marks them used; the caller, which owns
// the other sections, calls root.finish().
model::NetworkSpec parse_network(const ConfigTable& root);

// A per-neuron value: a number, or a table {dist = "uniform"|"normal"|"scaled", ...}.
model::Distribution parse_distribution(const ConfigTable& table, std::string_view key,
                                       const Range& range = Range::any());

}  // namespace snnfit::io
