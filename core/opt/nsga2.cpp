#include "opt/nsga2.hpp"

#include <algorithm>

#include "opt/operators.hpp"
#include "opt/pareto.hpp"

namespace snnfit::opt {

Nsga2::Nsga2(IslandSettings s, Bounds b)
    : PopulationAlgorithm(std::move(s), std::move(b)), mutation_prob_(mutation_probability(s_, b_.dim())) {}

std::vector<std::vector<double>> Nsga2::ask(Rng& rng) {
    const std::size_t n = population_.size();
    if (n == 0) return random_population(rng, s_.population, b_);
    // Rank and crowding are recomputed from the population (migration may have changed
    // it), so they are no state of their own. position[i] = place of i in the order.
    const auto order = pareto_order(population_);
    std::vector<std::size_t> position(n);
    for (std::size_t r = 0; r < n; ++r) position[order[r]] = r;
    auto tournament = [&] {
        const std::size_t a = rng.below(n), b = rng.below(n);
        return position[a] <= position[b] ? a : b;
    };
    std::vector<std::vector<double>> out;
    out.reserve(s_.population + 1);
    while (out.size() < s_.population) {
        std::vector<double> a = population_[tournament()].x;
        std::vector<double> b = population_[tournament()].x;
        vary(rng, a, b, s_, b_, mutation_prob_);
        out.push_back(std::move(a));
        if (out.size() < s_.population) out.push_back(std::move(b));
    }
    return out;
}

void Nsga2::tell(std::vector<Individual> evaluated, Rng& /*rng*/) {
    for (auto& c : evaluated) population_.push_back(std::move(c));
    const auto order = pareto_order(population_);
    std::vector<Individual> next;
    next.reserve(s_.population);
    for (std::size_t r = 0; r < order.size() && next.size() < s_.population; ++r)
        next.push_back(std::move(population_[order[r]]));
    population_ = std::move(next);
}

}  // namespace snnfit::opt
