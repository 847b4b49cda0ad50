#include "opt/ga.hpp"

#include <algorithm>
#include <numeric>

#include "common/error.hpp"
#include "opt/operators.hpp"

namespace snnfit::opt {

std::unique_ptr<IslandAlgorithm> make_island_algorithm(const IslandSettings& s, const Bounds& b) {
    switch (s.algorithm) {
        case Algorithm::ga:
            return std::make_unique<GeneticAlgorithm>(s, b);
    }
    throw InternalError("make_island_algorithm: unknown algorithm");
}

GeneticAlgorithm::GeneticAlgorithm(IslandSettings s, Bounds b)
    : s_(std::move(s)),
      b_(std::move(b)),
      mutation_prob_(s_.mutation_prob ? *s_.mutation_prob
                                      : 1.0 / static_cast<double>(std::max<std::size_t>(1, b_.dim()))) {}

void GeneticAlgorithm::vary(Rng& rng, std::vector<double>& a, std::vector<double>& b) const {
    if (s_.crossover != Crossover::none && rng.uniform() < s_.crossover_prob) {
        switch (s_.crossover) {
            case Crossover::uniform:
                uniform_crossover(rng, a, b, s_.crossover_gene_prob);
                break;
            case Crossover::blend:
                blend_crossover(rng, a, b, s_.blend_alpha);
                break;
            case Crossover::sbx:
                sbx_crossover(rng, a, b, s_.sbx_eta, s_.crossover_gene_prob);
                break;
            case Crossover::intermediate:
                intermediate_crossover(rng, a, b, s_.intermediate_extension);
                break;
            case Crossover::none:
                break;
        }
    }
    for (auto* child : {&a, &b}) {
        switch (s_.mutation) {
            case Mutation::gaussian:
                gaussian_mutation(rng, *child, b_, s_.gaussian_sigma, mutation_prob_);
                break;
            case Mutation::polynomial:
                polynomial_mutation(rng, *child, b_, s_.polynomial_eta, mutation_prob_);
                break;
            case Mutation::reset:
                reset_mutation(rng, *child, b_, mutation_prob_);
                break;
            case Mutation::none:
                break;
        }
        apply_bounds(*child, b_, s_.bounds);
    }
}

std::vector<std::vector<double>> GeneticAlgorithm::ask(Rng& rng) {
    const std::size_t d = b_.dim();
    std::vector<std::vector<double>> out;
    if (population_.empty()) {
        out.assign(s_.population, std::vector<double>(d));
        for (auto& x : out)
            for (std::size_t j = 0; j < d; ++j) x[j] = rng.uniform(b_.lo[j], b_.hi[j]);
        return out;
    }
    std::vector<double> fitness(population_.size());
    for (std::size_t i = 0; i < population_.size(); ++i) fitness[i] = population_[i].fitness;
    const Selector select(s_, fitness);
    const std::size_t lambda = s_.lambda();
    out.reserve(lambda + 1);
    while (out.size() < lambda) {
        std::vector<double> a = population_[select.pick(rng)].x;
        std::vector<double> b = population_[select.pick(rng)].x;
        vary(rng, a, b);
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
