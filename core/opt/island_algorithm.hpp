// The algorithm an island runs, as an ask/tell pair per generation, so that the GA,
// and later NSGA-II, DE or CMA-ES, plug into the same island/migration/evaluation loop.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "common/rng.hpp"
#include "opt/candidate.hpp"
#include "opt/settings.hpp"

namespace snnfit::opt {

// An evaluated member of a population. fitness is the scalarised objective vector
// (weighted sum) that single-objective algorithms minimise; objectives stay a vector.
struct Individual {
    std::vector<double> x;
    std::vector<double> objectives;
    double fitness = 0.0;
    std::int64_t id = -1;
    EvalStatus status = EvalStatus::ok;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& x& objectives& fitness& id& status;
    }
    bool operator==(const Individual&) const = default;
};

// One island's search algorithm. Each generation the optimizer calls ask() once, has
// the candidates evaluated (together with every other island's), then calls tell() with
// the results in the same order. All randomness comes from the island's Rng, passed in
// so that the optimizer owns (and checkpoints) it.
class IslandAlgorithm {
public:
    virtual ~IslandAlgorithm() = default;
    // Parameter vectors to evaluate; with an empty population, the initial population.
    virtual std::vector<std::vector<double>> ask(Rng& rng) = 0;
    // The evaluated candidates of the last ask(), in order.
    virtual void tell(std::vector<Individual> evaluated, Rng& rng) = 0;
    // The current population; migration reads it and replaces members in place.
    virtual std::vector<Individual>& population() = 0;
    virtual const std::vector<Individual>& population() const = 0;
    // State beyond the population (step sizes, covariance, archive ...), as plain numbers.
    virtual std::vector<double> operator_state() const { return {}; }
    virtual void set_operator_state(std::span<const double> /*state*/) {}
};

// What the built-in algorithms (GA, NSGA-II, DE, CMA-ES) share: their settings, their
// box and the population they keep.
class PopulationAlgorithm : public IslandAlgorithm {
public:
    PopulationAlgorithm(IslandSettings s, Bounds b) : s_(std::move(s)), b_(std::move(b)) {}
    std::vector<Individual>& population() override { return population_; }
    const std::vector<Individual>& population() const override { return population_; }

protected:
    IslandSettings s_;
    Bounds b_;
    std::vector<Individual> population_;
};

std::unique_ptr<IslandAlgorithm> make_island_algorithm(const IslandSettings& s, const Bounds& b);

}  // namespace snnfit::opt
