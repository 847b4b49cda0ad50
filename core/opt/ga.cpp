#include "opt/ga.hpp"

#include <algorithm>
#include <numeric>

#include "common/error.hpp"
#include "opt/cmaes.hpp"
#include "opt/de.hpp"
#include "opt/nsga2.hpp"
#include "opt/operators.hpp"

namespace snnfit::opt {

std::unique_ptr<IslandAlgorithm> make_island_algorithm(const IslandSettings& s, const Bounds& b) {
    switch (s.algorithm) {
        case Algorithm::ga:
            return std::make_unique<GeneticAlgorithm>(s, b);
        case Algorithm::nsga2:
            return std::make_unique<Nsga2>(s, b);
        case Algorithm::de:
            return std::make_unique<DifferentialEvolution>(s, b);
        case Algorithm::cmaes:
            return std::make_unique<CmaEs>(s, b);
    }
    throw InternalError("make_island_algorithm: unknown algorithm");
}

GeneticAlgorithm::GeneticAlgorithm(IslandSettings s, Bounds b)
    : PopulationAlgorithm(std::move(s), std::move(b)), mutation_prob_(mutation_probability(s_, b_.dim())) {}

std::vector<std::vector<double>> GeneticAlgorithm::ask(Rng& rng) {
    if (population_.empty()) return random_population(rng, s_.population, b_);
    std::vector<std::vector<double>> out;
    std::vector<double> fitness(population_.size());
    for (std::size_t i = 0; i < population_.size(); ++i) fitness[i] = population_[i].fitness;
    const Selector select(s_, fitness);
    const std::size_t lambda = s_.lambda();
    out.reserve(lambda + 1);
    while (out.size() < lambda) {
        std::vector<double> a = population_[select.pick(rng)].x;
        std::vector<double> b = population_[select.pick(rng)].x;
        vary(rng, a, b, s_, b_, mutation_prob_);
        out.push_back(std::move(a));
        if (out.size() < lambda) out.push_back(std::move(b));
    }
    return out;
}

namespace {
// Best first; ties keep their order, so earlier (older) members win them.
void sort_by_fitness(std::vector<Individual>& v) {
    std::stable_sort(v.begin(), v.end(),
                     [](const Individual& a, const Individual& b) { return a.fitness < b.fitness; });
}
}  // namespace

void GeneticAlgorithm::tell(std::vector<Individual> evaluated, Rng& /*rng*/) {
    if (population_.empty()) {
        population_ = std::move(evaluated);
        return;
    }
    const std::size_t mu = s_.population;
    switch (s_.replacement) {
        case Replacement::generational: {
            sort_by_fitness(population_);
            population_.resize(std::min(s_.elitism, population_.size()));
            for (auto& c : evaluated) population_.push_back(std::move(c));
            break;
        }
        case Replacement::plus: {
            for (auto& c : evaluated) population_.push_back(std::move(c));
            sort_by_fitness(population_);
            population_.resize(std::min(mu, population_.size()));
            break;
        }
        case Replacement::comma: {
            sort_by_fitness(evaluated);
            evaluated.resize(std::min(mu, evaluated.size()));
            population_ = std::move(evaluated);
            break;
        }
        case Replacement::steady_state: {
            // Each child replaces the current worst member unless it is worse.
            for (auto& c : evaluated) {
                auto worst =
                    std::max_element(population_.begin(), population_.end(),
                                     [](const Individual& a, const Individual& b) { return a.fitness < b.fitness; });
                if (c.fitness <= worst->fitness) *worst = std::move(c);
            }
            break;
        }
    }
}

}  // namespace snnfit::opt
