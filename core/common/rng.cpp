#include "common/rng.hpp"

#include <algorithm>
#include <cmath>

#include <Random123/philox.h>

namespace snnfit {

namespace {
__extension__ typedef unsigned __int128 u128;

std::uint64_t splitmix64(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// log(k!) exactly for small k, Stirling series beyond (for the PTRS Poisson sampler).
double log_factorial(double k) {
    static const double table[10] = {0.0,
                                     0.0,
                                     0.69314718055994530942,
                                     1.79175946922805500081,
                                     3.17805383034794561964,
                                     4.78749174278204599425,
                                     6.57925121201010099506,
                                     8.52516136106541430017,
                                     10.60460290274525022842,
                                     12.80182748008146961121};
    if (k < 10) return table[static_cast<int>(k)];
    const double k1 = k + 1.0;
    return (k1 - 0.5) * std::log(k1) - k1 + 0.91893853320467274178 + 1.0 / (12.0 * k1) - 1.0 / (360.0 * k1 * k1 * k1);
}

// Inversion of a unimodal discrete distribution on [lo, hi] by a search that starts at
// the mode and walks outwards, alternately down and up, subtracting probabilities from
// u until it falls below zero (Kemp's "search from the mode"): exact, and O(sd) steps
// instead of O(mean). The pmf is carried by its ratios from the mode, so only one
// pmf value needs logarithms of factorials.
template <class Up, class Down>
std::uint64_t invert_from_mode(double u, std::uint64_t mode, double pmf_mode, std::uint64_t lo, std::uint64_t hi, Up up,
                               Down down) {
    u -= pmf_mode;
    if (u < 0) return mode;
    std::uint64_t below = mode, above = mode;
    double p_below = pmf_mode, p_above = pmf_mode;
    for (;;) {
        const bool can_down = below > lo && p_below > 0, can_up = above < hi && p_above > 0;
        if (!can_down && !can_up) return mode;  // u exceeded the total by rounding (mass < 1e-15)
        if (can_down) {
            p_below *= down(static_cast<double>(below));
            --below;
            u -= p_below;
            if (u < 0) return below;
        }
        if (can_up) {
            p_above *= up(static_cast<double>(above));
            ++above;
            u -= p_above;
            if (u < 0) return above;
        }
    }
}
}  // namespace

std::uint64_t stream_id(std::initializer_list<std::uint64_t> words) noexcept {
    std::uint64_t h = 0x6a09e667f3bcc908ULL;
    for (auto w : words) h = splitmix64(h ^ splitmix64(w));
    return h;
}

Rng::Rng(std::uint64_t seed, std::uint64_t stream) {
    s_.key = {seed, stream};
    s_.counter = {0, 0, 0, 0};
    s_.used = 4;
}

void Rng::refill() {
    using Philox = r123::Philox4x64;
    Philox gen;
    Philox::ctr_type c = {{s_.counter[0], s_.counter[1], s_.counter[2], s_.counter[3]}};
    Philox::key_type k = {{s_.key[0], s_.key[1]}};
    auto r = gen(c, k);
    for (int i = 0; i < 4; ++i) s_.buffer[i] = r[i];
    s_.used = 0;
    if (++s_.counter[0] == 0) ++s_.counter[1];
}

std::uint64_t Rng::next_u64() {
    if (s_.used >= 4) refill();
    return s_.buffer[s_.used++];
}

double Rng::uniform() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double Rng::uniform_pos() {
    return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53;
}

std::uint64_t Rng::below(std::uint64_t n) {
    // Lemire (2019): multiply-shift with rejection of the biased low range.
    u128 m = static_cast<u128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<u128>(next_u64()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

double Rng::normal() {
    // Marsaglia polar method; the second variate is cached and checkpointed with the state.
    if (s_.has_normal) {
        s_.has_normal = false;
        return s_.cached_normal;
    }
    double x, y, r2;
    do {
        x = 2.0 * uniform() - 1.0;
        y = 2.0 * uniform() - 1.0;
        r2 = x * x + y * y;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    s_.cached_normal = y * f;
    s_.has_normal = true;
    return x * f;
}

double Rng::exponential(double rate) {
    return -std::log(uniform_pos()) / rate;
}

std::uint64_t Rng::poisson(double mean) {
    if (!(mean > 0.0)) return 0;
    if (mean < 10.0) {
        // Inversion by sequential search (Knuth); exact and fast for small means.
        const double limit = std::exp(-mean);
        std::uint64_t k = 0;
        double prod = uniform_pos();
        while (prod > limit) {
            ++k;
            prod *= uniform_pos();
        }
        return k;
    }
    // Hörmann (1993) PTRS: transformed rejection with squeeze, valid for mean >= 10.
    const double slam = std::sqrt(mean);
    const double loglam = std::log(mean);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform_pos();
        const double us = 0.5 - std::fabs(u);
        const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <= -mean + k * loglam - log_factorial(k))
            return static_cast<std::uint64_t>(k);
    }
}

std::uint64_t Rng::binomial(std::uint64_t n, double p) {
    if (n == 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    if (p > 0.5) return n - binomial(n, 1.0 - p);
    const double np = static_cast<double>(n) * p;
    if (np < 30.0) {
        // Geometric skipping: the gaps between successes are geometric. O(np) draws.
        const double log_q = std::log1p(-p);
        std::uint64_t successes = 0;
        double pos = 0.0;
        for (;;) {
            pos += std::floor(std::log(uniform_pos()) / log_q) + 1.0;
            if (pos > static_cast<double>(n)) return successes;
            ++successes;
        }
    }
    // Larger means: inversion from the mode (below).
    const double q = 1.0 - p;
    const double nd = static_cast<double>(n);
    const double mode = std::floor((nd + 1.0) * p);
    const double log_pmf = std::lgamma(nd + 1.0) - std::lgamma(mode + 1.0) - std::lgamma(nd - mode + 1.0) +
                           mode * std::log(p) + (nd - mode) * std::log1p(-p);
    return invert_from_mode(
        uniform(), static_cast<std::uint64_t>(mode), std::exp(log_pmf), 0, n,
        [&](double k) { return (nd - k) / (k + 1.0) * (p / q); },  // pmf(k + 1) / pmf(k)
        [&](double k) { return k / (nd - k + 1.0) * (q / p); });   // pmf(k - 1) / pmf(k)
}

std::uint64_t Rng::hypergeometric(std::uint64_t draws, std::uint64_t good, std::uint64_t total) {
    // k good items among `draws` taken without replacement from `total` of which `good` are good.
    const std::uint64_t bad = total - good;
    const std::uint64_t lo = draws > bad ? draws - bad : 0, hi = std::min(draws, good);
    if (lo == hi) return lo;
    const double n = static_cast<double>(draws), K = static_cast<double>(good), M = static_cast<double>(total);
    const double mode =
        std::clamp(std::floor((n + 1.0) * (K + 1.0) / (M + 2.0)), static_cast<double>(lo), static_cast<double>(hi));
    auto log_choose = [](double a, double b) {
        return std::lgamma(a + 1.0) - std::lgamma(b + 1.0) - std::lgamma(a - b + 1.0);
    };
    const double log_pmf = log_choose(K, mode) + log_choose(M - K, n - mode) - log_choose(M, n);
    return invert_from_mode(
        uniform(), static_cast<std::uint64_t>(mode), std::exp(log_pmf), lo, hi,
        [&](double k) { return (K - k) * (n - k) / ((k + 1.0) * (M - K - n + k + 1.0)); },
        [&](double k) { return k * (M - K - n + k) / ((K - k + 1.0) * (n - k + 1.0)); });
}

}  // namespace snnfit
