// fit::validate: TOST against a hand calculation, the population-rate spectrum against
// scipy.signal.welch, and verdicts on synthetic Poisson rasters whose answer is known.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "common/rng.hpp"
#include "fit/validate.hpp"
#include "metrics/rate_stats.hpp"
#include "metrics/two_sample.hpp"

using namespace snnfit;

namespace {

SpikeRaster poisson_raster(std::size_t n, double rate_hz, double t_end, std::uint64_t seed) {
    Rng rng(seed, 0);
    SpikeRaster r;
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> t;
        for (double s = rng.exponential(rate_hz / 1000.0); s < t_end; s += rng.exponential(rate_hz / 1000.0))
            t.push_back(s);
        r.push_train(t);
    }
    return r;
}

const fit::Measure* find(const fit::ValidationReport& r, const std::string& q, const std::string& test) {
    for (const auto& m : r.measures)
        if (m.quantity == q && m.test == test) return &m;
    return nullptr;
}

}  // namespace

// x = 1..5, y = 2..6, margin 2: difference -1, se = sqrt(2.5/5 + 2.5/5) = 1, Welch df = 8;
// t_lower = (-1 + 2)/1 = 1, t_upper = (-1 - 2)/1 = -3; p = max(P(T8 > 1), P(T8 < -3)).
// scipy.stats.t.sf(1, 8) = 0.17329675354366708, t.cdf(-3, 8) = 0.008535840616891317.
TEST(Validate, TostWelchAgainstHandCalculation) {
    const auto t = metrics::tost_welch({1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}, 2.0);
    EXPECT_DOUBLE_EQ(t.difference, -1.0);
    EXPECT_NEAR(t.df, 8.0, 1e-12);
    EXPECT_NEAR(t.t_lower, 1.0, 1e-12);
    EXPECT_NEAR(t.t_upper, -3.0, 1e-12);
    EXPECT_NEAR(t.p_lower, 0.17329675354366708, 1e-12);
    EXPECT_NEAR(t.p_upper, 0.008535840616891317, 1e-12);
    EXPECT_NEAR(t.p_value, 0.17329675354366708, 1e-12);  // not equivalent at 0.05
    // A wider margin of 4: t_lower = 3, t_upper = -5; p = P(T8 > 3) = 0.008535840616891317.
    const auto w = metrics::tost_welch({1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}, 4.0);
    EXPECT_NEAR(w.p_value, 0.008535840616891317, 1e-12);
    EXPECT_THROW(metrics::tost_welch({1}, {2, 3}, 1.0), InputError);
    EXPECT_THROW(metrics::tost_welch({1, 2}, {2, 3}, 0.0), InputError);
}

// Neuron i (of 3) fires at 7 + 3i + 25k ms on [0, 1000): scipy.signal.welch of the 1 ms
// population rate (Hz) with fs = 1000, nperseg = 256 (Hann, 50% overlap, constant detrend).
TEST(Validate, SpectrumMatchesScipyWelch) {
    std::vector<std::vector<double>> trains(3);
    for (int i = 0; i < 3; ++i)
        for (double t = 7 + 3 * i; t < 1000; t += 25) trains[static_cast<std::size_t>(i)].push_back(t);
    const auto p = metrics::population_rate_psd(SpikeRaster::from_trains(trains), {0, 1000}, 1.0, 256.0);
    ASSERT_EQ(p.frequency.size(), 129u);
    EXPECT_DOUBLE_EQ(p.frequency[1], 3.90625);
    EXPECT_NEAR(p.power[0], 0.21884827471766025, 1e-9);
    EXPECT_NEAR(p.power[10], 340.2329199158586, 1e-9);
    EXPECT_NEAR(p.power[51], 22.01240933944875, 1e-9);
    EXPECT_NEAR(p.power[128], 4.997514188665747e-05, 1e-9);
}

TEST(Validate, SameDistributionIsSame) {
    const auto target = poisson_raster(40, 10.0, 2000.0, 1);
    const std::vector<SpikeRaster> fitted{poisson_raster(40, 10.0, 2000.0, 2), poisson_raster(40, 10.0, 2000.0, 3),
                                          poisson_raster(40, 10.0, 2000.0, 4)};
    fit::ValidationOptions o;
    o.margin = 2.0;
    const auto r = fit::validate({"E"}, {target}, {fitted}, {0, 2000}, o);
    EXPECT_TRUE(r.same) << fit::validation_table(r);
    EXPECT_EQ(r.verdict(), "same");
    ASSERT_TRUE(r.equivalent.has_value());
    EXPECT_TRUE(*r.equivalent) << fit::validation_table(r);  // 10 Hz vs 10 Hz, margin 2 Hz
    // 1 + 3 + 1 + 1 + 1 t/KS tests on the distributions, 2 distance tests: alpha / 9.
    EXPECT_DOUBLE_EQ(r.test_alpha, 0.05 / 9);
    ASSERT_NE(find(r, "spike_distance", "welch_t"), nullptr);
    EXPECT_TRUE(find(r, "spectrum", "power_ratio")->pass);
}

TEST(Validate, DoubledRateIsDifferent) {
    const auto target = poisson_raster(40, 10.0, 2000.0, 1);
    const std::vector<SpikeRaster> fitted{poisson_raster(40, 20.0, 2000.0, 2), poisson_raster(40, 20.0, 2000.0, 3)};
    fit::ValidationOptions o;
    o.margin = 2.0;
    const auto r = fit::validate({"E"}, {target}, {fitted}, {0, 2000}, o);
    EXPECT_FALSE(r.same);
    EXPECT_EQ(r.verdict(), "different");
    EXPECT_FALSE(*r.equivalent);
    for (const auto* test : {"student_t", "welch_t", "paired_t", "ks"})
        EXPECT_FALSE(find(r, "rate", test)->pass) << test;
    const auto* d = find(r, "rate", "cohens_d");
    EXPECT_GT(d->ci_low, 0.0);  // fitted - target > 0
    // A Poisson population rate's spectrum is flat at rate / (n bin): twice the power.
    const auto* s = find(r, "spectrum", "power_ratio");
    EXPECT_NEAR(s->statistic, 2.0, 0.4);
}

TEST(Validate, OneSeedShowsDistancesWithoutDeciding) {
    const auto target = poisson_raster(10, 10.0, 1000.0, 1);
    const auto r = fit::validate({"E"}, {target}, {{poisson_raster(10, 10.0, 1000.0, 2)}}, {0, 1000}, {});
    const auto* m = find(r, "spike_distance", "value");
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->decides);
    EXPECT_GT(m->fitted_value, 0.0);
}

TEST(Validate, BadInput) {
    const auto t = poisson_raster(10, 10.0, 1000.0, 1);
    EXPECT_THROW(fit::validate({"E"}, {t}, {{poisson_raster(9, 10.0, 1000.0, 2)}}, {0, 1000}, {}), InputError);
    fit::ValidationOptions o;
    o.alpha = 1.5;
    EXPECT_THROW(fit::validate({"E"}, {t}, {{t}}, {0, 1000}, o), InputError);
}

// The realisation-level rows: each seed's KS distance to the target against those between
// seeds. Same-rate seeds pass; doubled-rate seeds are farther from the target (D near 1)
// than from each other.
TEST(Validate, CalibratedAgainstSeeds) {
    const auto target = poisson_raster(30, 10.0, 2000.0, 1);
    fit::ValidationOptions o;
    o.calibrate = true;
    std::vector<SpikeRaster> same, doubled;
    for (std::uint64_t s = 2; s < 6; ++s) {
        same.push_back(poisson_raster(30, 10.0, 2000.0, s));
        doubled.push_back(poisson_raster(30, 20.0, 2000.0, s));
    }
    const auto a = fit::validate({"E"}, {target}, {same}, {0, 2000}, o);
    EXPECT_TRUE(a.same) << fit::validation_table(a);
    ASSERT_NE(find(a, "rate", "ks_vs_seeds"), nullptr);
    EXPECT_TRUE(find(a, "rate", "ks_vs_seeds")->decides);
    EXPECT_FALSE(find(a, "rate", "welch_t")->decides);
    const auto b = fit::validate({"E"}, {target}, {doubled}, {0, 2000}, o);
    EXPECT_FALSE(b.same);
    EXPECT_FALSE(find(b, "rate", "ks_vs_seeds")->pass);
    EXPECT_GT(find(b, "rate", "ks_vs_seeds")->fitted_value, 0.9);  // KS D of 10 vs 20 Hz rates
    EXPECT_THROW(fit::validate({"E"}, {target}, {{same[0], same[1]}}, {0, 2000}, o), InputError);
}
