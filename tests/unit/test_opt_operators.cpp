// GA operators: each one's statistical behaviour against closed forms (selection
// probabilities, SBX spread factor and polynomial mutation distributions, Gaussian
// variance, BLX and line-recombination ranges) and that bounds are respected.
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "common/rng.hpp"
#include "opt/ga.hpp"
#include "opt/operators.hpp"

using namespace snnfit;
using namespace snnfit::opt;

namespace {

// Kolmogorov-Smirnov distance between a sample and a continuous CDF.
double ks_distance(std::vector<double> v, const std::function<double(double)>& cdf) {
    std::sort(v.begin(), v.end());
    const double n = static_cast<double>(v.size());
    double d = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double f = cdf(v[i]);
        d = std::max({d, std::abs(f - static_cast<double>(i) / n), std::abs(static_cast<double>(i + 1) / n - f)});
    }
    return d;
}
// KS critical value at significance 1e-3 (asymptotic 1.949 / sqrt(n)).
double ks_critical(std::size_t n) {
    return 1.949 / std::sqrt(static_cast<double>(n));
}

// Counts of picks over `draws` compared with expected probabilities: every cell within
// 5 binomial standard deviations (fixed seed; a false alarm is ~1e-6 per cell).
void expect_frequencies(const Selector& s, std::size_t n, const std::vector<double>& p, int draws, Rng& rng) {
    std::vector<int> count(n, 0);
    for (int i = 0; i < draws; ++i) ++count[s.pick(rng)];
    for (std::size_t i = 0; i < n; ++i) {
        const double expected = p[i] * draws;
        const double sd = std::sqrt(draws * p[i] * (1.0 - p[i]));
        EXPECT_NEAR(count[i], expected, 5.0 * sd + 1e-9) << "index " << i;
        EXPECT_NEAR(s.probability(i), p[i], 1e-12) << "index " << i;
    }
}

// Fitness values whose ranks are known: index i has rank perm[i] (0 = best).
const std::vector<double> kFitness = {3.0, 0.5, 7.0, 1.0, 9.0, 2.0, 4.0, 8.0, 6.0, 5.0};
std::vector<std::size_t> ranks_of(const std::vector<double>& f) {
    std::vector<std::size_t> r(f.size());
    for (std::size_t i = 0; i < f.size(); ++i)
        for (std::size_t j = 0; j < f.size(); ++j)
            if (f[j] < f[i]) ++r[i];
    return r;
}

}  // namespace

TEST(OptSelection, TournamentPressureMatchesOrderStatistics) {
    IslandSettings s;
    s.selection = Selection::tournament;
    const auto ranks = ranks_of(kFitness);
    const double n = static_cast<double>(kFitness.size());
    for (std::size_t k : {1u, 2u, 3u, 7u}) {
        s.tournament_size = k;
        Selector sel(s, kFitness);
        // P(winner has rank r) = P(all k draws have rank >= r) - P(all have rank >= r + 1).
        std::vector<double> p(kFitness.size());
        for (std::size_t i = 0; i < p.size(); ++i) {
            const double r = static_cast<double>(ranks[i]);
            p[i] = std::pow((n - r) / n, k) - std::pow((n - r - 1) / n, k);
        }
        Rng rng(42, k);
        expect_frequencies(sel, kFitness.size(), p, 200000, rng);
    }
}

TEST(OptSelection, LinearRankingMatchesBaker) {
    IslandSettings s;
    s.selection = Selection::rank;
    s.rank_pressure = 1.8;
    Selector sel(s, kFitness);
    const auto ranks = ranks_of(kFitness);
    const double n = static_cast<double>(kFitness.size());
    std::vector<double> p(kFitness.size());
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = (1.8 - 2.0 * 0.8 * static_cast<double>(ranks[i]) / (n - 1)) / n;
    Rng rng(7, 1);
    expect_frequencies(sel, kFitness.size(), p, 200000, rng);
}

TEST(OptSelection, FitnessProportionateUsesWindowedWeights) {
    IslandSettings s;
    s.selection = Selection::proportionate;
    Selector sel(s, kFitness);
    // weight = worst (9) - f; total = 10 * 9 - 45.5 = 44.5
    std::vector<double> p(kFitness.size());
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = (9.0 - kFitness[i]) / 44.5;
    Rng rng(7, 2);
    expect_frequencies(sel, kFitness.size(), p, 200000, rng);

    const std::vector<double> equal(5, 2.0);  // all equal: uniform
    Selector flat(s, equal);
    Rng rng2(7, 3);
    expect_frequencies(flat, 5, std::vector<double>(5, 0.2), 50000, rng2);
}

TEST(OptSelection, TruncationDrawsUniformlyFromTheBestFraction) {
    IslandSettings s;
    s.selection = Selection::truncation;
    s.truncation = 0.3;
    Selector sel(s, kFitness);
    const auto ranks = ranks_of(kFitness);
    std::vector<double> p(kFitness.size());
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = ranks[i] < 3 ? 1.0 / 3.0 : 0.0;
    Rng rng(7, 4);
    expect_frequencies(sel, kFitness.size(), p, 60000, rng);
}

// SBX: |c1 - c2| / |p1 - p2| is the spread factor beta with
// P(beta <= b) = 0.5 b^(eta+1) for b <= 1 and 1 - 0.5 b^-(eta+1) above (Deb & Agrawal 1995);
// the children's mean equals the parents' mean.
TEST(OptCrossover, SbxSpreadFactorFollowsDebsDistribution) {
    for (double eta : {2.0, 15.0}) {
        Rng rng(11, static_cast<std::uint64_t>(eta));
        std::vector<double> beta;
        const std::size_t n = 20000;
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<double> a = {1.0}, b = {3.0};
            sbx_crossover(rng, a, b, eta, 1.0);
            EXPECT_NEAR(a[0] + b[0], 4.0, 1e-12);
            beta.push_back(std::abs(a[0] - b[0]) / 2.0);
        }
        auto cdf = [eta](double x) {
            return x <= 1.0 ? 0.5 * std::pow(x, eta + 1.0) : 1.0 - 0.5 * std::pow(x, -(eta + 1.0));
        };
        EXPECT_LT(ks_distance(beta, cdf), ks_critical(n)) << "eta " << eta;
    }
}

TEST(OptCrossover, SbxGeneProbabilityLeavesOtherGenesUntouched) {
    Rng rng(12, 0);
    int changed = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        std::vector<double> a = {0.0}, b = {1.0};
        sbx_crossover(rng, a, b, 15.0, 0.3);
        if (a[0] != 0.0) ++changed;
    }
    EXPECT_NEAR(changed, 0.3 * n, 5.0 * std::sqrt(n * 0.3 * 0.7));
}

TEST(OptCrossover, UniformSwapsGenesWithTheGivenProbability) {
    Rng rng(13, 0);
    const std::size_t d = 20000;
    std::vector<double> a(d, 0.0), b(d, 1.0);
    uniform_crossover(rng, a, b, 0.25);
    double swapped = 0;
    for (std::size_t j = 0; j < d; ++j) {
        EXPECT_EQ(a[j] + b[j], 1.0);
        swapped += a[j];
    }
    EXPECT_NEAR(swapped, 0.25 * d, 5.0 * std::sqrt(d * 0.25 * 0.75));
}

// BLX-0.5 of parents 0 and 1: children uniform on [-0.5, 1.5], i.e. CDF (x + 0.5) / 2.
TEST(OptCrossover, BlendAlphaIsUniformOnTheExtendedInterval) {
    Rng rng(14, 0);
    std::vector<double> children;
    for (int i = 0; i < 10000; ++i) {
        std::vector<double> a = {1.0}, b = {0.0};
        blend_crossover(rng, a, b, 0.5);
        children.push_back(a[0]);
        children.push_back(b[0]);
    }
    EXPECT_GE(*std::min_element(children.begin(), children.end()), -0.5);
    EXPECT_LT(*std::max_element(children.begin(), children.end()), 1.5);
    EXPECT_LT(ks_distance(children, [](double x) { return (x + 0.5) / 2.0; }), ks_critical(children.size()));
}

// Line recombination: children stay on the parents' line, at a + t (b - a), t ~ U[-d, 1 + d].
TEST(OptCrossover, IntermediateStaysOnTheLineWithUniformPosition) {
    Rng rng(15, 0);
    std::vector<double> t;
    const double d = 0.25;
    for (int i = 0; i < 20000; ++i) {
        std::vector<double> a = {0.0, 1.0}, b = {2.0, -1.0};
        intermediate_crossover(rng, a, b, d);
        const double ta = a[0] / 2.0;
        EXPECT_NEAR(a[1], 1.0 - 2.0 * ta, 1e-12);  // on the line through both parents
        EXPECT_NEAR(b[0], 2.0 - 2.0 * ta, 1e-12);  // the mirror child
        t.push_back(ta);
    }
    EXPECT_LT(ks_distance(t, [d](double x) { return (x + d) / (1.0 + 2.0 * d); }), ks_critical(t.size()));
}

TEST(OptMutation, GaussianHasTheConfiguredVarianceAndRate) {
    Rng rng(16, 0);
    const Bounds b{{-5.0}, {5.0}};  // width 10, sigma 0.1 -> sd 1
    const int n = 100000;
    double sum = 0.0, ss = 0.0;
    for (int i = 0; i < n; ++i) {
        std::vector<double> x = {0.0};
        gaussian_mutation(rng, x, b, 0.1, 1.0);
        sum += x[0];
        ss += x[0] * x[0];
    }
    const double mean = sum / n, var = ss / n - mean * mean;
    EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(n));
    EXPECT_NEAR(var, 1.0, 5.0 * std::sqrt(2.0 / n));

    int changed = 0;
    std::vector<double> x(n, 0.0);
    const Bounds wide{std::vector<double>(n, -5.0), std::vector<double>(n, 5.0)};
    gaussian_mutation(rng, x, wide, 0.1, 0.1);
    for (double v : x) changed += v != 0.0;
    EXPECT_NEAR(changed, 0.1 * n, 5.0 * std::sqrt(n * 0.1 * 0.9));
}

// Far from the bounds, Deb's bounded polynomial mutation has the unbounded distribution
// of delta = (y - x) / (hi - lo): P(delta <= t) = 0.5 (1 + t)^(eta+1) for t <= 0 and
// 1 - 0.5 (1 - t)^(eta+1) above (the bound terms are 0.5^(eta+1), here < 1e-6).
TEST(OptMutation, PolynomialFollowsDebsDistributionAndStaysInBounds) {
    const double eta = 20.0;
    Rng rng(17, 0);
    const Bounds b{{-1.0}, {1.0}};
    std::vector<double> delta;
    const std::size_t n = 20000;
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> x = {0.0};
        polynomial_mutation(rng, x, b, eta, 1.0);
        delta.push_back(x[0] / 2.0);
    }
    auto cdf = [eta](double t) {
        return t <= 0.0 ? 0.5 * std::pow(1.0 + t, eta + 1.0) : 1.0 - 0.5 * std::pow(1.0 - t, eta + 1.0);
    };
    EXPECT_LT(ks_distance(delta, cdf), ks_critical(n));

    for (double start : {-1.0, 1.0, 0.999}) {
        for (int i = 0; i < 5000; ++i) {
            std::vector<double> x = {start};
            polynomial_mutation(rng, x, b, 1.0, 1.0);  // small eta: large steps
            EXPECT_GE(x[0], -1.0);
            EXPECT_LE(x[0], 1.0);
        }
    }
}

TEST(OptMutation, ResetIsUniformInTheBox) {
    Rng rng(18, 0);
    const Bounds b{{2.0}, {6.0}};
    std::vector<double> v;
    for (int i = 0; i < 20000; ++i) {
        std::vector<double> x = {100.0};
        reset_mutation(rng, x, b, 1.0);
        v.push_back(x[0]);
    }
    EXPECT_LT(ks_distance(v, [](double x) { return (x - 2.0) / 4.0; }), ks_critical(v.size()));
}

TEST(OptBounds, ClipAndReflectByHand) {
    const Bounds b{{0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0}};
    std::vector<double> x = {1.3, -0.2, 2.5, 3.7, 0.4, std::nan("")};
    auto y = x;
    apply_bounds(x, b, BoundsPolicy::clip);
    EXPECT_EQ(x, (std::vector<double>{1.0, 0.0, 1.0, 1.0, 0.4, 0.5}));
    apply_bounds(y, b, BoundsPolicy::reflect);
    const std::vector<double> want = {0.7, 0.2, 0.5, 0.3, 0.4, 0.5};
    for (std::size_t j = 0; j < want.size(); ++j) EXPECT_NEAR(y[j], want[j], 1e-12) << j;
}

// Every operator combination, many generations: no candidate ever leaves the box.
TEST(OptBounds, GaCandidatesRespectBoundsForEveryOperatorCombination) {
    const Bounds b{{-1.0, 0.0, 10.0}, {1.0, 0.5, 10.0}};  // includes a zero-width dimension
    for (auto cx : {Crossover::none, Crossover::uniform, Crossover::blend, Crossover::sbx, Crossover::intermediate})
        for (auto mu : {Mutation::none, Mutation::gaussian, Mutation::polynomial, Mutation::reset})
            for (auto bp : {BoundsPolicy::clip, BoundsPolicy::reflect}) {
                IslandSettings s;
                s.population = 20;
                s.crossover = cx;
                s.blend_alpha = 2.0;
                s.intermediate_extension = 3.0;
                s.mutation = mu;
                s.gaussian_sigma = 2.0;
                s.mutation_prob = 1.0;
                s.bounds = bp;
                GeneticAlgorithm ga(s, b);
                Rng rng(19, static_cast<std::uint64_t>(cx) * 100 + static_cast<std::uint64_t>(mu) * 10 +
                                static_cast<std::uint64_t>(bp));
                for (int g = 0; g < 20; ++g) {
                    auto xs = ga.ask(rng);
                    std::vector<Individual> ev;
                    for (auto& x : xs) {
                        for (std::size_t j = 0; j < 3; ++j) {
                            ASSERT_GE(x[j], b.lo[j]);
                            ASSERT_LE(x[j], b.hi[j]);
                        }
                        Individual ind;
                        ind.fitness = x[0] * x[0] + x[1];
                        ind.x = std::move(x);
                        ev.push_back(std::move(ind));
                    }
                    ga.tell(std::move(ev), rng);
                }
            }
}

// Replacement strategies on hand-made populations: which fitness values survive.
namespace {
std::vector<double> survivors(Replacement r, std::size_t elitism, const std::vector<double>& parents,
                              const std::vector<double>& children) {
    IslandSettings s;
    s.population = parents.size();
    s.replacement = r;
    s.elitism = elitism;
    s.offspring = r == Replacement::generational ? 0 : children.size();
    GeneticAlgorithm ga(s, Bounds{{0.0}, {1.0}});
    Rng rng(1, 1);
    std::vector<Individual> p, c;
    for (double f : parents) p.push_back(Individual{{0.5}, {f}, f, 0, EvalStatus::ok});
    for (double f : children) c.push_back(Individual{{0.5}, {f}, f, 1, EvalStatus::ok});
    ga.tell(p, rng);  // initial population
    ga.tell(c, rng);
    std::vector<double> out;
    for (const auto& ind : ga.population()) out.push_back(ind.fitness);
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

TEST(OptReplacement, EachStrategyKeepsWhatItShould) {
    const std::vector<double> parents = {1.0, 5.0, 3.0, 7.0};
    // generational, 1 elite: best parent + 3 children.
    EXPECT_EQ(survivors(Replacement::generational, 1, parents, {6.0, 8.0, 9.0}), (std::vector<double>{1, 6, 8, 9}));
    // mu + lambda: best 4 of the union.
    EXPECT_EQ(survivors(Replacement::plus, 0, parents, {2.0, 8.0, 0.5, 9.0}), (std::vector<double>{0.5, 1, 2, 3}));
    // mu, lambda: best 4 children.
    EXPECT_EQ(survivors(Replacement::comma, 0, parents, {2.0, 8.0, 0.5, 9.0, 4.0}),
              (std::vector<double>{0.5, 2, 4, 8}));
    // steady state: 2.0 replaces 7, then 8.0 is worse than the worst (5) and is dropped.
    EXPECT_EQ(survivors(Replacement::steady_state, 0, parents, {2.0, 8.0}), (std::vector<double>{1, 2, 3, 5}));
}
