// What a fit writes: DIR/result.h5 (the layout in README "Files") and the pieces of it
// that checkpoints share: config text, parameter table, best, targets, history.
#pragma once

#include <string>
#include <vector>

#include "fit/problem.hpp"
#include "io/config.hpp"
#include "io/hdf5.hpp"
#include "opt/state.hpp"
#include "sim/simulator.hpp"

namespace snnfit::fit {

class SpikeFit;

// /config: the TOML text, with the --set overrides and the file name as attributes.
void write_config(io::h5::Group& root, const io::ConfigDocument& doc);
// What write_config stored (results, checkpoints and `simulate` outputs alike).
struct StoredConfig {
    std::string text;
    std::string file;
    std::vector<std::string> overrides;
    // The config parsed as it was when the file was written; InputError naming `path`
    // when it does not parse.
    io::ConfigDocument document(const std::string& path) const;
};
StoredConfig read_config(const io::h5::Group& root);
// /parameters: names, paths, lo, hi, log_scale, integer, true_values (NaN when unknown).
void write_parameters(io::h5::Group& root, const Problem& problem);
// The search space /parameters describes (names, paths, bounds, scales), as written.
ParameterSpace read_parameters(const io::h5::Group& params);
// /losses: labels and weights of the objectives.
void write_losses(io::h5::Group& root, const Problem& problem, std::vector<double> weights);
// /target/POP: the target raster of every compared population.
void write_targets(io::h5::Group& root, const Problem& problem);
// /best: parameters, search coordinates, objectives, fitness, island, generation, and
// the best spike raster /best/spikes/POP.
void write_best(io::h5::Group& root, const Problem& problem, const opt::BestSoFar& best, const sim::SimResult& sim);
// /pareto (NSGA-II runs): the front's search coordinates, parameters and objectives as
// n x d and n x m matrices, ids, and /pareto/spikes/I/POP the raster of member I.
void write_pareto(io::h5::Group& root, const Problem& problem, const std::vector<opt::Individual>& front,
                  const std::vector<sim::SimResult>& sims);
// /features (a fit with a features loss; nothing otherwise): one entry per scored feature
// (labels, target_mean, target_sd, fitted = the mean of the fitted model's values, NaN when
// undefined, score) and /features/sweeps/NAME/{target_v, fitted_v} with their dt, stimulus
// start and end, for the report's voltage overlay. `sim` must hold the protocol's voltages
// (Problem::simulate records them when a features loss exists).
void write_features(io::h5::Group& root, const SpikeFit& problem, const sim::SimResult& sim);
// /history: one entry per generation (generation, evaluations, best, mean, std, invalid,
// evals_per_second, elapsed) and per island (islands/best, mean, std, evaluations,
// invalid as generations x islands matrices).
void write_history(io::h5::Group& root, const std::vector<opt::GenerationLog>& history);

// The CSV form of the history, one line per generation.
// What `snnfit simulate` writes (kind "simulation"): spikes, voltages, the config (README "Files").
void write_simulation(const std::string& path, const sim::SimResult& res, const io::ConfigDocument& doc,
                      std::uint64_t seed);

std::string history_csv_header();
std::string history_csv_line(const opt::GenerationLog& g);

}  // namespace snnfit::fit
