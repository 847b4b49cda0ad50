// NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002): binary tournaments by the crowded
// comparison, the GA's crossover and mutation, and (mu + mu) survival by non-dominated
// sorting and crowding distance, on the objective vector rather than the scalar fitness.
#pragma once

#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

class Nsga2 : public IslandAlgorithm {
public:
    Nsga2(IslandSettings s, Bounds b);

    std::vector<std::vector<double>> ask(Rng& rng) override;
    void tell(std::vector<Individual> evaluated, Rng& rng) override;
    std::vector<Individual>& population() override { return population_; }
    const std::vector<Individual>& population() const override { return population_; }

private:
    IslandSettings s_;
    Bounds b_;
    double mutation_prob_;
    std::vector<Individual> population_;  // kept best first by the crowded comparison
};

}  // namespace snnfit::opt
