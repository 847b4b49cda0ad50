// Connectivity of one projection: which source neuron reaches which target, with
// what weight and after how many steps, drawn from the projection's rule and kept
// in compressed rows by source (what spike delivery walks).
#pragma once

#include <cstdint>
#include <vector>

#include "model/network_spec.hpp"

namespace snnfit::sim {

struct Connections {
    std::vector<std::uint64_t> offsets;  // n_source + 1; row i = [offsets[i], offsets[i+1])
    std::vector<std::uint32_t> targets;
    std::vector<double> weights;        // weight_scale applied
    std::vector<std::uint32_t> delays;  // steps >= 1; empty when every delay equals `delay`
    std::uint32_t delay = 1;            // the common delay, or the largest one
    // Per row: 1 when its targets are t, t + 1, ..., t + len - 1 (all-to-all, one-to-one):
    // delivery then adds the row's weights to a contiguous block, vectorized, without
    // reading the targets.
    std::vector<std::uint8_t> contiguous;
    std::size_t size() const { return targets.size(); }
};

// Delay in steps: round(delay / dt), at least one step.
std::uint32_t delay_steps(double delay_ms, double dt);

// Draws the projection `spec` (index `index` in the spec) between populations of
// n_source and n_target neurons. Streams: the choice of partners of source (or, for
// in_degree and total_number, target) neuron r comes from Rng(seed, {wiring, index, 0, r})
// and its weights and delays from Rng(seed, {wiring, index, 1, r}), so a row's wiring
// does not depend on any other projection or row, and changing a weight distribution
// does not move a connection. total_number first splits the total among the targets
// from Rng(seed, {wiring, index, 2, 0}) (one draw per target).
Connections connect(const model::ProjectionSpec& spec, std::size_t index, std::size_t n_source, std::size_t n_target,
                    double dt, std::uint64_t seed);

}  // namespace snnfit::sim
