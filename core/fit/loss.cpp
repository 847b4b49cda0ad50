#include "fit/loss.hpp"

#include <cmath>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "common/error.hpp"
#include "fit/feature_loss.hpp"
#include "metrics/distance.hpp"

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
        case Kind::first_spike_latency:
            return "first_spike_latency";
        case Kind::features:
            if (features && features->targets.size() == 1) return "feature(" + features->targets[0].label() + ")";
            return fmt::format("features({})", features ? features->targets.size() : 0);
    }
    return "?";
}

std::vector<LossTerm> split_feature_objectives(const LossTerm& term) {
    std::vector<LossTerm> out;
    for (const auto& t : term.features->targets) {
        LossTerm one = term;
        auto spec = *term.features;
        spec.targets = {t};
        one.weight = term.weight * t.weight;
        spec.targets[0].weight = 1.0;
        one.features = std::make_shared<const FeatureLossSpec>(std::move(spec));
        one.separate_features = false;
        out.push_back(std::move(one));
    }
    return out;
}

double mean_rate(const SpikeRaster& r, const metrics::Window& w) {
    if (r.size() == 0) return 0.0;
    std::size_t n = 0;
    for (double t : r.times) n += (t >= w.t_start && t <= w.t_end) ? 1 : 0;
    return static_cast<double>(n) / static_cast<double>(r.size()) / ((w.t_end - w.t_start) / 1000.0);
}

namespace {
// Spikes of each train inside its window (model trains lie inside by construction;
// this keeps target files with spikes outside the loss window usable).
SpikeRaster clip(const SpikeRaster& r, std::span<const metrics::Window> w) {
    SpikeRaster out;
    out.times.reserve(r.times.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
        for (double t : r.train(i))
            if (t >= w[i].t_start && t <= w[i].t_end) out.times.push_back(t);
        out.offsets.push_back(static_cast<std::int64_t>(out.times.size()));
    }
    return out;
}

void check_matched(const LossTerm& term, const SpikeRaster& model, const SpikeRaster& target, std::size_t windows) {
    if (model.size() != target.size() || model.size() != windows)
        throw InternalError(fmt::format("{} loss on {} vs {} neurons with {} windows", term.label(), model.size(),
                                        target.size(), windows));
}
}  // namespace

double loss_value(const LossTerm& term, const SpikeRaster& model, const SpikeRaster& target, const metrics::Window& w) {
    using K = LossTerm::Kind;
    if (term.kind == K::population_distance) {
        const std::vector<metrics::Window> wa(model.size(), w), wb(target.size(), w);
        const SpikeRaster a = clip(model, wa), b = clip(target, wb);
        if (a.size() == 0 || b.size() == 0) return 0.0;
        double sum = 0.0;
        for (std::size_t i = 0; i < a.size(); ++i)
            for (std::size_t j = 0; j < b.size(); ++j) sum += metrics::distance(term.metric, a.train(i), b.train(j), w);
        return sum / static_cast<double>(a.size() * b.size());
    }
    if (term.kind == K::rate) {
        const double want = term.target_rate ? *term.target_rate : mean_rate(target, w);
        const double got = mean_rate(model, w);
        return want > 0 ? std::fabs(got - want) / want : got;
    }
    const std::vector<metrics::Window> windows(model.size(), w);
    return loss_value(term, model, target, windows);
}

double loss_value(const LossTerm& term, const SpikeRaster& model, const SpikeRaster& target,
                  std::span<const metrics::Window> windows) {
    using K = LossTerm::Kind;
    switch (term.kind) {
        case K::population_distance:
            throw InternalError("population_distance has no per-train windows");
        case K::features:
            throw InternalError("a features loss is computed from voltages (feature_loss_value)");
        case K::rate: {
            // Spikes per second of recording, pooled over the trains.
            auto rate = [&](const SpikeRaster& r) {
                const SpikeRaster c = clip(r, windows);
                double seconds = 0.0;
                for (std::size_t i = 0; i < c.size(); ++i) seconds += (windows[i].t_end - windows[i].t_start) / 1000.0;
                return seconds > 0 ? static_cast<double>(c.spike_count()) / seconds : 0.0;
            };
            const double want = term.target_rate ? *term.target_rate : rate(target);
            const double got = rate(model);
            return want > 0 ? std::fabs(got - want) / want : got;
        }
        case K::spike_distance: {
            check_matched(term, model, target, windows.size());
            if (model.size() == 0) return 0.0;
            return metrics::matched_pair_distance(term.metric, clip(model, windows), clip(target, windows), windows);
        }
        case K::spike_count: {
            check_matched(term, model, target, windows.size());
            const SpikeRaster a = clip(model, windows), b = clip(target, windows);
            double diff = 0.0, total = 0.0;
            for (std::size_t i = 0; i < a.size(); ++i) {
                diff += std::fabs(static_cast<double>(a.train(i).size()) - static_cast<double>(b.train(i).size()));
                total += static_cast<double>(b.train(i).size());
            }
            return diff / std::max(1.0, total);
        }
        case K::first_spike_latency: {
            check_matched(term, model, target, windows.size());
            if (model.size() == 0) return 0.0;
            const SpikeRaster a = clip(model, windows), b = clip(target, windows);
            double sum = 0.0;
            for (std::size_t i = 0; i < a.size(); ++i) {
                const auto ta = a.train(i), tb = b.train(i);
                if (ta.empty() != tb.empty()) {
                    sum += 1.0;  // a sweep that fires against one that does not: the largest error
                } else if (!ta.empty()) {
                    const double scale =
                        term.latency_scale ? *term.latency_scale : windows[i].t_end - windows[i].t_start;
                    sum += std::min(1.0, std::fabs(ta[0] - tb[0]) / scale);
                }
            }
            return sum / static_cast<double>(a.size());
        }
    }
    return 0.0;
}

}  // namespace snnfit::fit
