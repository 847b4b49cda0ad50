#include "sim/current_input.hpp"

#include <bit>
#include <cmath>
#include <cstring>
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
        // One draw's quick path (99 % of draws), two neurons per SSE2 vector: the
        // position is h >> 9 (23 bits) times 2^-23 times the layer's width, exactly the
        // scalar FirstWordThen::quick of widen(h); the sign bit 8 becomes bit 63.
        using v2d = double __attribute__((vector_size(16)));
        using v2l = long long __attribute__((vector_size(16)));
        const double* tx = tables.x.data();
        const v2d scale = {0x1.0p-23, 0x1.0p-23}, mean = {mean_, mean_}, sd = {std_, std_};
        auto slow = [&](std::size_t j, std::uint32_t h) {  // the same draw, with more words
            FirstWordThen words(FirstWordThen::widen(h), BlockWords(seed_, stream_, redraw, j, 1));
            out[j] = mean_ + std_ * ziggurat_normal(words);
        };
        auto sign = [](std::uint32_t h) {
            return static_cast<long long>(static_cast<std::uint64_t>(h & 0x100u) << 55);
        };
        const std::size_t full = n_target / 8;
        for (std::size_t q = 0; q < full; ++q) {
            const auto& block = words_[q];
            for (std::size_t k = 0; k < 4; ++k) {
                const auto h0 = static_cast<std::uint32_t>(block[k]), h1 = static_cast<std::uint32_t>(block[k] >> 32);
                const unsigned i0 = h0 & 0xffu, i1 = h1 & 0xffu;
                const v2d pos = {static_cast<double>(h0 >> 9), static_cast<double>(h1 >> 9)};
                const v2d x = pos * scale * v2d{tx[i0], tx[i1]};
                const v2l inside = x < v2d{tx[i0 + 1], tx[i1 + 1]};
                const v2l bits = std::bit_cast<v2l>(x) ^ v2l{sign(h0), sign(h1)};
                const v2d z = std::bit_cast<v2d>(bits);
                const v2d v = mean + sd * z;
                const std::size_t j = 8 * q + 2 * k;
                std::memcpy(out + j, &v, sizeof v);
                if (!inside[0]) slow(j, h0);
                if (!inside[1]) slow(j + 1, h1);
            }
        }
        for (std::size_t j = 8 * full; j < n_target; ++j) {  // the last, partial block
            const auto h = static_cast<std::uint32_t>(words_[j / 8][(j % 8) / 2] >> (32 * (j % 2)));
            double z;
            if (FirstWordThen::quick(tables, FirstWordThen::widen(h), z))
                out[j] = mean_ + std_ * z;
            else
                slow(j, h);
        }
    }
    if (all_)  // the common case, contiguous (and vectorized)
        for (std::size_t j = 0; j < current_.size(); ++j) I[j] += current_[j];
    else
        for (std::size_t j = 0; j < neurons_.size(); ++j) I[neurons_[j]] += current_[j];
}

}  // namespace snnfit::sim
