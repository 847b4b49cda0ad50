#include "sim/current_input.hpp"

#include <cmath>
#include <limits>

#include "sim/gaussian.hpp"
#include "sim/simulator.hpp"

namespace snnfit::sim {

namespace {
std::int64_t to_step(double t, double dt) {
    if (!std::isfinite(t)) return std::numeric_limits<std::int64_t>::max();
    return static_cast<std::int64_t>(std::llround(t / dt));
}
}  // namespace

CurrentInput::CurrentInput(const model::CurrentInputSpec& spec, std::size_t population_size, double dt,
                           std::uint64_t seed, std::uint64_t stream)
    : kind_(spec.kind), seed_(seed), stream_(stream) {
    using K = model::CurrentInputSpec::Kind;
    all_ = spec.neurons.empty();
    if (all_)
        for (std::size_t i = 0; i < population_size; ++i) neurons_.push_back(static_cast<std::uint32_t>(i));
    else
        for (auto i : spec.neurons) neurons_.push_back(static_cast<std::uint32_t>(i));
    switch (kind_) {
        case K::constant:
            windows_.push_back({0, std::numeric_limits<std::int64_t>::max(), spec.amplitude});
            break;
        case K::step:
            windows_.push_back({to_step(spec.delay, dt), to_step(spec.delay + spec.duration, dt), spec.amplitude});
            break;
        case K::steps:
            for (const auto& s : spec.segments)
                windows_.push_back({to_step(s.start, dt), to_step(s.stop, dt), s.amplitude});
            break;
        case K::noise:
            mean_ = spec.mean;
            std_ = spec.std;
            every_ = spec.interval > 0 ? std::max<std::int64_t>(1, to_step(spec.interval, dt)) : 1;
            start_ = to_step(spec.delay, dt);
            stop_ = to_step(spec.delay + spec.duration, dt);
            current_.assign(neurons_.size(), 0.0);
            break;
    }
}

void CurrentInput::add(std::int64_t n, double* I) {
    if (kind_ != model::CurrentInputSpec::Kind::noise) {
        for (const auto& w : windows_)
            if (n >= w.start && n < w.stop) {
                if (all_)
                    for (std::size_t i = 0; i < neurons_.size(); ++i) I[i] += w.amplitude;
                else
                    for (auto i : neurons_) I[i] += w.amplitude;
            }
        return;
    }
    if (n < start_ || n >= stop_) return;
    if ((n - start_) % every_ == 0) {
        const auto redraw = static_cast<std::uint64_t>((n - start_) / every_);
        // Neurons 8q..8q+7 take their first 32 bits from block (redraw, q): neuron
        // 8q + 2l + h the low (h = 0) or high (h = 1) half of word l. A draw that needs
        // more continues in the neuron's own lane (redraw, j, c, 1).
        const std::size_t n_target = current_.size();
        const auto& tables = detail::ziggurat_tables();
        double* out = current_.data();
        // All blocks first: independent Philox calls the CPU overlaps (each is a long
        // chain of dependent multiplications), then the draws.
        const std::size_t n_blocks = (n_target + 7) / 8;
        words_.resize(n_blocks);
        for (std::size_t q = 0; q < n_blocks; ++q) words_[q] = BlockWords::block(seed_, stream_, redraw, q);
        for (std::size_t q = 0; q < n_blocks; ++q) {
            const auto& block = words_[q];
            const std::size_t lanes = std::min<std::size_t>(8, n_target - 8 * q);
            // The quick path of all lanes first (no branch inside), then the rare
            // draws that need more words.
            std::uint64_t first[8];
            double z[8];
            bool quick[8];
            for (std::size_t l = 0; l < 8; ++l) {
                first[l] = FirstWordThen::widen(static_cast<std::uint32_t>(block[l / 2] >> (32 * (l % 2))));
                quick[l] = FirstWordThen::quick(tables, first[l], z[l]);
            }
            for (std::size_t l = 0; l < lanes; ++l) {
                const std::size_t j = 8 * q + l;
                if (!quick[l]) {  // the same draw, with more words
                    FirstWordThen words(first[l], BlockWords(seed_, stream_, redraw, j, 1));
                    z[l] = ziggurat_normal(words);
                }
                out[j] = mean_ + std_ * z[l];
            }
        }
    }
    if (all_)  // the common case, contiguous (and vectorized)
        for (std::size_t j = 0; j < current_.size(); ++j) I[j] += current_[j];
    else
        for (std::size_t j = 0; j < neurons_.size(); ++j) I[neurons_[j]] += current_[j];
}

}  // namespace snnfit::sim
