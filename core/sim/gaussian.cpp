#include "sim/gaussian.hpp"

#include <array>
#include <cmath>

namespace snnfit::sim {

namespace {

constexpr int kLayers = 256;
constexpr double kR = 3.6541528853610088;  // right edge of the base layer
constexpr double kV = 0.00492867323399;    // area of every layer (incl. the tail)

struct Tables {
    std::array<double, kLayers + 1> x{};  // layer edges, x[0] = V / f(R) (the base's virtual width), x[256] = 0
    std::array<double, kLayers + 1> f{};  // f(x[i]) = exp(-x^2/2)
    Tables() {
        x[0] = kV / std::exp(-0.5 * kR * kR);
        x[1] = kR;
        for (int i = 2; i < kLayers; ++i)
            x[i] = std::sqrt(-2.0 * std::log(kV / x[i - 1] + std::exp(-0.5 * x[i - 1] * x[i - 1])));
        x[kLayers] = 0.0;
        for (int i = 0; i <= kLayers; ++i) f[i] = std::exp(-0.5 * x[i] * x[i]);
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

}  // namespace

double ziggurat_normal(Rng& rng) {
    const Tables& t = tables();
    for (;;) {
        const std::uint64_t w = rng.next_u64();
        const int i = static_cast<int>(w & 0xff);
        const double sign = (w & 0x100) ? -1.0 : 1.0;
        const double u = static_cast<double>(w >> 11) * 0x1.0p-53;  // [0, 1)
        const double x = u * t.x[i];
        if (x < t.x[i + 1]) return sign * x;  // inside the layer's rectangle below the next one
        if (i == 0) {
            // The tail beyond R (Marsaglia 1964).
            double xt, y;
            do {
                xt = -std::log(rng.uniform_pos()) / kR;
                y = -std::log(rng.uniform_pos());
            } while (y + y < xt * xt);
            return sign * (kR + xt);
        }
        // The wedge: accept under the density.
        if (t.f[i] + rng.uniform() * (t.f[i + 1] - t.f[i]) < std::exp(-0.5 * x * x)) return sign * x;
    }
}

}  // namespace snnfit::sim
