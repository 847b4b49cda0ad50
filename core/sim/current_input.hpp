// Injected currents (constant, step, step sequence, noise), evaluated on the step
// grid: an input is "on" in step n when its start step <= n < its stop step, with
// start and stop rounded to the nearest step.
#pragma once

#include <cstdint>
#include <vector>

#include <Random123/philox.h>

#include "common/rng.hpp"
#include "model/network_spec.hpp"

namespace snnfit::sim {

class CurrentInput {
public:
    // `population_size` is the target's size. Noise of neuron j at its k-th redraw
    // comes from half j mod 2 of word (j div 2) mod 4 of block (k, j div 8) of the
    // Philox stream (seed, stream), and, rarely, more words of its own lane: see
    // BlockWords and FirstWordThen::widen.
    CurrentInput(const model::CurrentInputSpec& spec, std::size_t population_size, double dt, std::uint64_t seed,
                 std::uint64_t stream);
    // Adds this input's current in step n to I (indexed by neuron of the target).
    void add(std::int64_t n, double* I);

private:
    model::CurrentInputSpec::Kind kind_;
    std::vector<std::uint32_t> neurons_;  // targets within the population
    bool all_ = false;                    // neurons_ is 0, 1, ..., size - 1
    struct Window {
        std::int64_t start, stop;
        double amplitude;
    };
    std::vector<Window> windows_;  // constant/step/steps: when and how much
    // noise: redrawn every `every_` steps inside [start, stop)
    double mean_ = 0.0, std_ = 0.0;
    std::int64_t every_ = 1, start_ = 0, stop_ = 0;
    std::vector<double> current_;  // current noise value per target neuron
    std::vector<r123::Philox4x64::ctr_type> words_;  // the Philox blocks of one redraw
    std::uint64_t seed_, stream_;
};

}  // namespace snnfit::sim
