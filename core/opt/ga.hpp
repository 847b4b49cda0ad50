// The genetic algorithm an island runs: selection, crossover, mutation, bounds handling
// and replacement composed from the island's settings, inspyred-style.
#pragma once

#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

class GeneticAlgorithm : public IslandAlgorithm {
public:
    GeneticAlgorithm(IslandSettings s, Bounds b);

    std::vector<std::vector<double>> ask(Rng& rng) override;
    void tell(std::vector<Individual> evaluated, Rng& rng) override;
    std::vector<Individual>& population() override { return population_; }
    const std::vector<Individual>& population() const override { return population_; }

private:
    IslandSettings s_;
    Bounds b_;
    double mutation_prob_;
    std::vector<Individual> population_;
};

}  // namespace snnfit::opt
