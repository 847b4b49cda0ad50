// NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002): binary tournaments by the crowded
// comparison, the GA's crossover and mutation, and (mu + mu) survival by non-dominated
// sorting and crowding distance, on the objective vector rather than the scalar fitness.
#pragma once

#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

class Nsga2 : public PopulationAlgorithm {
public:
    Nsga2(IslandSettings s, Bounds b);

    std::vector<std::vector<double>> ask(Rng& rng) override;
    void tell(std::vector<Individual> evaluated, Rng& rng) override;

private:
    double mutation_prob_;
};

}  // namespace snnfit::opt
