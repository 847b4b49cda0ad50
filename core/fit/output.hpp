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

// /config: the TOML text, with the --set overrides as an attribute.
void write_config(io::h5::Group& root, const io::ConfigDocument& doc);
// /parameters: names, paths, lo, hi, log_scale, integer, true_values (NaN when unknown).
void write_parameters(io::h5::Group& root, const Problem& problem);
// The unit of each fitted parameter, in order ("1" for a built-in problem's x1..xn).
std::vector<std::string> parameter_units(const Problem& problem);
// /losses: labels and weights of the objectives.
void write_losses(io::h5::Group& root, const Problem& problem);
// /target/POP: the target raster of every compared population.
void write_targets(io::h5::Group& root, const Problem& problem);
// /best: parameters, search coordinates, objectives, fitness, island, generation, and
// the best spike raster /best/spikes/POP.
void write_best(io::h5::Group& root, const Problem& problem, const opt::BestSoFar& best, const sim::SimResult& sim);
// /pareto (NSGA-II runs): the front's search coordinates, parameters and objectives as
// n x d and n x m matrices, ids, and /pareto/spikes/I/POP the raster of member I.
void write_pareto(io::h5::Group& root, const Problem& problem, const std::vector<opt::Individual>& front,
                  const std::vector<sim::SimResult>& sims);
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
