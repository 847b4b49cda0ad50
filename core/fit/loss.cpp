#include "fit/loss.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "common/error.hpp"

namespace snnfit::fit {

std::string LossTerm::label() const {
    switch (kind) {
        case Kind::spike_distance:
            return fmt::format("spike_distance({})", metrics::metric_name(metric.metric));
        case Kind::population_distance:
            return fmt::format("population_distance({})", metrics::metric_name(metric.metric));
        case Kind::rate:
            return "rate";
        case Kind::spike_count:
            return "spike_count";
    }
    return "?";
}

double mean_rate(const SpikeRaster& r, const metrics::Window& w) {
    if (r.size() == 0) return 0.0;
    std::size_t n = 0;
    for (double t : r.times) n += (t >= w.t_start && t <= w.t_end) ? 1 : 0;
    return static_cast<double>(n) / static_cast<double>(r.size()) / ((w.t_end - w.t_start) / 1000.0);
}

namespace {
// Spikes of each train inside the window (model trains lie inside by construction;
// this keeps target files with spikes outside the loss window usable).
SpikeRaster clip(const SpikeRaster& r, const metrics::Window& w) {
    SpikeRaster out;
    out.times.reserve(r.times.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
        for (double t : r.train(i))
            if (t >= w.t_start && t <= w.t_end) out.times.push_back(t);
        out.offsets.push_back(static_cast<std::int64_t>(out.times.size()));
    }
    return out;
}
}  // namespace

double loss_value(const LossTerm& term, const SpikeRaster& model, const SpikeRaster& target, const metrics::Window& w) {
    using K = LossTerm::Kind;
    switch (term.kind) {
        case K::spike_distance: {
            if (model.size() != target.size())
                throw InternalError(fmt::format("matched-pair loss on {} vs {} neurons", model.size(), target.size()));
            return metrics::matched_pair_distance(term.metric, clip(model, w), clip(target, w), w);
        }
        case K::population_distance: {
            const SpikeRaster a = clip(model, w), b = clip(target, w);
            if (a.size() == 0 || b.size() == 0) return 0.0;
            double sum = 0.0;
            for (std::size_t i = 0; i < a.size(); ++i)
                for (std::size_t j = 0; j < b.size(); ++j)
                    sum += metrics::distance(term.metric, a.train(i), b.train(j), w);
            return sum / static_cast<double>(a.size() * b.size());
        }
        case K::rate: {
            const double want = term.target_rate ? *term.target_rate : mean_rate(target, w);
            const double got = mean_rate(model, w);
            return want > 0 ? std::fabs(got - want) / want : got;
        }
        case K::spike_count: {
            if (model.size() != target.size())
                throw InternalError(fmt::format("spike-count loss on {} vs {} neurons", model.size(), target.size()));
            const SpikeRaster a = clip(model, w), b = clip(target, w);
            double diff = 0.0, total = 0.0;
            for (std::size_t i = 0; i < a.size(); ++i) {
                diff += std::fabs(static_cast<double>(a.train(i).size()) - static_cast<double>(b.train(i).size()));
                total += static_cast<double>(b.train(i).size());
            }
            return diff / std::max(1.0, total);
        }
    }
    return 0.0;
}

}  // namespace snnfit::fit
