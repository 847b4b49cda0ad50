// Reads the [optimizer] config section into opt::Settings: strict (unknown keys and
// out-of-range values are errors naming file, line and key), with DEAP/inspyred defaults.
#pragma once

#include "io/config.hpp"
#include "opt/settings.hpp"

namespace snnfit::fit {

// `optimizer` is the [optimizer] table. Keys (all optional):
//   islands, seed_policy, penalty, weights, max_messages,
//   the island operator keys (defaults for every island; see opt::IslandSettings):
//     algorithm, population, offspring, selection, tournament_size, rank_pressure, truncation,
//     crossover, crossover_prob, crossover_gene_prob, blend_alpha, sbx_eta, intermediate_extension,
//     mutation, mutation_prob, gaussian_sigma, polynomial_eta, bounds, replacement, elitism
//   [optimizer.migration]   topology, interval, migrants, policy
//   [optimizer.termination] generations, evaluations, target, stagnation_generations,
//                           stagnation_tolerance, wall_time (none given: generations = 100)
//   [[optimizer.island]]    the i-th table overrides island operator keys of island i
// Throws snnfit::ConfigError.
opt::Settings parse_optimizer(const io::ConfigTable& optimizer);

// Refuses settings whose populations would not fit the memory budget (common/memory):
// every island holds its population and offspring, each individual its `dimension`
// genes and `objectives` values. Fails on `optimizer`'s population key.
void check_optimizer_memory(const io::ConfigTable& optimizer, const opt::Settings& s, std::size_t dimension,
                            std::size_t objectives);

// The settings of a config without an [optimizer] table (all defaults).
opt::Settings default_optimizer_settings();

}  // namespace snnfit::fit
