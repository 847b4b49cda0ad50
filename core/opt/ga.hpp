// The genetic algorithm an island runs: selection, crossover, mutation, bounds handling
// and replacement composed from the island's settings, inspyred-style.
#pragma once

#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

class GeneticAlgorithm : public PopulationAlgorithm {
public:
    GeneticAlgorithm(IslandSettings s, Bounds b);

    std::vector<std::vector<double>> ask(Rng& rng) override;
    void tell(std::vector<Individual> evaluated, Rng& rng) override;

private:
    double mutation_prob_;
};

}  // namespace snnfit::opt
