#include "fit/optimizer_config.hpp"

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/memory.hpp"

namespace snnfit::fit {

namespace {

using io::ConfigTable;
using io::Range;

constexpr std::int64_t kDefaultGenerations = 100;

template <class E>
E read_choice(const ConfigTable& t, std::string_view key, E fallback) {
    std::vector<std::string> allowed;
    for (const auto& [value, name] : opt::enum_names<E>()) allowed.push_back(name);
    const std::string s = t.choice_or(key, opt::to_string(fallback), allowed);
    for (const auto& [value, name] : opt::enum_names<E>())
        if (name == s) return value;
    return fallback;
}

std::size_t read_count(const ConfigTable& t, std::string_view key, std::size_t fallback, double lo) {
    return static_cast<std::size_t>(t.integer_or(key, static_cast<std::int64_t>(fallback), Range::closed(lo, 1e9)));
}

// The island operator keys, read over `base` (the section's defaults or built-ins).
opt::IslandSettings read_island(const ConfigTable& t, const opt::IslandSettings& base) {
    opt::IslandSettings s = base;
    s.algorithm = read_choice(t, "algorithm", base.algorithm);
    s.population = read_count(t, "population", base.population, 2);
    s.offspring = read_count(t, "offspring", base.offspring, 1);
    s.selection = read_choice(t, "selection", base.selection);
    s.tournament_size = read_count(t, "tournament_size", base.tournament_size, 1);
    s.rank_pressure = t.number_or("rank_pressure", base.rank_pressure, Range::closed(1.0, 2.0));
    s.truncation = t.number_or("truncation", base.truncation, {0.0, 1.0, true, false});
    s.crossover = read_choice(t, "crossover", base.crossover);
    s.crossover_prob = t.number_or("crossover_prob", base.crossover_prob, Range::probability());
    s.crossover_gene_prob = t.number_or("crossover_gene_prob", base.crossover_gene_prob, Range::probability());
    s.blend_alpha = t.number_or("blend_alpha", base.blend_alpha, Range::nonnegative());
    s.sbx_eta = t.number_or("sbx_eta", base.sbx_eta, Range::nonnegative());
    s.intermediate_extension = t.number_or("intermediate_extension", base.intermediate_extension, Range::nonnegative());
    s.mutation = read_choice(t, "mutation", base.mutation);
    if (auto p = t.find_number("mutation_prob", Range::probability())) s.mutation_prob = *p;
    s.gaussian_sigma = t.number_or("gaussian_sigma", base.gaussian_sigma, Range::positive());
    s.polynomial_eta = t.number_or("polynomial_eta", base.polynomial_eta, Range::nonnegative());
    s.bounds = read_choice(t, "bounds", base.bounds);
    s.replacement = read_choice(t, "replacement", base.replacement);
    s.elitism = read_count(t, "elitism", base.elitism, 0);
    s.de_variant = read_choice(t, "de_variant", base.de_variant);
    s.de_f = t.number_or("de_f", base.de_f, {0.0, 2.0, true, false});
    s.de_cr = t.number_or("de_cr", base.de_cr, Range::probability());
    s.cmaes_sigma0 = t.number_or("cmaes_sigma0", base.cmaes_sigma0, {0.0, 1.0, true, false});
    return s;
}

}  // namespace

opt::Settings default_optimizer_settings() {
    opt::Settings s;
    s.termination.generations = kDefaultGenerations;
    return s;
}

opt::Settings parse_optimizer(const ConfigTable& t) {
    opt::Settings s;
    const auto island_tables = t.tables("island");
    const auto n_islands = static_cast<std::size_t>(t.integer_or(
        "islands", std::max<std::int64_t>(1, static_cast<std::int64_t>(island_tables.size())), Range::closed(1, 1e6)));
    if (island_tables.size() > n_islands)
        t.fail("island", fmt::format("has {} [[{}]] tables but there are only {} islands", island_tables.size(),
                                     t.key_path("island"), n_islands));
    s.seed_policy = read_choice(t, "seed_policy", s.seed_policy);
    s.penalty = t.number_or("penalty", s.penalty);
    if (t.has("weights")) s.weights = t.numbers("weights");
    s.max_messages = read_count(t, "max_messages", s.max_messages, 0);

    const opt::IslandSettings base = read_island(t, opt::IslandSettings{});
    s.islands.assign(n_islands, base);
    for (std::size_t i = 0; i < island_tables.size(); ++i) {
        s.islands[i] = read_island(island_tables[i], base);
        island_tables[i].finish();
    }

    const auto migration = t.find_table("migration");
    if (migration) {
        auto& m = s.migration;
        m.topology = read_choice(*migration, "topology", m.topology);
        m.interval = read_count(*migration, "interval", m.interval, 1);
        m.migrants = read_count(*migration, "migrants", m.migrants, 0);
        m.policy = read_choice(*migration, "policy", m.policy);
        migration->finish();
    }

    const auto termination = t.find_table("termination");
    if (termination) {
        auto& l = s.termination;
        if (termination->has("generations"))
            l.generations = termination->integer("generations", Range::closed(0, 1e12));
        if (termination->has("evaluations"))
            l.evaluations = termination->integer("evaluations", Range::closed(1, 1e15));
        l.target = termination->find_number("target");
        if (termination->has("stagnation_generations"))
            l.stagnation_generations = termination->integer("stagnation_generations", Range::closed(1, 1e12));
        l.stagnation_tolerance = termination->number_or("stagnation_tolerance", 0.0, Range::nonnegative());
        l.wall_time = termination->find_number("wall_time", Range::positive());
        termination->finish();
    }
    if (!s.termination.any()) s.termination.generations = kDefaultGenerations;
    t.finish();

    // Consistency between keys: report each problem at the table that set the key.
    const auto problems = opt::find_problems(s);
    if (!problems.empty()) {
        const auto& p = problems.front();
        if (p.island >= 0) {
            const auto i = static_cast<std::size_t>(p.island);
            if (i < island_tables.size() && island_tables[i].has(p.key)) island_tables[i].fail(p.key, p.message);
            if (t.has(p.key)) t.fail(p.key, fmt::format("{} (island {})", p.message, p.island));
            if (i < island_tables.size()) island_tables[i].fail(p.key, p.message);
            t.fail(p.key, fmt::format("{} (island {})", p.message, p.island));
        }
        const auto dot = p.key.find('.');
        if (dot != std::string::npos) {
            const std::string table = p.key.substr(0, dot), key = p.key.substr(dot + 1);
            if (auto sub = t.find_table(table)) sub->fail(key, p.message);
            t.fail(table, p.message);
        }
        t.fail(p.key, p.message);
    }
    return s;
}

void check_optimizer_memory(const ConfigTable& optimizer, const opt::Settings& s, std::size_t dimension,
                            std::size_t objectives) {
    // An individual: two vectors (24 bytes each plus their numbers), fitness, id, rank and
    // crowding; parents and offspring live side by side during a generation.
    const double per_individual = 128.0 + 8.0 * static_cast<double>(dimension + objectives);
    double individuals = 0;
    for (const auto& is : s.islands)  // offspring 0: the replacement's default, at most 2 x population
        individuals += static_cast<double>(is.population + (is.offspring ? is.offspring : 2 * is.population));
    if (auto excess = memory_excess(individuals * per_individual); !excess.empty())
        optimizer.fail(optimizer.has("population") ? "population" : "island",
                       fmt::format("{:.3g} individuals of {} parameters over {} islands {}", individuals, dimension,
                                   s.islands.size(), excess));
}

}  // namespace snnfit::fit
