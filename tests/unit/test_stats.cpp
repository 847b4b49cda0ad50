// Rate statistics and two-sample tests: p-values against python3-scipy
// (tests/fixtures/scipy/two_sample_cases.txt, from tests/fixtures/generators/gen_scipy.py)
// to 1e-10, and hand-calculated rate statistics and effect sizes.
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "metrics/rate_stats.hpp"
#include "metrics/two_sample.hpp"

using namespace snnfit;
using namespace snnfit::metrics;
using V = std::vector<double>;

namespace {

struct Case {
    std::string name;
    std::map<std::string, V> v;
};

std::vector<Case> load() {
    std::ifstream in(std::string(SNNFIT_FIXTURES) + "/scipy/two_sample_cases.txt");
    EXPECT_TRUE(in.good());
    std::vector<Case> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string key, tok;
        ls >> key;
        if (key == "case") {
            out.emplace_back();
            ls >> out.back().name;
            continue;
        }
        V vals;
        while (ls >> tok) vals.push_back(std::stod(tok));
        out.back().v[key] = vals;
    }
    return out;
}

const std::vector<Case>& cases() {
    static const auto c = load();
    return c;
}

// statistic and p-value against scipy; NaN in the fixture means undefined (NaN here too).
void expect_result(const TestResult& got, const V& want, const std::string& what) {
    if (std::isnan(want[1])) {
        EXPECT_TRUE(std::isnan(got.p_value)) << what << " p=" << got.p_value;
        return;
    }
    EXPECT_NEAR(got.statistic, want[0], 1e-10 * std::max(1.0, std::fabs(want[0]))) << what << " statistic";
    EXPECT_NEAR(got.p_value, want[1], 1e-10) << what << " p-value";
}

}  // namespace

TEST(TwoSampleScipy, FixtureIsThere) {
    EXPECT_GE(cases().size(), 25u);
}

TEST(TwoSampleScipy, TTests) {
    for (const auto& c : cases()) {
        const V& x = c.v.at("x");
        const V& y = c.v.at("y");
        if (x.size() < 2 || y.size() < 2) {
            EXPECT_THROW(student_t_test(x, y), InputError) << c.name;
            EXPECT_THROW(welch_t_test(x, y), InputError) << c.name;
            continue;
        }
        expect_result(student_t_test(x, y), c.v.at("student"), c.name + " student");
        expect_result(welch_t_test(x, y), c.v.at("welch"), c.name + " welch");
        if (c.v.count("paired")) expect_result(paired_t_test(x, y), c.v.at("paired"), c.name + " paired");
    }
}

TEST(TwoSampleScipy, KolmogorovSmirnov) {
    for (const auto& c : cases()) expect_result(ks_two_sample(c.v.at("x"), c.v.at("y")), c.v.at("ks"), c.name + " ks");
}

TEST(TwoSampleScipy, MannWhitneyU) {
    for (const auto& c : cases())
        expect_result(mann_whitney_u(c.v.at("x"), c.v.at("y")), c.v.at("mwu"), c.name + " mwu");
}

TEST(TwoSampleScipy, CoefficientOfVariation) {
    for (const auto& c : cases()) {
        if (c.v.count("cv_x")) {
            const double want = c.v.at("cv_x")[0];
            EXPECT_NEAR(cv(c.v.at("x")), want, 1e-12 * std::max(1.0, std::fabs(want))) << c.name;
        }
    }
}

TEST(TwoSample, CohensDHandCalculation) {
    // means 3 and 5, both variances 2.5: d = -2 / sqrt(2.5); SE = sqrt(10/25 + d^2/20).
    const auto e = cohens_d(V{1, 2, 3, 4, 5}, V{3, 4, 5, 6, 7});
    const double d = -2 / std::sqrt(2.5), se = std::sqrt(0.4 + d * d / 20);
    EXPECT_NEAR(e.d, d, 1e-15);
    EXPECT_NEAR(e.ci_low, d - 1.959963984540054 * se, 1e-12);
    EXPECT_NEAR(e.ci_high, d + 1.959963984540054 * se, 1e-12);
    EXPECT_THROW(cohens_d(V{1}, V{1, 2}), InputError);
}

TEST(RateStats, HandCalculations) {
    EXPECT_DOUBLE_EQ(mean_rate(V{1, 2, 3}, {0, 1000}), 0.003);
    EXPECT_EQ(isis(V{1, 3, 7}), (V{2, 4}));
    EXPECT_EQ(isis(V{1}), V{});
    EXPECT_NEAR(cv2(V{1, 2}), 2.0 / 3.0, 1e-15);
    EXPECT_NEAR(lv(V{1, 2}), 1.0 / 3.0, 1e-15);
    // elephant's documented example: cv2([0.3, 4.5, 6.7, 9.3]) = 0.8226190476190478.
    EXPECT_NEAR(cv2(V{0.3, 4.5, 6.7, 9.3}), 0.8226190476190478, 1e-15);
    EXPECT_NEAR(lv(V{0.3, 4.5, 6.7, 9.3}), (0.875 * 0.875 + (2.2 / 11.2) * (2.2 / 11.2) + (2.6 / 16) * (2.6 / 16)),
                1e-14);
    EXPECT_NEAR(cv(V{1, 3}), 0.5, 1e-15);  // std (ddof 0) 1, mean 2
    // A regular train has no variability; a lone interval has CV 0.
    EXPECT_EQ(cv2(V{5, 5, 5}), 0.0);
    EXPECT_EQ(lv(V{5, 5, 5}), 0.0);
    EXPECT_EQ(cv(V{5}), 0.0);
}

TEST(RateStats, TooFewIntervalsFollowsElephant) {
    EXPECT_THROW(lv(V{1}), InputError);
    EXPECT_THROW(cv2(V{}), InputError);
    EXPECT_THROW(cv(V{}), InputError);
    EXPECT_TRUE(std::isnan(lv(V{1}, TooFew::nan)));
    EXPECT_TRUE(std::isnan(cv2(V{1}, TooFew::nan)));
    EXPECT_TRUE(std::isnan(cv(V{}, TooFew::nan)));
}

TEST(RateStats, FanoRateHistogramCorrelation) {
    const auto r = SpikeRaster::from_trains({{1, 2}, {}, {1, 2, 3, 4}});
    EXPECT_NEAR(fano_factor(r), (8.0 / 3.0) / 2.0, 1e-15);  // counts 2, 0, 4
    EXPECT_TRUE(std::isnan(fano_factor(SpikeRaster::from_trains({{}, {}}))));
    // Bins [0,2), [2,4), [4,5]: 6 spikes over 3 trains.
    const auto rate = population_rate(r, {0, 5}, 2);
    ASSERT_EQ(rate.size(), 3u);
    EXPECT_NEAR(rate[0], 2.0 / (3 * 2), 1e-15);                    // spikes at 1, 1
    EXPECT_NEAR(rate[1], 3.0 / (3 * 2), 1e-15);                    // 2, 2, 3
    EXPECT_NEAR(rate[2], 1.0 / (3 * 1), 1e-15);                    // 4 in the last, 1 ms long bin
    EXPECT_EQ(bin_counts(V{0, 9.99, 10}, {0, 10}, 5), (V{1, 2}));  // a spike on t_end counts in the last bin
    // Counts a = [1,0,2,1], b = [0,1,0,1]: r = -1 / sqrt(2) by hand.
    const auto c = SpikeRaster::from_trains({{0.5, 2.2, 2.7, 3.1}, {1.5, 3.5}, {0.1, 1.1, 2.1, 3.1}});
    const auto m = correlation_matrix(c, {0, 4}, 1);
    EXPECT_NEAR(m[0 * 3 + 1], -1 / std::sqrt(2.0), 1e-15);
    EXPECT_NEAR(m[1 * 3 + 0], -1 / std::sqrt(2.0), 1e-15);
    EXPECT_NEAR(m[0], 1.0, 1e-15);
    EXPECT_TRUE(std::isnan(m[2 * 3 + 0]));                   // constant counts: undefined
    const auto mb = correlation_matrix(c, {0, 4}, 1, true);  // binary: a = [1,0,1,1]
    // a dev [.25,-.75,.25,.25], b dev [-.5,.5,-.5,.5]: dot = -0.5, |a| = sqrt(.75), |b| = 1.
    EXPECT_NEAR(mb[1], -0.5 / std::sqrt(0.75), 1e-15);
}
