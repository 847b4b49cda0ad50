// Checkpoints of a fit: one HDF5 file per checkpoint under DIR/checkpoints/, written
// atomically, the last K kept; reading one back (damage found and named), choosing the
// newest valid one, and refusing to resume with a config that changes the results.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/spike_raster.hpp"
#include "fit/output.hpp"
#include "io/config.hpp"
#include "opt/state.hpp"

namespace snnfit::sim {
struct SimResult;
}

namespace snnfit::fit {

class Problem;

// A file that is an snnfit file of a newer format version than this build reads.
class FormatVersionError : public InputError {
public:
    using InputError::InputError;
};

// What a checkpoint holds that a resumed run needs.
struct Checkpoint {
    std::string path;
    StoredConfig config;
    std::uint64_t run_seed = 0;
    opt::OptimizerState state;
    std::vector<std::string> target_populations;
    std::vector<SpikeRaster> targets;  // in the order of target_populations; ms
};

// DIR/checkpoints/ckpt-GGGGGG.h5, G = completed generations.
std::string checkpoint_dir(const std::string& out_dir);
std::string checkpoint_path(const std::string& out_dir, std::int64_t generations);

// Writes the checkpoint of `state` to `path` (atomically). `best_sim` is the simulation
// of the best parameters (its rasters go to /best/spikes).
// `weights` are the objectives' weights in the fitness (opt::Settings::weights).
void write_checkpoint(const std::string& path, const Problem& problem, const std::vector<double>& weights,
                      const io::ConfigDocument& doc, const opt::OptimizerState& state, const sim::SimResult& best_sim);
// Reads a checkpoint; InputError naming the file and object when it is damaged, not an
// snnfit checkpoint, or inconsistent; FormatVersionError when its format is newer.
Checkpoint read_checkpoint(const std::string& path);

// Checkpoint files in DIR/checkpoints, newest (most generations) first.
std::vector<std::string> list_checkpoints(const std::string& out_dir);
// Of the checkpoints up to `generations` (the one just written), removes all but the
// newest `keep`; removes leftover *.tmp files. Checkpoints beyond `generations` (left by
// a run resumed from an older one, e.g. past damaged files) are left alone: a damaged
// one must never push the one just written out.
void prune_checkpoints(const std::string& out_dir, std::int64_t keep, std::int64_t generations);

// The newest checkpoint of DIR that reads back whole. Damaged ones are named in one
// `warn` line each and skipped; none at all = nullopt. A newer format version is an error.
std::optional<Checkpoint> newest_valid_checkpoint(const std::string& out_dir,
                                                  const std::function<void(const std::string&)>& warn);

// Key paths whose values differ between two configs (text + overrides), compared as
// TOML trees; [optimizer.termination] and [checkpoint] are ignored (limits may be raised,
// checkpoint settings never change results). Each entry: "key: old -> new".
std::vector<std::string> config_differences(const io::ConfigDocument& stored, const io::ConfigDocument& current);

// What `snnfit inspect` shows of a checkpoint or a result file.
struct FileSummary {
    struct Island {
        std::int64_t size = 0;  // 0 when unknown (a result keeps no populations)
        double best_fitness = 0.0;
        std::int64_t best_id = -1;
        std::vector<double> best_parameters;  // values (decoded), empty when unknown
        std::vector<double> best_objectives;
    };
    struct Object {
        std::string path;
        std::string type;  // "group", or the element type of a dataset ("float64", "int64", "string")
        std::vector<std::uint64_t> shape;
    };
    std::string path, kind, snnfit_version, created;
    std::int64_t format_version = 0;
    std::uint64_t run_seed = 0;
    std::int64_t generations = 0;  // completed
    std::int64_t evaluations = 0;
    double wall_time_used = -1.0;  // seconds; negative when the file does not record it
    std::string termination;
    std::vector<std::string> parameter_names, loss_labels;
    bool best_valid = false;
    double best_fitness = 0.0;
    std::int64_t best_island = 0, best_generation = 0;
    std::vector<double> best_parameters, best_objectives;
    std::vector<Island> islands;
    std::vector<Object> layout;  // every group and dataset, depth first, by name
};

// Reads a checkpoint (kind "checkpoint") or a result (kind "result"); InputError when the
// file is damaged, not an snnfit file or of another kind; FormatVersionError when newer.
FileSummary summarize_file(const std::string& path);

}  // namespace snnfit::fit
