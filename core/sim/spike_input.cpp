#include "sim/spike_input.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "common/error.hpp"
#include "sim/gaussian.hpp"

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
      seed_(seed),
      stream_(stream_id({static_cast<std::uint64_t>(StreamTag::input), 2, spec.index})),
      start_(std::llround(spec.start / dt)),
      stop_(std::isfinite(spec.stop) ? std::llround(spec.stop / dt) : std::numeric_limits<std::int64_t>::max()),
      weight_(spec.weight) {
    // Cumulative Poisson(lambda) probabilities by the pmf recursion, in log space
    // for large lambda, until the upper tail is below 2^-53 (a uniform cannot reach it).
    const double lambda = spec.rate * static_cast<double>(spec.sources) * dt / 1000.0;
    if (!(lambda > 0)) {
        stop_ = start_;  // silent
        return;
    }
    if (!(lambda <= model::max_poisson_per_step))
        throw ParameterError(fmt::format("poisson input: rate x sources x dt = {:g} spikes per step, more than {:g}",
                                         lambda, model::max_poisson_per_step));
    double acc = 0;
    for (std::int64_t k = 0;; ++k) {
        const double kd = static_cast<double>(k);
        const double pmf = std::exp(kd * std::log(lambda) - lambda - std::lgamma(kd + 1));
        acc += pmf;
        cdf_.push_back(std::min(acc, 1.0));
        if (kd > lambda && (pmf < 1e-18 || 1.0 - acc < 0x1.0p-53)) {
            cdf_.back() = 1.0;  // the rest of the tail (below 1e-17) goes to the last count
            break;
        }
    }
}

void PoissonInput::add(std::int64_t n, double* arrivals) {
    if (n < start_ || n >= stop_) return;
    const std::size_t m = neurons_.size();
    const std::size_t kmax = cdf_.size() - 1;
    // The first four cumulative probabilities; past the table, 2 (never reached by u < 1).
    const double c0 = cdf_[0], c1 = kmax >= 1 ? cdf_[1] : 2.0, c2 = kmax >= 2 ? cdf_[2] : 2.0,
                 c3 = kmax >= 3 ? cdf_[3] : 2.0;
    // Eight neurons per Philox block: each 64-bit word gives two 32-bit uniforms
    // (a resolution of 2^-32 in the inverted probability, far below any effect).
    for (std::size_t q = 0; 8 * q < m; ++q) {
        const auto block = BlockWords::block(seed_, stream_, static_cast<std::uint64_t>(n), q);
        for (std::size_t l = 0; l < 8 && 8 * q + l < m; ++l) {
            const std::uint64_t half = (l & 1) ? (block[l / 2] & 0xffffffffu) : (block[l / 2] >> 32);
            const double u = static_cast<double>(half) * 0x1.0p-32;
            // Branch-free for the first counts (the outcome is random, so a branch
            // would mispredict about as often as an event occurs); search beyond.
            std::size_t k = static_cast<std::size_t>(u >= c0) + static_cast<std::size_t>(u >= c1) +
                            static_cast<std::size_t>(u >= c2) + static_cast<std::size_t>(u >= c3);
            if (k == 4 && kmax > 4) {
                k = static_cast<std::size_t>(std::upper_bound(cdf_.begin() + 3, cdf_.end() - 1, u) - cdf_.begin());
            }
            k = std::min(k, kmax);
            arrivals[neurons_[8 * q + l]] += weight_ * static_cast<double>(k);
            events_ += k;
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
