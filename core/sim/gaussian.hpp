// Fast standard normal draws for per-step noise: the ziggurat method of Marsaglia
// & Tsang (2000, J. Stat. Softw. 5(8)) with 256 layers, one 64-bit word per draw
// in 99% of cases (8 bits pick the layer, 1 the sign, 53 the position). Noise
// inputs draw a million numbers per simulated second in a 1000-neuron network,
// where Rng::normal's polar method (two words, a log and a square root) would
// cost as much as the rest of the step. Deterministic: the tables are computed
// once from closed forms, the draws use only the stream.
#pragma once

#include "common/rng.hpp"

namespace snnfit::sim {

// One N(0, 1) number from `rng`.
double ziggurat_normal(Rng& rng);

}  // namespace snnfit::sim
