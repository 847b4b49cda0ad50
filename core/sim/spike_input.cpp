#include "sim/spike_input.hpp"

#include <algorithm>
#include <cmath>

namespace snnfit::sim {

namespace {
std::vector<std::uint32_t> target_neurons(const std::vector<std::int64_t>& neurons, std::size_t population_size) {
    std::vector<std::uint32_t> out;
    if (neurons.empty())
        for (std::size_t i = 0; i < population_size; ++i) out.push_back(static_cast<std::uint32_t>(i));
    else
        for (auto i : neurons) out.push_back(static_cast<std::uint32_t>(i));
    return out;
}
}  // namespace

PoissonInput::PoissonInput(const model::PoissonInputSpec& spec, std::size_t population_size, double dt,
                           std::uint64_t seed)
    : neurons_(target_neurons(spec.neurons, population_size)),
      rate_per_ms_(spec.rate * static_cast<double>(spec.sources) / 1000.0),
      start_(spec.start),
      stop_(spec.stop),
      dt_(dt),
      weight_(spec.weight) {
    rng_.reserve(neurons_.size());
    next_.reserve(neurons_.size());
    for (auto i : neurons_) {
        rng_.emplace_back(seed, stream_id({static_cast<std::uint64_t>(StreamTag::input), 2, spec.index, i}));
        next_.push_back(rate_per_ms_ > 0 ? start_ + rng_.back().exponential(rate_per_ms_) : stop_);
    }
}

void PoissonInput::add(std::int64_t n, double* arrivals) {
    const double t_end = std::min(static_cast<double>(n + 1) * dt_, stop_);
    for (std::size_t j = 0; j < neurons_.size(); ++j) {
        double& t = next_[j];
        while (t < t_end) {
            arrivals[neurons_[j]] += weight_;
            ++events_;
            t += rng_[j].exponential(rate_per_ms_);
        }
    }
}

SpikeTimesInput::SpikeTimesInput(const model::SpikeTimesInputSpec& spec, std::size_t population_size, double dt)
    : weight_(spec.weight) {
    const auto neurons = target_neurons(spec.neurons, population_size);
    for (std::size_t j = 0; j < neurons.size(); ++j) {
        const auto& train = spec.trains.size() == 1 ? spec.trains[0] : spec.trains[j];
        // floor with a tolerance: a time written as k*dt lands in step k despite rounding.
        for (double t : train) events_.push_back({static_cast<std::int64_t>(std::floor(t / dt + 1e-6)), neurons[j]});
    }
    std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) { return a.step < b.step; });
}

void SpikeTimesInput::add(std::int64_t n, double* arrivals) {
    while (next_ < events_.size() && events_[next_].step < n) ++next_;  // before the start (cannot happen: t >= 0)
    while (next_ < events_.size() && events_[next_].step == n) arrivals[events_[next_++].neuron] += weight_;
}

}  // namespace snnfit::sim
