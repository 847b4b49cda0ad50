// Two-sample tests for comparing fitted and target statistics (rates, CVs, distances),
// with p-values from Boost.Math distributions, computed as scipy 1.10 computes them.
#pragma once

#include <span>
#include <vector>

namespace snnfit::metrics {

struct TestResult {
    double statistic;  // t, D or U (U of the first sample, as scipy reports it)
    double p_value;    // two-sided
    double df = 0.0;   // degrees of freedom of a t test; 0 otherwise
};

// Samples need >= 2 values each (paired: equal sizes >= 2), else InputError. When
// the standard error is zero (constant samples) t is undefined: statistic and
// p_value are NaN, as in scipy.
TestResult student_t_test(std::span<const double> x, std::span<const double> y);  // pooled variance
TestResult welch_t_test(std::span<const double> x, std::span<const double> y);    // unequal variances
TestResult paired_t_test(std::span<const double> x, std::span<const double> y);   // on x - y

// Two-sample Kolmogorov-Smirnov (scipy.stats.ks_2samp, method "auto"): the exact
// p-value when both samples have <= 10000 values, else Smirnov's asymptotic
// distribution (Kolmogorov's limit at sqrt(n1 n2 / (n1 + n2)) D; scipy uses kstwo there).
TestResult ks_two_sample(std::span<const double> x, std::span<const double> y);

// Mann-Whitney U (scipy.stats.mannwhitneyu, method "auto", continuity correction):
// the exact null distribution when one sample has <= 8 values and there are no ties,
// else the normal approximation with tie correction. Statistic: U of x.
TestResult mann_whitney_u(std::span<const double> x, std::span<const double> y);

// Two one-sided Welch tests for |mean x - mean y| < margin (Schuirmann 1987). The
// statistic is the smaller |t|, p_value the larger one-sided p; equivalent when p < alpha.
struct TostResult {
    double difference;  // mean x - mean y
    double t_lower;     // (difference + margin) / se, tested > 0
    double t_upper;     // (difference - margin) / se, tested < 0
    double df;          // Welch-Satterthwaite
    double p_lower, p_upper, p_value;
};
TostResult tost_welch(const std::vector<double>& x, const std::vector<double>& y, double margin);

// Cohen's d = (mean x - mean y) / pooled SD, with the 95% confidence interval of the
// normal approximation d +- z_0.975 * sqrt((n1 + n2)/(n1 n2) + d^2 / (2 (n1 + n2)))
// (Hedges & Olkin 1985).
struct EffectSize {
    double d;
    double ci_low;
    double ci_high;
};
EffectSize cohens_d(std::span<const double> x, std::span<const double> y);

}  // namespace snnfit::metrics
