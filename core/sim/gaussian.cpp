#include "sim/gaussian.hpp"

namespace snnfit::sim::detail {

const ZigguratTables& ziggurat_tables() {
    static const ZigguratTables t = [] {
        constexpr double v = 0.00492867323399;  // area of every layer (the base includes the tail)
        ZigguratTables z;
        z.x[0] = v / std::exp(-0.5 * kZigR * kZigR);
        z.x[1] = kZigR;
        for (int i = 2; i < kZigLayers; ++i)
            z.x[i] = std::sqrt(-2.0 * std::log(v / z.x[i - 1] + std::exp(-0.5 * z.x[i - 1] * z.x[i - 1])));
        z.x[kZigLayers] = 0.0;
        for (int i = 0; i <= kZigLayers; ++i) z.f[i] = std::exp(-0.5 * z.x[i] * z.x[i]);
        return z;
    }();
    return t;
}

}  // namespace snnfit::sim::detail
