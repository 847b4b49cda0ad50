// The GA's variation and selection operators, each a small function of an Rng so that
// it can be tested alone for its statistical behaviour. All minimise a scalar fitness.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "common/rng.hpp"
#include "opt/settings.hpp"

namespace snnfit::opt {

// Draws parent indices from a population's fitness values (lower is better). Built once
// per generation; pick() is then O(log n) or O(k).
class Selector {
public:
    Selector(const IslandSettings& s, std::span<const double> fitness);
    std::size_t pick(Rng& rng) const;
    // Probability that one pick() returns i (exact; for tournament by order statistics).
    double probability(std::size_t i) const;

private:
    Selection kind_;
    std::size_t tournament_size_;
    std::vector<std::size_t> order_;  // indices, best first (ties by index)
    std::vector<std::size_t> rank_;   // rank_[i]: position of i in order_
    std::vector<double> cumulative_;  // rank / proportionate: cumulative weights over order_ or indices
    std::size_t truncated_ = 0;       // truncation: parents come from order_[0, truncated_)
};

// Crossover of two parents in place into two children. u ~ U[0,1) per decision.
// uniform: swap each gene with probability gene_prob.
void uniform_crossover(Rng& rng, std::span<double> a, std::span<double> b, double gene_prob);
// BLX-alpha (Eshelman & Schaffer 1993): each child gene ~ U[min - alpha I, max + alpha I].
void blend_crossover(Rng& rng, std::span<double> a, std::span<double> b, double alpha);
// Simulated binary crossover (Deb & Agrawal 1995), each gene with probability gene_prob,
// unbounded form (the bounds policy acts afterwards): the spread factor beta has density
// 0.5 (eta + 1) beta^eta on [0, 1] and 0.5 (eta + 1) / beta^(eta + 2) above.
// Which child gets which of the two values is decided by a fair coin per gene.
void sbx_crossover(Rng& rng, std::span<double> a, std::span<double> b, double eta, double gene_prob);
// Extended line recombination (Muehlenbein & Schlierkamp-Voosen 1993): one a ~ U[-d, 1 + d]
// per pair; children a + t (b - a) and b + t (a - b).
void intermediate_crossover(Rng& rng, std::span<double> a, std::span<double> b, double extension);

// Mutation of one child, each gene with probability gene_prob.
// Gaussian: x += N(0, (sigma (hi - lo))^2).
void gaussian_mutation(Rng& rng, std::span<double> x, const Bounds& b, double sigma, double gene_prob);
// Deb's bounded polynomial mutation (as in NSGA-II's reference code): stays inside [lo, hi].
void polynomial_mutation(Rng& rng, std::span<double> x, const Bounds& b, double eta, double gene_prob);
// Uniform reset: the gene is redrawn uniformly in [lo, hi].
void reset_mutation(Rng& rng, std::span<double> x, const Bounds& b, double gene_prob);

// Puts x back into the box: clipping, or reflection at the walls (repeated for points
// more than one width outside). Non-finite values are set to the box centre.
void apply_bounds(std::span<double> x, const Bounds& b, BoundsPolicy policy);

// The per-gene mutation probability of an island: mutation_prob, or 1 / dimension.
double mutation_probability(const IslandSettings& s, std::size_t dim);

// One GA variation step on a pair of parents, in place: crossover with the island's
// probability, then mutation and the bounds policy on each child (GA and NSGA-II).
void vary(Rng& rng, std::vector<double>& a, std::vector<double>& b, const IslandSettings& s, const Bounds& box,
          double mutation_prob);

// n points uniform in the box, drawn point by point, coordinate by coordinate: every
// population-based algorithm's initial population.
std::vector<std::vector<double>> random_population(Rng& rng, std::size_t n, const Bounds& box);

}  // namespace snnfit::opt
