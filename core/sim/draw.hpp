// One draw from a model::Distribution (per neuron or per connection).
#pragma once

#include <algorithm>
#include <cmath>

#include "common/rng.hpp"
#include "model/network_spec.hpp"

namespace snnfit::sim {

// `shared_r` is the neuron's one U(0,1) number that every "scaled" parameter uses.
inline double draw(const model::Distribution& d, Rng& rng, double shared_r = 0.0) {
    using K = model::Distribution::Kind;
    switch (d.kind) {
        case K::constant:
            return d.a;
        case K::uniform:
            return rng.uniform(d.a, d.b);
        case K::normal: {
            double lo = d.lo, hi = d.hi;
            if (d.keep_sign) {
                if (d.a >= 0)
                    lo = std::max(lo, 0.0);
                else
                    hi = std::min(hi, 0.0);
            }
            for (;;) {  // truncated to [lo, hi] by redrawing (the parser keeps the mean near it)
                const double x = rng.normal(d.a, d.b);
                if (x >= lo && x <= hi) return x;
            }
        }
        case K::scaled:
            return d.a + d.b * std::pow(shared_r, d.power);
    }
    return d.a;
}

}  // namespace snnfit::sim
