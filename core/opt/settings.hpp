// Everything that configures an optimizer run: the search box, per-island operator
// choices, migration, termination, penalty and seed policy. Plain data; the [optimizer]
// config section is read into it by fit/optimizer_config.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace snnfit::opt {

// The box the optimizer searches; the caller maps log/integer scales onto it.
struct Bounds {
    std::vector<double> lo, hi;
    std::size_t dim() const { return lo.size(); }
};

enum class Algorithm { ga, nsga2, de, cmaes };
enum class DeVariant { rand1bin, best1bin, jde };
enum class Selection { tournament, rank, proportionate, truncation };
enum class Crossover { none, uniform, blend, sbx, intermediate };
enum class Mutation { none, gaussian, polynomial, reset };
enum class BoundsPolicy { clip, reflect };
enum class Replacement { generational, plus, comma, steady_state };
enum class Topology { none, ring, full, random };
enum class MigrationPolicy { best_replace_worst, random };
enum class SeedPolicy { common, independent };

// The algorithm one island runs and its operator settings. Defaults follow DEAP and
// inspyred: population 50, tournament of 3, SBX eta 15, polynomial eta 20, mutation
// probability 1/d per gene, one elite.
struct IslandSettings {
    Algorithm algorithm = Algorithm::ga;
    std::size_t population = 50;  // mu
    // lambda, children per generation; 0 = the replacement's default: population - elitism
    // (generational), population (plus), 2 x population (comma), 2 (steady_state).
    std::size_t offspring = 0;

    Selection selection = Selection::tournament;
    std::size_t tournament_size = 3;
    double rank_pressure = 1.5;  // linear ranking (Baker): expected copies of the best, in [1, 2]
    double truncation = 0.5;     // fraction of the population parents are drawn from

    Crossover crossover = Crossover::sbx;
    double crossover_prob = 0.9;       // per pair of parents
    double crossover_gene_prob = 0.5;  // per gene, for uniform and SBX
    double blend_alpha = 0.5;          // BLX-alpha
    double sbx_eta = 15.0;
    double intermediate_extension = 0.25;  // line recombination: a ~ U[-d, 1 + d]

    Mutation mutation = Mutation::polynomial;
    std::optional<double> mutation_prob;  // per gene; unset = 1 / dimension
    double gaussian_sigma = 0.1;          // relative to the width of the box
    double polynomial_eta = 20.0;

    BoundsPolicy bounds = BoundsPolicy::clip;  // GA, NSGA-II and DE children are put back into the box by it
    Replacement replacement = Replacement::generational;
    std::size_t elitism = 1;  // generational only

    // Differential evolution (Storn & Price 1997; jDE: Brest et al. 2006, which adapts F and
    // CR per individual and ignores de_f / de_cr after initialisation at 0.5 / 0.9).
    DeVariant de_variant = DeVariant::rand1bin;
    double de_f = 0.8;   // differential weight, pagmo's default
    double de_cr = 0.9;  // binomial crossover rate

    // CMA-ES: initial step size, relative to the width of the box (the search runs in
    // the box scaled to [0, 1]^d). population is lambda; mu = lambda / 2.
    double cmaes_sigma0 = 0.3;

    // The offspring count this island actually uses.
    std::size_t lambda() const;
};

struct MigrationSettings {
    Topology topology = Topology::ring;
    std::size_t interval = 10;  // generations between migrations
    std::size_t migrants = 1;   // individuals each island sends per migration
    MigrationPolicy policy = MigrationPolicy::best_replace_worst;
};

// Limits, any of which ends the run. Unset = no such limit. The run needs at least one.
struct TerminationSettings {
    std::optional<std::int64_t> generations;             // generations after the initial one (DEAP's ngen)
    std::optional<std::int64_t> evaluations;             // checked after each generation: may overshoot by one
    std::optional<double> target;                        // stop when the best fitness <= target
    std::optional<std::int64_t> stagnation_generations;  // no improvement > tolerance for this many
    double stagnation_tolerance = 0.0;
    // Seconds of wall time (summed over resumed segments). The one limit that is not
    // reproducible: everything up to the stop is, but where it stops is not.
    std::optional<double> wall_time;
    bool any() const { return generations || evaluations || target || stagnation_generations || wall_time; }
};

struct Settings {
    std::vector<IslandSettings> islands = {IslandSettings{}};  // one entry per island
    MigrationSettings migration;
    TerminationSettings termination;
    double penalty = 1e9;  // every objective of an invalid or failed evaluation
    SeedPolicy seed_policy = SeedPolicy::common;
    // The evaluation seed of every candidate under SeedPolicy::common (the problem's common
    // realisation, e.g. a spike fit's [simulation] seed); unset = derived from the run seed.
    std::optional<std::uint64_t> common_seed;
    // fitness = sum_i weights[i] * objectives[i]; empty = all ones.
    std::vector<double> weights;
    std::size_t max_messages = 5;  // failure messages kept per generation for the log
};

// One problem with a Settings value, for the config reader to report at the right key.
struct SettingsProblem {
    int island = -1;  // -1: not island-specific
    std::string key;  // the config key, e.g. "tournament_size" or "migration.migrants"
    std::string message;
};

// Every inconsistency of `s` for a problem with `n_objectives` objectives (0 = not known
// yet: skip that check).
std::vector<SettingsProblem> find_problems(const Settings& s, std::size_t n_objectives = 0);

// The config names of each enum's values, in declaration order ("sbx", "best_replace_worst", ...).
template <class E>
const std::vector<std::pair<E, std::string>>& enum_names();

template <class E>
const std::string& to_string(E v) {
    for (const auto& [value, name] : enum_names<E>())
        if (value == v) return name;
    static const std::string unknown = "unknown";
    return unknown;
}

}  // namespace snnfit::opt
