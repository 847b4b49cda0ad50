// Differential evolution (Storn & Price 1997): DE/rand/1/bin, DE/best/1/bin, and jDE
// (Brest, Greiner, Boskovic, Mernik & Zumer 2006), DE/rand/1/bin with a self-adapted F
// and CR per individual. One trial per population member each generation; a trial
// replaces its target when its fitness is not worse.
#pragma once

#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

class DifferentialEvolution : public PopulationAlgorithm {
public:
    DifferentialEvolution(IslandSettings s, Bounds b);

    std::vector<std::vector<double>> ask(Rng& rng) override;
    void tell(std::vector<Individual> evaluated, Rng& rng) override;
    // jDE: F of every member, then CR of every member (2 n numbers); empty otherwise.
    std::vector<double> operator_state() const override;
    void set_operator_state(std::span<const double> state) override;

private:
    std::vector<double> f_, cr_;              // jDE: per member
    std::vector<double> trial_f_, trial_cr_;  // jDE: of the trials between ask and tell
};

}  // namespace snnfit::opt
