#include "metrics/profile.hpp"

#include <cstddef>

#include "common/error.hpp"
#include "metrics/isi_distance.hpp"
#include "metrics/spike_distance.hpp"
#include "metrics/spike_sync.hpp"

namespace snnfit::metrics {

double PiecewiseConstProfile::integral() const {
    double s = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k) s += y[k] * (x[k + 1] - x[k]);
    return s;
}
double PiecewiseConstProfile::average() const {
    return integral() / (x.back() - x.front());
}

double PiecewiseLinProfile::integral() const {
    double s = 0.0;
    for (std::size_t k = 0; k < y1.size(); ++k) s += 0.5 * (y1[k] + y2[k]) * (x[k + 1] - x[k]);
    return s;
}
double PiecewiseLinProfile::average() const {
    return integral() / (x.back() - x.front());
}

double DiscreteProfile::average() const {
    double v = 0.0, m = 0.0;
    for (std::size_t k = 1; k + 1 < x.size(); ++k) v += y[k], m += mp[k];
    return m > 0.0 ? v / m : 1.0;
}

// The merges follow PySpike's add_piece_wise_const / _lin / add_discrete_function.
PiecewiseConstProfile add(const PiecewiseConstProfile& f, const PiecewiseConstProfile& g) {
    PiecewiseConstProfile r;
    r.x.reserve(f.x.size() + g.x.size());
    r.y.reserve(f.x.size() + g.x.size());
    r.x.push_back(f.x[0]);
    r.y.push_back(f.y[0] + g.y[0]);
    std::size_t i1 = 0, i2 = 0;
    while (i1 + 1 < f.y.size() && i2 + 1 < g.y.size()) {
        if (f.x[i1 + 1] < g.x[i2 + 1]) {
            r.x.push_back(f.x[++i1]);
        } else if (f.x[i1 + 1] > g.x[i2 + 1]) {
            r.x.push_back(g.x[++i2]);
        } else {
            ++i1, ++i2;
            r.x.push_back(f.x[i1]);
        }
        r.y.push_back(f.y[i1] + g.y[i2]);
    }
    if (i1 + 1 < f.y.size()) {
        for (std::size_t k = i1 + 1; k < f.y.size(); ++k) r.x.push_back(f.x[k]), r.y.push_back(f.y[k] + g.y.back());
        r.x.push_back(f.x.back());
    } else if (i2 + 1 < g.y.size()) {
        for (std::size_t k = i2 + 1; k < g.y.size(); ++k) r.x.push_back(g.x[k]), r.y.push_back(g.y[k] + f.y.back());
        r.x.push_back(g.x.back());
    } else {
        r.x.push_back(f.x.back());
    }
    return r;
}

PiecewiseLinProfile add(const PiecewiseLinProfile& f, const PiecewiseLinProfile& g) {
    PiecewiseLinProfile r;
    const std::size_t cap = f.x.size() + g.x.size();
    r.x.reserve(cap), r.y1.reserve(cap), r.y2.reserve(cap);
    r.x.push_back(f.x[0]);
    r.y1.push_back(f.y1[0] + g.y1[0]);
    std::size_t i1 = 0, i2 = 0;
    // Value of h's linear piece k at time t.
    auto interp = [](const PiecewiseLinProfile& h, std::size_t k, double t) {
        return h.y1[k] + (h.y2[k] - h.y1[k]) * (t - h.x[k]) / (h.x[k + 1] - h.x[k]);
    };
    while (i1 + 1 < f.y1.size() && i2 + 1 < g.y1.size()) {
        if (f.x[i1 + 1] < g.x[i2 + 1]) {
            const double y = interp(g, i2, f.x[i1 + 1]);
            r.y2.push_back(f.y2[i1] + y);
            ++i1;
            r.x.push_back(f.x[i1]);
            r.y1.push_back(f.y1[i1] + y);
        } else if (f.x[i1 + 1] > g.x[i2 + 1]) {
            const double y = interp(f, i1, g.x[i2 + 1]);
            r.y2.push_back(g.y2[i2] + y);
            ++i2;
            r.x.push_back(g.x[i2]);
            r.y1.push_back(g.y1[i2] + y);
        } else {
            r.y2.push_back(f.y2[i1] + g.y2[i2]);
            ++i1, ++i2;
            r.x.push_back(f.x[i1]);
            r.y1.push_back(f.y1[i1] + g.y1[i2]);
        }
    }
    // One function has more pieces left: add the other's last linear piece to them.
    auto tail = [&](const PiecewiseLinProfile& h, std::size_t ih, const PiecewiseLinProfile& o, std::size_t io) {
        for (std::size_t k = ih + 1; k < h.y1.size(); ++k) {
            const double y = interp(o, io, h.x[k]);
            r.y2.push_back(h.y2[k - 1] + y);
            r.x.push_back(h.x[k]);
            r.y1.push_back(h.y1[k] + y);
        }
        r.x.push_back(h.x.back());
        r.y2.push_back(h.y2.back() + o.y2.back());
    };
    if (i1 + 1 < f.y1.size()) {
        tail(f, i1, g, i2);
    } else if (i2 + 1 < g.y1.size()) {
        tail(g, i2, f, i1);
    } else {
        r.x.push_back(f.x.back());
        r.y2.push_back(f.y2.back() + g.y2.back());
    }
    return r;
}

DiscreteProfile add(const DiscreteProfile& f, const DiscreteProfile& g) {
    DiscreteProfile r;
    const std::size_t cap = f.x.size() + g.x.size();
    r.x.reserve(cap), r.y.reserve(cap), r.mp.reserve(cap);
    r.x.push_back(f.x[0]);
    r.y.push_back(0.0);
    r.mp.push_back(0.0);
    const std::size_t n1 = f.x.size() - 1, n2 = g.x.size() - 1;
    std::size_t i1 = 0, i2 = 0;
    auto push = [&](double x, double y, double mp) { r.x.push_back(x), r.y.push_back(y), r.mp.push_back(mp); };
    while (i1 + 1 < n1 && i2 + 1 < n2) {
        if (f.x[i1 + 1] < g.x[i2 + 1]) {
            ++i1;
            push(f.x[i1], f.y[i1], f.mp[i1]);
        } else if (f.x[i1 + 1] > g.x[i2 + 1]) {
            ++i2;
            push(g.x[i2], g.y[i2], g.mp[i2]);
        } else {
            ++i1, ++i2;
            push(f.x[i1], f.y[i1] + g.y[i2], f.mp[i1] + g.mp[i2]);
        }
    }
    if (i1 + 1 < n1) {
        for (std::size_t k = i1 + 1; k <= n1; ++k) push(f.x[k], f.y[k], f.mp[k]);
    } else if (i2 + 1 < n2) {
        for (std::size_t k = i2 + 1; k <= n2; ++k) push(g.x[k], g.y[k], g.mp[k]);
    } else {
        push(f.x.back(), f.y.back() + g.y.back(), f.mp.back() + g.mp.back());
    }
    r.y[0] = r.y[1];
    r.mp[0] = r.mp[1];
    return r;
}

namespace {
void check_multi(const SpikeRaster& r, const Window& w) {
    if (r.size() < 2) throw InputError("a multivariate profile needs at least two spike trains");
    check_window(w);
    check_raster(r, w);
}
}  // namespace

PiecewiseConstProfile isi_profile(const SpikeRaster& r, const Window& w) {
    check_multi(r, w);
    PiecewiseConstProfile sum = isi_profile(r.train(0), r.train(1), w);
    std::size_t pairs = 1;
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = i + 1; j < r.size(); ++j) {
            if (i == 0 && j == 1) continue;
            sum = add(sum, isi_profile(r.train(i), r.train(j), w));
            ++pairs;
        }
    for (double& v : sum.y) v /= static_cast<double>(pairs);
    return sum;
}

PiecewiseLinProfile spike_profile(const SpikeRaster& r, const Window& w) {
    check_multi(r, w);
    PiecewiseLinProfile sum = spike_profile(r.train(0), r.train(1), w);
    std::size_t pairs = 1;
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = i + 1; j < r.size(); ++j) {
            if (i == 0 && j == 1) continue;
            sum = add(sum, spike_profile(r.train(i), r.train(j), w));
            ++pairs;
        }
    for (double& v : sum.y1) v /= static_cast<double>(pairs);
    for (double& v : sum.y2) v /= static_cast<double>(pairs);
    return sum;
}

DiscreteProfile sync_profile(const SpikeRaster& r, const Window& w, double max_tau) {
    check_multi(r, w);
    DiscreteProfile sum = sync_profile(r.train(0), r.train(1), w, max_tau);
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = i + 1; j < r.size(); ++j) {
            if (i == 0 && j == 1) continue;
            sum = add(sum, sync_profile(r.train(i), r.train(j), w, max_tau));
        }
    return sum;
}

}  // namespace snnfit::metrics
