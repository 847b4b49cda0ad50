#include "opt/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace snnfit::opt {

template <>
const std::vector<std::pair<Algorithm, std::string>>& enum_names<Algorithm>() {
    static const std::vector<std::pair<Algorithm, std::string>> v = {
        {Algorithm::ga, "ga"}, {Algorithm::nsga2, "nsga2"}, {Algorithm::de, "de"}, {Algorithm::cmaes, "cmaes"}};
    return v;
}
template <>
const std::vector<std::pair<DeVariant, std::string>>& enum_names<DeVariant>() {
    static const std::vector<std::pair<DeVariant, std::string>> v = {
        {DeVariant::rand1bin, "rand1bin"}, {DeVariant::best1bin, "best1bin"}, {DeVariant::jde, "jde"}};
    return v;
}
template <>
const std::vector<std::pair<Selection, std::string>>& enum_names<Selection>() {
    static const std::vector<std::pair<Selection, std::string>> v = {{Selection::tournament, "tournament"},
                                                                     {Selection::rank, "rank"},
                                                                     {Selection::proportionate, "proportionate"},
                                                                     {Selection::truncation, "truncation"}};
    return v;
}
template <>
const std::vector<std::pair<Crossover, std::string>>& enum_names<Crossover>() {
    static const std::vector<std::pair<Crossover, std::string>> v = {{Crossover::none, "none"},
                                                                     {Crossover::uniform, "uniform"},
                                                                     {Crossover::blend, "blend"},
                                                                     {Crossover::sbx, "sbx"},
                                                                     {Crossover::intermediate, "intermediate"}};
    return v;
}
template <>
const std::vector<std::pair<Mutation, std::string>>& enum_names<Mutation>() {
    static const std::vector<std::pair<Mutation, std::string>> v = {{Mutation::none, "none"},
                                                                    {Mutation::gaussian, "gaussian"},
                                                                    {Mutation::polynomial, "polynomial"},
                                                                    {Mutation::reset, "reset"}};
    return v;
}
template <>
const std::vector<std::pair<BoundsPolicy, std::string>>& enum_names<BoundsPolicy>() {
    static const std::vector<std::pair<BoundsPolicy, std::string>> v = {{BoundsPolicy::clip, "clip"},
                                                                        {BoundsPolicy::reflect, "reflect"}};
    return v;
}
template <>
const std::vector<std::pair<Replacement, std::string>>& enum_names<Replacement>() {
    static const std::vector<std::pair<Replacement, std::string>> v = {{Replacement::generational, "generational"},
                                                                       {Replacement::plus, "plus"},
                                                                       {Replacement::comma, "comma"},
                                                                       {Replacement::steady_state, "steady_state"}};
    return v;
}
template <>
const std::vector<std::pair<Topology, std::string>>& enum_names<Topology>() {
    static const std::vector<std::pair<Topology, std::string>> v = {
        {Topology::none, "none"}, {Topology::ring, "ring"}, {Topology::full, "full"}, {Topology::random, "random"}};
    return v;
}
template <>
const std::vector<std::pair<MigrationPolicy, std::string>>& enum_names<MigrationPolicy>() {
    static const std::vector<std::pair<MigrationPolicy, std::string>> v = {
        {MigrationPolicy::best_replace_worst, "best_replace_worst"}, {MigrationPolicy::random, "random"}};
    return v;
}
template <>
const std::vector<std::pair<SeedPolicy, std::string>>& enum_names<SeedPolicy>() {
    static const std::vector<std::pair<SeedPolicy, std::string>> v = {{SeedPolicy::common, "common"},
                                                                      {SeedPolicy::independent, "independent"}};
    return v;
}

std::size_t IslandSettings::lambda() const {
    if (offspring > 0) return offspring;
    switch (replacement) {
        case Replacement::generational:
            return population > elitism ? population - elitism : 0;
        case Replacement::plus:
            return population;
        case Replacement::comma:
            return 2 * population;
        case Replacement::steady_state:
            return 2;
    }
    return population;
}

std::vector<SettingsProblem> find_problems(const Settings& s, std::size_t n_objectives) {
    std::vector<SettingsProblem> out;
    auto add = [&](int island, std::string key, std::string message) {
        out.push_back({island, std::move(key), std::move(message)});
    };
    if (s.islands.empty()) add(-1, "islands", "must be at least 1");
    std::size_t min_population = SIZE_MAX;
    for (std::size_t k = 0; k < s.islands.size(); ++k) {
        const auto& is = s.islands[k];
        const int i = static_cast<int>(k);
        min_population = std::min(min_population, is.population);
        if (is.population < 2) add(i, "population", "must be at least 2");
        if (is.replacement == Replacement::generational) {
            if (is.elitism >= is.population)
                add(i, "elitism", "must be smaller than the population (" + std::to_string(is.population) + ")");
            if (is.offspring != 0 && is.offspring + is.elitism != is.population)
                add(i, "offspring",
                    "is population - elitism under generational replacement; leave it unset or use plus/comma");
        } else if (is.elitism > 1) {
            add(i, "elitism", "applies to generational replacement only (plus keeps the best anyway)");
        }
        if (is.replacement == Replacement::comma && is.lambda() < is.population)
            add(i, "offspring", "must be at least the population under comma replacement");
        if (is.selection == Selection::tournament && is.tournament_size < 1)
            add(i, "tournament_size", "must be at least 1");
        if (is.rank_pressure < 1.0 || is.rank_pressure > 2.0 || !std::isfinite(is.rank_pressure))
            add(i, "rank_pressure", "must be in [1, 2]");
        if (!(is.truncation > 0.0 && is.truncation <= 1.0)) add(i, "truncation", "must be in (0, 1]");
        if (!(is.crossover_prob >= 0.0 && is.crossover_prob <= 1.0)) add(i, "crossover_prob", "must be in [0, 1]");
        if (!(is.crossover_gene_prob >= 0.0 && is.crossover_gene_prob <= 1.0))
            add(i, "crossover_gene_prob", "must be in [0, 1]");
        if (!(is.blend_alpha >= 0.0 && std::isfinite(is.blend_alpha))) add(i, "blend_alpha", "must be >= 0");
        if (!(is.sbx_eta >= 0.0 && std::isfinite(is.sbx_eta))) add(i, "sbx_eta", "must be >= 0");
        if (!(is.intermediate_extension >= 0.0 && std::isfinite(is.intermediate_extension)))
            add(i, "intermediate_extension", "must be >= 0");
        if (is.mutation_prob && !(*is.mutation_prob >= 0.0 && *is.mutation_prob <= 1.0))
            add(i, "mutation_prob", "must be in [0, 1]");
        if (!(is.gaussian_sigma > 0.0 && std::isfinite(is.gaussian_sigma))) add(i, "gaussian_sigma", "must be > 0");
        if (!(is.polynomial_eta >= 0.0 && std::isfinite(is.polynomial_eta))) add(i, "polynomial_eta", "must be >= 0");
        if (is.algorithm == Algorithm::de && is.population < 4)
            add(i, "population", "must be at least 4 for differential evolution (a target and three others)");
        if (is.algorithm == Algorithm::cmaes && is.population < 4)
            add(i, "population", "must be at least 4 for CMA-ES (lambda; mu = lambda / 2 parents)");
        if (!(is.de_f > 0.0 && is.de_f <= 2.0)) add(i, "de_f", "must be in (0, 2]");
        if (!(is.de_cr >= 0.0 && is.de_cr <= 1.0)) add(i, "de_cr", "must be in [0, 1]");
        if (!(is.cmaes_sigma0 > 0.0 && is.cmaes_sigma0 <= 1.0)) add(i, "cmaes_sigma0", "must be in (0, 1]");
    }
    const auto& m = s.migration;
    if (m.topology != Topology::none && s.islands.size() > 1) {
        if (m.interval < 1) add(-1, "migration.interval", "must be at least 1");
        if (!s.islands.empty() && m.migrants >= min_population)
            add(-1, "migration.migrants",
                "must be smaller than the smallest island population (" + std::to_string(min_population) + ")");
    }
    const auto& t = s.termination;
    if (!t.any())
        add(-1, "termination",
            "needs at least one limit (generations, evaluations, target, stagnation_generations, wall_time)");
    if (t.generations && *t.generations < 0) add(-1, "termination.generations", "must be >= 0");
    if (t.evaluations && *t.evaluations < 1) add(-1, "termination.evaluations", "must be >= 1");
    if (t.stagnation_generations && *t.stagnation_generations < 1)
        add(-1, "termination.stagnation_generations", "must be >= 1");
    if (!(t.stagnation_tolerance >= 0.0)) add(-1, "termination.stagnation_tolerance", "must be >= 0");
    if (t.wall_time && !(*t.wall_time > 0.0)) add(-1, "termination.wall_time", "must be > 0");
    if (!std::isfinite(s.penalty)) add(-1, "penalty", "must be finite");
    for (double w : s.weights)
        if (!std::isfinite(w)) add(-1, "weights", "must be finite");
    if (n_objectives > 0 && !s.weights.empty() && s.weights.size() != n_objectives)
        add(-1, "weights",
            "has " + std::to_string(s.weights.size()) + " entries but the problem has " + std::to_string(n_objectives) +
                " objectives");
    return out;
}

}  // namespace snnfit::opt
