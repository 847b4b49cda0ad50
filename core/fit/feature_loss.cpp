#include "fit/feature_loss.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "common/error.hpp"
#include "fit/protocol.hpp"
#include "io/feature_files.hpp"

namespace snnfit::fit {

std::string FeatureTarget::label() const {
    return fmt::format("{}@{}", metrics::feature_name(feature), where);
}

double feature_score(const FeatureTarget& t, const std::vector<double>& values, double penalty) {
    if (values.empty()) return penalty;
    double sum = 0.0;
    for (double v : values) sum += std::fabs(v - t.mean);
    const double score = sum / t.sd / static_cast<double>(values.size());
    return std::isfinite(score) ? std::min(score, penalty) : penalty;
}

namespace {

metrics::SweepTrace sweep_trace(const Sweep& s, std::span<const double> v, double dt) {
    metrics::SweepTrace tr;
    tr.v = v;
    tr.dt = dt;
    tr.stim_start = s.delay;
    tr.stim_end = s.delay + s.duration;
    tr.stim_amplitude = s.amplitude;
    return tr;
}

// The features that need an AP shape, which a reset model does not have.
bool needs_ap_shape(metrics::Feature f) {
    using F = metrics::Feature;
    return f == F::AP_amplitude || f == F::AP_height || f == F::AP_width;
}

}  // namespace

std::vector<std::vector<double>> model_feature_values(const FeatureLossSpec& spec, const Protocol& protocol,
                                                      const sim::SimResult& result, const std::string& population) {
    const auto trace = std::find_if(result.voltage.begin(), result.voltage.end(),
                                    [&](const sim::VoltageTrace& t) { return t.population == population; });
    const SpikeRaster* raster = result.find(population);
    if (trace == result.voltage.end() || !raster || trace->neurons.size() != protocol.sweeps.size())
        throw InternalError("features loss: the voltage of population " + population + " was not recorded");
    // One extractor per sweep, shared by every target on it: peaks and minima are found once.
    std::vector<std::optional<metrics::FeatureExtractor>> sweeps(protocol.sweeps.size());
    std::vector<std::vector<double>> out;
    out.reserve(spec.targets.size());
    for (const auto& t : spec.targets) {
        std::vector<double> values;
        for (auto i : t.sweeps) {
            if (!sweeps[i]) {
                const auto& s = protocol.sweeps[i];
                // Sweep i is as long as its recording, whatever the longest sweep made the run.
                const auto n = std::min(trace->samples, static_cast<std::size_t>(std::llround(s.length / result.dt)));
                auto tr = sweep_trace(s, std::span<const double>(trace->v).subspan(i * trace->samples, n), result.dt);
                if (spec.event_spikes) tr.event_spikes = raster->train(i);
                sweeps[i].emplace(tr, spec.settings);
            }
            const auto v = (*sweeps[i])(t.feature);
            values.insert(values.end(), v.begin(), v.end());
        }
        out.push_back(std::move(values));
    }
    return out;
}

double feature_loss_value(const FeatureLossSpec& spec, const Protocol& protocol, const sim::SimResult& result,
                          const std::string& population) {
    const auto values = model_feature_values(spec, protocol, result, population);
    double sum = 0.0, weights = 0.0;
    for (std::size_t k = 0; k < spec.targets.size(); ++k) {
        sum += spec.targets[k].weight * feature_score(spec.targets[k], values[k], spec.penalty);
        weights += spec.targets[k].weight;
    }
    return weights > 0 ? sum / weights : 0.0;
}

namespace {

using io::ConfigTable;
using io::Range;

std::size_t sweep_index(const ConfigTable& t, const char* key, const Protocol& p, const std::string& name) {
    for (std::size_t i = 0; i < p.sweeps.size(); ++i)
        if (p.sweeps[i].name == name) return i;
    std::vector<std::string> names;
    for (const auto& s : p.sweeps) names.push_back(s.name);
    t.fail(key, fmt::format("no sweep named \"{}\" in {} (its sweeps: {})", name, p.source, fmt::join(names, ", ")));
}

metrics::Feature feature_of(const ConfigTable& t, const char* key, const std::string& name) {
    if (auto f = metrics::parse_feature(name)) return *f;
    std::vector<std::string> names;
    for (auto f : metrics::all_features()) names.emplace_back(metrics::feature_name(f));
    t.fail(key,
           fmt::format("\"{}\" is not a feature snnfit computes (expected one of: {})", name, fmt::join(names, ", ")));
}

std::string joined_names(const Protocol& p, const std::vector<std::size_t>& sweeps) {
    std::vector<std::string> names;
    for (auto i : sweeps) names.push_back(p.sweeps[i].name);
    return fmt::format("{}", fmt::join(names, "+"));
}

// Mean and sd (ddof 0) over the sweeps of the recorded feature, each sweep's values
// averaged first (a feature per AP counts once per sweep), as BluePyEfe does.
std::pair<double, double> recorded_target(const ConfigTable& t, const FeatureTarget& target, const Protocol& p,
                                          const metrics::FeatureSettings& settings) {
    std::vector<double> means;
    for (auto i : target.sweeps) {
        const auto& s = p.sweeps[i];
        if (s.voltage.empty())
            t.fail("mean", fmt::format("sweep \"{}\" of {} has no recorded voltage to compute {} on; give mean and sd",
                                       s.name, p.source, metrics::feature_name(target.feature)));
        metrics::FeatureExtractor x(sweep_trace(s, s.voltage, s.voltage_dt), settings);
        const auto v = x(target.feature);
        if (v.empty())
            t.fail("mean",
                   fmt::format("{} is undefined on the recorded sweep \"{}\" of {}; give mean and sd, or drop it",
                               metrics::feature_name(target.feature), s.name, p.source));
        double m = 0.0;
        for (double x1 : v) m += x1;
        means.push_back(m / static_cast<double>(v.size()));
    }
    double mean = 0.0;
    for (double m : means) mean += m;
    mean /= static_cast<double>(means.size());
    double var = 0.0;
    for (double m : means) var += (m - mean) * (m - mean);
    return {mean, std::sqrt(var / static_cast<double>(means.size()))};
}

}  // namespace

ParsedFeatureLoss parse_feature_loss(const ConfigTable& t, const Protocol& protocol, bool point_model) {
    ParsedFeatureLoss out;
    auto& spec = out.spec;
    out.separate = t.choice_or("objectives", "sum", {"sum", "separate"}) == "separate";
    spec.event_spikes = t.choice_or("spikes", point_model ? "events" : "voltage", {"events", "voltage"}) == "events";
    spec.penalty = t.number_or("penalty", spec.penalty, Range::positive());
    auto& s = spec.settings;
    s.threshold = t.number_or("threshold", s.threshold);
    s.derivative_threshold = t.number_or("derivative_threshold", s.derivative_threshold, Range::positive());
    s.interp_step = t.number_or("interp_step", s.interp_step, Range::positive());
    const double min_sd_fraction = t.number_or("min_sd_fraction", 0.05, Range::nonnegative());
    const double min_sd = t.number_or("min_sd", 0.0, Range::nonnegative());

    // A reset model's voltage never shows an AP: say so before anything is computed.
    auto check = [&](const ConfigTable& where, const char* key, metrics::Feature f) {
        if (spec.event_spikes && needs_ap_shape(f))
            where.fail(key, fmt::format("{} needs an action potential in the model's voltage; with spikes = \"events\" "
                                        "(a reset model) it is undefined",
                                        metrics::feature_name(f)));
        return f;
    };

    if (t.has("file")) {
        std::filesystem::path file = t.string("file");
        if (file.is_relative()) file = std::filesystem::path(t.file()).parent_path() / file;
        for (const auto& e : io::read_feature_targets_json(file.string())) {
            if (e.location != "soma" && e.location != "soma.v")
                t.fail("file", fmt::format("{}: {}.{}: snnfit fits point cells; only the location \"soma\" (or "
                                           "\"soma.v\") is read",
                                           file.string(), e.protocol, e.location));
            FeatureTarget target;
            target.feature = check(t, "file", feature_of(t, "file", e.feature));
            target.sweeps = {sweep_index(t, "file", protocol, e.protocol)};
            target.where = e.protocol;
            target.mean = e.mean;
            target.sd = e.sd;
            spec.targets.push_back(std::move(target));
        }
    }
    for (const auto& ft : t.tables("feature")) {
        std::vector<std::string> names = ft.is_array("name") ? ft.strings("name") : std::vector{ft.string("name")};
        // Each sweep is its own target (all sweeps, or those listed); with repeats = true the
        // listed sweeps are repeats of one stimulus, scored against one target.
        std::vector<std::vector<std::size_t>> groups;
        std::vector<std::size_t> listed;
        if (ft.has("sweeps")) {
            for (const auto& n : ft.strings("sweeps")) listed.push_back(sweep_index(ft, "sweeps", protocol, n));
            if (listed.empty()) ft.fail("sweeps", "expected at least one sweep name");
        } else {
            for (std::size_t i = 0; i < protocol.sweeps.size(); ++i) listed.push_back(i);
        }
        if (ft.boolean_or("repeats", false)) {
            groups.push_back(listed);
        } else {
            for (auto i : listed) groups.push_back({i});
        }
        const auto mean = ft.find_number("mean");
        const auto sd = ft.find_number("sd", Range::positive());
        if (mean.has_value() != sd.has_value())
            ft.fail(mean ? "sd" : "mean", "give both mean and sd, or neither (then they come from the recording)");
        const double weight = ft.number_or("weight", 1.0, Range::positive());
        const double floor_fraction = ft.number_or("min_sd_fraction", min_sd_fraction, Range::nonnegative());
        const double floor = ft.number_or("min_sd", min_sd, Range::nonnegative());
        for (const auto& name : names) {
            const auto feature = check(ft, "name", feature_of(ft, "name", name));
            for (const auto& g : groups) {
                FeatureTarget target;
                target.feature = feature;
                target.sweeps = g;
                target.where = joined_names(protocol, g);
                target.weight = weight;
                if (mean) {
                    target.mean = *mean;
                    target.sd = *sd;
                } else {
                    const auto [m, v] = recorded_target(ft, target, protocol, s);
                    target.mean = m;
                    target.sd = std::max({v, floor_fraction * std::fabs(m), floor});
                    if (!(target.sd > 0))
                        ft.fail("name", fmt::format("{} on {}: the recorded sd is 0; set min_sd", name, target.where));
                }
                spec.targets.push_back(std::move(target));
            }
        }
        ft.finish();
    }
    if (spec.targets.empty()) t.fail("feature", "a features loss needs [[fit.loss.feature]] tables or a file");
    return out;
}

}  // namespace snnfit::fit
