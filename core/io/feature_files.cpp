#include "io/feature_files.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "io/spike_files.hpp"

namespace snnfit::io {

namespace {

FeatureTargetEntry entry(const nlohmann::ordered_json& val, const std::string& where) {
    if (!val.is_array() || val.size() != 2 || !val[0].is_number() || !val[1].is_number())
        throw InputError(where + ": expected [mean, sd]");
    FeatureTargetEntry e;
    e.mean = val[0].get<double>();
    e.sd = val[1].get<double>();
    if (!std::isfinite(e.mean) || !(e.sd > 0) || !std::isfinite(e.sd))
        throw InputError(fmt::format("{}: expected a finite mean and an sd > 0, got [{}, {}]", where, e.mean, e.sd));
    return e;
}

}  // namespace

std::vector<FeatureTargetEntry> read_feature_targets_json(const std::string& path) {
    auto in = open_input_file(path, "a features file");
    nlohmann::ordered_json doc;
    try {
        doc = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(fmt::format("{}: not valid JSON: {}", path, e.what()));
    }
    if (!doc.is_object()) throw InputError(path + ": expected an object of protocols");
    std::vector<FeatureTargetEntry> out;
    for (const auto& [protocol, locations] : doc.items()) {
        const std::string wp = fmt::format("{}: {}", path, protocol);
        if (!locations.is_object()) throw InputError(wp + ": expected an object of locations (\"soma\": ...)");
        for (const auto& [location, features] : locations.items()) {
            const std::string wl = wp + "." + location;
            if (features.is_object()) {  // {"AP_height": [mean, sd], ...}
                for (const auto& [name, val] : features.items()) {
                    auto e = entry(val, wl + "." + name);
                    e.protocol = protocol, e.location = location, e.feature = name;
                    out.push_back(std::move(e));
                }
            } else if (features.is_array()) {  // [{"feature": "AP_height", "val": [mean, sd]}, ...]
                for (std::size_t i = 0; i < features.size(); ++i) {
                    const auto& f = features[i];
                    const std::string wf = fmt::format("{}[{}]", wl, i);
                    if (!f.is_object() || !f.contains("feature") || !f["feature"].is_string() || !f.contains("val"))
                        throw InputError(wf + ": expected {\"feature\": NAME, \"val\": [mean, sd]}");
                    for (const auto& [key, unused] : f.items())
                        if (key != "feature" && key != "val")
                            throw InputError(
                                fmt::format("{}: key \"{}\" is not read by snnfit (expected feature, val; "
                                            "eFEL settings go in [[fit.loss]])",
                                            wf, key));
                    auto e = entry(f["val"], wf + ".val");
                    e.protocol = protocol, e.location = location, e.feature = f["feature"].get<std::string>();
                    out.push_back(std::move(e));
                }
            } else {
                throw InputError(wl + ": expected an object of features or an array of {feature, val}");
            }
        }
    }
    return out;
}

}  // namespace snnfit::io
