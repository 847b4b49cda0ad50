// Counter-based streams: reproducible, independent by name, exact to restore, and
// with the right distributions (moments against closed forms, fixed seeds, bounds of
// several standard errors so the tests are deterministic yet meaningful).
#include <cmath>
#include <numeric>
#include <set>

#include <gtest/gtest.h>

#include "common/rng.hpp"

using snnfit::Rng;
using snnfit::stream_id;

namespace {
// Mean and variance of n draws.
template <class F>
std::pair<double, double> moments(F&& draw, int n) {
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = draw();
        s += x;
        s2 += x * x;
    }
    const double m = s / n;
    return {m, s2 / n - m * m};
}
}  // namespace

TEST(Rng, SameNameSameStreamDifferentNameDifferentStream) {
    Rng a(42, stream_id({1, 2})), b(42, stream_id({1, 2})), c(42, stream_id({1, 3})), d(43, stream_id({1, 2}));
    for (int i = 0; i < 100; ++i) {
        const auto x = a.next_u64();
        EXPECT_EQ(x, b.next_u64());
        EXPECT_NE(x, c.next_u64());
        EXPECT_NE(x, d.next_u64());
    }
}

TEST(Rng, StateRestoresTheExactContinuation) {
    Rng a(7, 9);
    for (int i = 0; i < 13; ++i) a.normal();  // leaves a cached normal and a partly used block
    Rng b(a.state());
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ(a.normal(), b.normal());
        EXPECT_EQ(a.next_u64(), b.next_u64());
    }
}

TEST(Rng, UniformMomentsAndRange) {
    Rng r(1, 1);
    const int n = 200000;
    auto [m, v] = moments([&] { return r.uniform(); }, n);
    EXPECT_NEAR(m, 0.5, 5 * std::sqrt(1.0 / 12 / n));
    EXPECT_NEAR(v, 1.0 / 12, 0.002);
    for (int i = 0; i < 10000; ++i) {
        const double u = r.uniform(), p = r.uniform_pos();
        EXPECT_GE(u, 0.0);
        EXPECT_LT(u, 1.0);
        EXPECT_GT(p, 0.0);
        EXPECT_LE(p, 1.0);
    }
}

TEST(Rng, NormalMoments) {
    Rng r(2, 1);
    const int n = 200000;
    auto [m, v] = moments([&] { return r.normal(3.0, 2.0); }, n);
    EXPECT_NEAR(m, 3.0, 5 * 2.0 / std::sqrt(n));
    EXPECT_NEAR(v, 4.0, 5 * 4.0 * std::sqrt(2.0 / n));
}

TEST(Rng, ExponentialMoments) {
    Rng r(3, 1);
    const int n = 200000;
    auto [m, v] = moments([&] { return r.exponential(4.0); }, n);
    EXPECT_NEAR(m, 0.25, 5 * 0.25 / std::sqrt(n));
    EXPECT_NEAR(v, 0.0625, 0.002);
}

TEST(Rng, PoissonMomentsSmallAndLargeMean) {
    for (double lambda : {0.3, 4.0, 12.0, 250.0}) {
        Rng r(4, static_cast<std::uint64_t>(lambda * 10));
        const int n = 100000;
        auto [m, v] = moments([&] { return static_cast<double>(r.poisson(lambda)); }, n);
        EXPECT_NEAR(m, lambda, 5 * std::sqrt(lambda / n)) << lambda;
        EXPECT_NEAR(v, lambda, 6 * lambda * std::sqrt(2.0 / n) + 0.01) << lambda;
    }
}

TEST(Rng, PoissonSmallMeanMatchesPmf) {
    // P(K = 0) = e^-lambda, P(K = 1) = lambda e^-lambda.
    Rng r(5, 5);
    const double lambda = 1.5;
    const int n = 200000;
    int k0 = 0, k1 = 0;
    for (int i = 0; i < n; ++i) {
        const auto k = r.poisson(lambda);
        k0 += k == 0;
        k1 += k == 1;
    }
    const double p0 = std::exp(-lambda), p1 = lambda * p0;
    EXPECT_NEAR(k0 / double(n), p0, 5 * std::sqrt(p0 * (1 - p0) / n));
    EXPECT_NEAR(k1 / double(n), p1, 5 * std::sqrt(p1 * (1 - p1) / n));
}

TEST(Rng, BinomialMoments) {
    struct Case {
        std::uint64_t n;
        double p;
    };
    // The last two take the inversion from the mode (n p >= 30); 4.5e7 x 1/20683 is the
    // per-target count of the microcircuit's largest projection.
    for (Case c : {Case{1000, 0.01}, Case{100, 0.5}, Case{10000, 0.8}, Case{50, 0.97}, Case{45'000'000, 1.0 / 20683},
                   Case{300, 0.3}}) {
        Rng r(6, c.n);
        const int draws = 20000;
        auto [m, v] = moments([&] { return static_cast<double>(r.binomial(c.n, c.p)); }, draws);
        const double mean = c.n * c.p, var = c.n * c.p * (1 - c.p);
        EXPECT_NEAR(m, mean, 5 * std::sqrt(var / draws)) << c.n << " " << c.p;
        EXPECT_NEAR(v, var, 6 * var * std::sqrt(2.0 / draws)) << c.n << " " << c.p;
    }
    Rng r(6, 0);
    EXPECT_EQ(r.binomial(0, 0.5), 0u);
    EXPECT_EQ(r.binomial(10, 0.0), 0u);
    EXPECT_EQ(r.binomial(10, 1.0), 10u);
}

// Hypergeometric: mean n K / M, variance n (K/M) (1 - K/M) (M - n) / (M - 1); and the
// exact probabilities of a small case (n = 5, K = 7, M = 20) by a chi-square-free check
// of each frequency within 5 standard errors.
TEST(Rng, HypergeometricMomentsAndProbabilities) {
    struct Case {
        std::uint64_t n, K, M;
    };
    for (Case c : {Case{5, 7, 20}, Case{3000, 20682, 20683 * 100}, Case{900, 1000, 1200}, Case{1000, 999, 1000}}) {
        Rng r(8, c.n);
        const int draws = 20000;
        auto [m, v] = moments([&] { return static_cast<double>(r.hypergeometric(c.n, c.K, c.M)); }, draws);
        const double f = static_cast<double>(c.K) / c.M, mean = c.n * f,
                     var = c.n * f * (1 - f) * (double(c.M) - c.n) / (double(c.M) - 1);
        EXPECT_NEAR(m, mean, 5 * std::sqrt(var / draws) + 1e-12) << c.n << " " << c.K << " " << c.M;
        EXPECT_NEAR(v, var, 6 * var * std::sqrt(2.0 / draws) + 1e-12) << c.n << " " << c.K << " " << c.M;
    }
    Rng r(9, 9);
    const int draws = 100000;
    std::vector<int> count(6, 0);
    for (int i = 0; i < draws; ++i) ++count.at(r.hypergeometric(5, 7, 20));
    auto choose = [](int a, int b) { return std::tgamma(a + 1.0) / (std::tgamma(b + 1.0) * std::tgamma(a - b + 1.0)); };
    for (int k = 0; k <= 5; ++k) {
        const double p = choose(7, k) * choose(13, 5 - k) / choose(20, 5);
        EXPECT_NEAR(count[k] / double(draws), p, 5 * std::sqrt(p * (1 - p) / draws) + 1e-9) << k;
    }
    EXPECT_EQ(r.hypergeometric(10, 10, 10), 10u);
    EXPECT_EQ(r.hypergeometric(0, 10, 20), 0u);
    for (int i = 0; i < 1000; ++i) {  // 15 of 20 with 10 bad: at least 5 good, at most 10
        const auto k = r.hypergeometric(15, 10, 20);
        ASSERT_TRUE(k >= 5 && k <= 10) << k;
    }
}

TEST(Rng, BelowIsUniformAndInRange) {
    Rng r(7, 7);
    const std::uint64_t n = 7;
    std::vector<int> counts(n, 0);
    const int draws = 70000;
    for (int i = 0; i < draws; ++i) {
        const auto k = r.below(n);
        ASSERT_LT(k, n);
        ++counts[k];
    }
    // Chi-square with 6 degrees of freedom; 22.46 is its 0.999 quantile.
    double chi2 = 0;
    for (int c : counts) chi2 += (c - draws / 7.0) * (c - draws / 7.0) / (draws / 7.0);
    EXPECT_LT(chi2, 22.46);
}
