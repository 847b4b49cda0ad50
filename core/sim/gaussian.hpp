// Fast standard normal draws for per-step noise: the ziggurat method of Marsaglia
// & Tsang (2000, J. Stat. Softw. 5(8)) with 256 layers, one 64-bit word per draw
// in 99% of cases (8 bits pick the layer, 1 the sign, 53 the position). Noise
// inputs draw a million numbers per simulated second in a 1000-neuron network,
// where Rng::normal's polar method (two words, a log and a square root) would
// cost as much as the rest of the step. Deterministic: the tables are computed
// once from closed forms, the draws use only the word source.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include <Random123/philox.h>

#include "common/rng.hpp"

namespace snnfit::sim {

namespace detail {
constexpr int kZigLayers = 256;
constexpr double kZigR = 3.6541528853610088;  // right edge of the base layer
struct ZigguratTables {
    std::array<double, kZigLayers + 1> x{};  // layer edges; x[0] = V / f(R) (the base's virtual width), x[256] = 0
    std::array<double, kZigLayers + 1> f{};  // exp(-x^2 / 2)
};
const ZigguratTables& ziggurat_tables();
}  // namespace detail

// One N(0, 1) number from a source of 64-bit words with Rng's interface
// (next_u64, uniform, uniform_pos).
template <class Words>
double ziggurat_normal(Words& rng) {
    const auto& t = detail::ziggurat_tables();
    for (;;) {
        const std::uint64_t w = rng.next_u64();
        const int i = static_cast<int>(w & 0xff);
        const double sign = (w & 0x100) ? -1.0 : 1.0;
        const double x = static_cast<double>(w >> 11) * 0x1.0p-53 * t.x[i];
        if (x < t.x[i + 1]) return sign * x;  // inside the part of the layer under the next one
        if (i == 0) {                         // the tail beyond R (Marsaglia 1964)
            double xt, y;
            do {
                xt = -std::log(rng.uniform_pos()) / detail::kZigR;
                y = -std::log(rng.uniform_pos());
            } while (y + y < xt * xt);
            return sign * (detail::kZigR + xt);
        }
        if (t.f[i] + rng.uniform() * (t.f[i + 1] - t.f[i]) < std::exp(-0.5 * x * x)) return sign * x;  // the wedge
    }
}

// Random access into a Philox stream: the words of block (a, b, lane) are
// Philox4x64(counter {a, b, c, lane}, key {seed, stream}) for c = 0, 1, ... So a
// loop over neurons computes independent blocks (no chain of refills through one
// counter) and what neuron j draws at redraw k depends on nothing else.
class BlockWords {
public:
    BlockWords(std::uint64_t seed, std::uint64_t stream, std::uint64_t a, std::uint64_t b, std::uint64_t lane = 0)
        : key_{{seed, stream}}, ctr_{{a, b, 0, lane}} {}
    // The four words of counter {a, b, 0, 0}: one Philox call for four neurons.
    static r123::Philox4x64::ctr_type block(std::uint64_t seed, std::uint64_t stream, std::uint64_t a,
                                            std::uint64_t b) {
        return r123::Philox4x64()({{a, b, 0, 0}}, {{seed, stream}});
    }
    std::uint64_t next_u64() {
        if (used_ == 4) {
            buf_ = r123::Philox4x64()(ctr_, key_);
            ++ctr_[2];
            used_ = 0;
        }
        return buf_[used_++];
    }
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    double uniform_pos() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }

private:
    r123::Philox4x64::key_type key_;
    r123::Philox4x64::ctr_type ctr_;
    r123::Philox4x64::ctr_type buf_{};
    int used_ = 4;
};

// A given first word, then the words of a BlockWords (the rare second word of a
// ziggurat draw).
class FirstWordThen {
public:
    FirstWordThen(std::uint64_t first, BlockWords rest) : first_(first), rest_(rest) {}
    // The draw when `first` falls inside its layer's rectangle (99% of words): no
    // other word needed. Returns false otherwise.
    static bool quick(const detail::ZigguratTables& t, std::uint64_t first, double& out) {
        const int i = static_cast<int>(first & 0xff);
        const double x = static_cast<double>(first >> 11) * 0x1.0p-53 * t.x[i];
        out = (first & 0x100) ? -x : x;
        return x < t.x[i + 1];
    }
    // A 32-bit first word in the layout of a 64-bit one: bits 0-7 the layer, bit 8
    // the sign, bits 9-31 the top 23 bits of the position (8 draws per Philox call).
    static std::uint64_t widen(std::uint32_t w) {
        return (static_cast<std::uint64_t>(w >> 9) << 41) | (w & 0x1ffu);
    }
    std::uint64_t next_u64() {
        if (!used_) {
            used_ = true;
            return first_;
        }
        return rest_.next_u64();
    }
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    double uniform_pos() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }

private:
    std::uint64_t first_;
    bool used_ = false;
    BlockWords rest_;
};

}  // namespace snnfit::sim
