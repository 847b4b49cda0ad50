// The [optimizer] config section: defaults, per-island overrides, strictness (unknown
// keys, bad choices, out-of-range values, inconsistent combinations name file:line:key).
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "fit/optimizer_config.hpp"
#include "io/config.hpp"
#include "opt/optimizer.hpp"
#include "opt/test_problems.hpp"

using snnfit::ConfigError;
using snnfit::io::ConfigDocument;
using namespace snnfit::opt;

namespace {

Settings parse(const std::string& text, std::vector<std::string> overrides = {}) {
    auto doc = ConfigDocument::from_string(text, "fit.toml", overrides);
    return snnfit::fit::parse_optimizer(doc.root().table("optimizer"));
}

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no ConfigError for:\n" << text;
    return "";
}

}  // namespace

TEST(OptConfig, EmptySectionGivesDocumentedDefaults) {
    const Settings s = parse("[optimizer]\n");
    ASSERT_EQ(s.islands.size(), 1u);
    const auto& i = s.islands[0];
    EXPECT_EQ(i.population, 50u);
    EXPECT_EQ(i.selection, Selection::tournament);
    EXPECT_EQ(i.tournament_size, 3u);
    EXPECT_EQ(i.crossover, Crossover::sbx);
    EXPECT_EQ(i.crossover_prob, 0.9);
    EXPECT_EQ(i.sbx_eta, 15.0);
    EXPECT_EQ(i.mutation, Mutation::polynomial);
    EXPECT_EQ(i.polynomial_eta, 20.0);
    EXPECT_FALSE(i.mutation_prob.has_value());  // 1 / dimension
    EXPECT_EQ(i.replacement, Replacement::generational);
    EXPECT_EQ(i.elitism, 1u);
    EXPECT_EQ(i.lambda(), 49u);
    EXPECT_EQ(i.bounds, BoundsPolicy::clip);
    EXPECT_EQ(s.penalty, 1e9);
    EXPECT_EQ(s.seed_policy, SeedPolicy::common);
    EXPECT_EQ(s.termination.generations, 100);
    EXPECT_FALSE(s.termination.evaluations || s.termination.target || s.termination.wall_time);
    EXPECT_EQ(s.migration.topology, Topology::ring);
    EXPECT_EQ(s.migration.interval, 10u);
    EXPECT_EQ(s.migration.migrants, 1u);
}

TEST(OptConfig, ReadsEveryKeyAndPerIslandOverrides) {
    const Settings s = parse(R"([optimizer]
islands = 3
seed_policy = "independent"
penalty = 1e6
weights = [1.0, 0.5]
max_messages = 2
population = 30
selection = "rank"
rank_pressure = 1.2
crossover = "blend"
blend_alpha = 0.3
mutation = "gaussian"
gaussian_sigma = 0.05
mutation_prob = 0.2
bounds = "reflect"
elitism = 2

[optimizer.migration]
topology = "full"
interval = 4
migrants = 3
policy = "random"

[optimizer.termination]
generations = 500
evaluations = 100000
target = 0.01
stagnation_generations = 50
stagnation_tolerance = 1e-6
wall_time = 3600

[[optimizer.island]]
population = 40
replacement = "plus"
offspring = 80
elitism = 0

[[optimizer.island]]
crossover = "sbx"
sbx_eta = 5
truncation = 0.25
selection = "truncation"
)");
    ASSERT_EQ(s.islands.size(), 3u);
    EXPECT_EQ(s.seed_policy, SeedPolicy::independent);
    EXPECT_EQ(s.penalty, 1e6);
    EXPECT_EQ(s.weights, (std::vector<double>{1.0, 0.5}));
    EXPECT_EQ(s.max_messages, 2u);
    // island 0: overrides on top of the section's defaults
    EXPECT_EQ(s.islands[0].population, 40u);
    EXPECT_EQ(s.islands[0].replacement, Replacement::plus);
    EXPECT_EQ(s.islands[0].lambda(), 80u);
    EXPECT_EQ(s.islands[0].selection, Selection::rank);
    EXPECT_EQ(s.islands[0].mutation_prob, 0.2);
    // island 1
    EXPECT_EQ(s.islands[1].population, 30u);
    EXPECT_EQ(s.islands[1].crossover, Crossover::sbx);
    EXPECT_EQ(s.islands[1].sbx_eta, 5.0);
    EXPECT_EQ(s.islands[1].selection, Selection::truncation);
    EXPECT_EQ(s.islands[1].truncation, 0.25);
    EXPECT_EQ(s.islands[1].elitism, 2u);
    // island 2: the section's settings
    EXPECT_EQ(s.islands[2].population, 30u);
    EXPECT_EQ(s.islands[2].crossover, Crossover::blend);
    EXPECT_EQ(s.islands[2].blend_alpha, 0.3);
    EXPECT_EQ(s.islands[2].mutation, Mutation::gaussian);
    EXPECT_EQ(s.islands[2].gaussian_sigma, 0.05);
    EXPECT_EQ(s.islands[2].bounds, BoundsPolicy::reflect);
    EXPECT_EQ(s.islands[2].rank_pressure, 1.2);
    EXPECT_EQ(s.migration.topology, Topology::full);
    EXPECT_EQ(s.migration.interval, 4u);
    EXPECT_EQ(s.migration.migrants, 3u);
    EXPECT_EQ(s.migration.policy, MigrationPolicy::random);
    EXPECT_EQ(s.termination.generations, 500);
    EXPECT_EQ(s.termination.evaluations, 100000);
    EXPECT_EQ(s.termination.target, 0.01);
    EXPECT_EQ(s.termination.stagnation_generations, 50);
    EXPECT_EQ(s.termination.stagnation_tolerance, 1e-6);
    EXPECT_EQ(s.termination.wall_time, 3600.0);
    // and an optimizer accepts them
    EXPECT_NO_THROW(Optimizer(s, test_problems::box(2, 0.0, 1.0), 2, 1));
}

TEST(OptConfig, IslandCountDefaultsToTheIslandTables) {
    const Settings s = parse("[optimizer]\n[[optimizer.island]]\n[[optimizer.island]]\nsbx_eta = 3\n");
    ASSERT_EQ(s.islands.size(), 2u);
    EXPECT_EQ(s.islands[1].sbx_eta, 3.0);
}

TEST(OptConfig, OverridesFromTheCommandLineApply) {
    const Settings s =
        parse("[optimizer]\npopulation = 10\n", {"optimizer.population=20", "optimizer.termination.wall_time=5"});
    EXPECT_EQ(s.islands[0].population, 20u);
    EXPECT_EQ(s.termination.wall_time, 5.0);
    EXPECT_FALSE(s.termination.generations.has_value());  // a limit was given: no default
}

TEST(OptConfig, StrictErrorsNameFileLineAndKey) {
    auto e = error_of("[optimizer]\npopulaton = 10\n");
    EXPECT_NE(e.find("fit.toml:2"), std::string::npos) << e;
    EXPECT_NE(e.find("optimizer.populaton"), std::string::npos) << e;

    e = error_of("[optimizer]\n[[optimizer.island]]\n[[optimizer.island]]\nsbx = 3\n");
    EXPECT_NE(e.find("fit.toml:4"), std::string::npos) << e;
    EXPECT_NE(e.find("optimizer.island[1].sbx"), std::string::npos) << e;

    e = error_of("[optimizer]\nselection = \"roulette\"\n");
    EXPECT_NE(e.find("optimizer.selection"), std::string::npos) << e;
    EXPECT_NE(e.find("proportionate"), std::string::npos) << e;  // lists the valid choices

    e = error_of("[optimizer]\ncrossover_prob = 1.5\n");
    EXPECT_NE(e.find("optimizer.crossover_prob"), std::string::npos) << e;

    e = error_of("[optimizer.termination]\ngenerations = 10\nwalltime = 3\n");
    EXPECT_NE(e.find("optimizer.termination.walltime"), std::string::npos) << e;

    e = error_of("[optimizer]\nislands = 1\n[[optimizer.island]]\n[[optimizer.island]]\n");
    EXPECT_NE(e.find("only 1 islands"), std::string::npos) << e;

    e = error_of("[optimizer]\npopulation = 4\nelitism = 4\n");
    EXPECT_NE(e.find("fit.toml:3"), std::string::npos) << e;
    EXPECT_NE(e.find("optimizer.elitism"), std::string::npos) << e;

    e = error_of("[optimizer]\n[[optimizer.island]]\n[[optimizer.island]]\npopulation = 3\nelitism = 3\n");
    EXPECT_NE(e.find("optimizer.island[1].elitism"), std::string::npos) << e;

    e = error_of("[optimizer]\nislands = 2\npopulation = 5\n[optimizer.migration]\nmigrants = 5\n");
    EXPECT_NE(e.find("optimizer.migration.migrants"), std::string::npos) << e;
    EXPECT_NE(e.find("fit.toml:5"), std::string::npos) << e;

    e = error_of("[optimizer]\nreplacement = \"comma\"\npopulation = 10\noffspring = 5\nelitism = 0\n");
    EXPECT_NE(e.find("optimizer.offspring"), std::string::npos) << e;
}

TEST(OptConfig, ReadsTheAlgorithmKeys) {
    const Settings s = parse(
        "[optimizer]\nalgorithm = \"de\"\nde_variant = \"jde\"\nde_f = 0.5\nde_cr = 0.3\n"
        "[[optimizer.island]]\nalgorithm = \"cmaes\"\ncmaes_sigma0 = 0.2\npopulation = 10\n"
        "[[optimizer.island]]\nalgorithm = \"nsga2\"\n");
    ASSERT_EQ(s.islands.size(), 2u);
    EXPECT_EQ(s.islands[0].algorithm, Algorithm::cmaes);
    EXPECT_EQ(s.islands[0].cmaes_sigma0, 0.2);
    EXPECT_EQ(s.islands[0].de_variant, DeVariant::jde);  // section defaults carry over
    EXPECT_EQ(s.islands[1].algorithm, Algorithm::nsga2);
    EXPECT_EQ(s.islands[1].de_f, 0.5);
    EXPECT_EQ(s.islands[1].de_cr, 0.3);
    const Settings d = parse("[optimizer]\n");
    EXPECT_EQ(d.islands[0].algorithm, Algorithm::ga);
    EXPECT_EQ(d.islands[0].de_variant, DeVariant::rand1bin);
    EXPECT_EQ(d.islands[0].de_f, 0.8);
    EXPECT_EQ(d.islands[0].de_cr, 0.9);
    EXPECT_EQ(d.islands[0].cmaes_sigma0, 0.3);
}

TEST(OptConfig, AlgorithmKeyErrorsAreOneLine) {
    auto e = error_of("[optimizer]\nalgorithm = \"pso\"\n");
    EXPECT_NE(e.find("fit.toml:2"), std::string::npos) << e;
    EXPECT_NE(e.find("optimizer.algorithm"), std::string::npos) << e;
    EXPECT_NE(e.find("nsga2"), std::string::npos) << e;  // lists the valid choices

    e = error_of("[optimizer]\nalgorithm = \"de\"\nde_variant = \"rand2exp\"\n");
    EXPECT_NE(e.find("fit.toml:3"), std::string::npos) << e;
    EXPECT_NE(e.find("optimizer.de_variant"), std::string::npos) << e;
    EXPECT_NE(e.find("best1bin"), std::string::npos) << e;

    e = error_of("[optimizer]\nde_f = 0\n");
    EXPECT_NE(e.find("optimizer.de_f"), std::string::npos) << e;
    e = error_of("[optimizer]\nde_cr = 1.5\n");
    EXPECT_NE(e.find("optimizer.de_cr"), std::string::npos) << e;
    e = error_of("[optimizer]\ncmaes_sigma0 = -0.1\n");
    EXPECT_NE(e.find("optimizer.cmaes_sigma0"), std::string::npos) << e;

    e = error_of("[optimizer]\n[[optimizer.island]]\nalgorithm = \"de\"\npopulation = 3\nelitism = 0\n");
    EXPECT_NE(e.find("optimizer.island[0].population"), std::string::npos) << e;
    EXPECT_NE(e.find("at least 4"), std::string::npos) << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}
