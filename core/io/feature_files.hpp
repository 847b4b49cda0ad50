// Feature targets in BluePyOpt's features.json layout: protocol -> location -> feature ->
// [mean, sd], or (BluePyOpt's newer examples) location -> [{"feature": name, "val": [mean, sd]}].
#pragma once

#include <string>
#include <vector>

namespace snnfit::io {

struct FeatureTargetEntry {
    std::string protocol;  // BluePyOpt's protocol name; snnfit matches it with a sweep name
    std::string location;  // "soma", "soma.v", ...
    std::string feature;   // the eFEL name, checked by the caller
    double mean = 0.0, sd = 0.0;
};

// Every entry in file order (protocols, then locations, then features). Throws InputError
// naming the file and the JSON path of anything malformed (sd must be > 0).
std::vector<FeatureTargetEntry> read_feature_targets_json(const std::string& path);

}  // namespace snnfit::io
