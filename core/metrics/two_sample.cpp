#include "metrics/two_sample.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include <fmt/core.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "common/error.hpp"

namespace snnfit::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_sample(std::span<const double> x, std::size_t min_size, const char* test, const char* which) {
    if (x.size() < min_size)
        throw InputError(
            fmt::format("{}: the {} sample has {} value(s), at least {} are needed", test, which, x.size(), min_size));
    for (double v : x)
        if (!std::isfinite(v)) throw InputError(fmt::format("{}: the {} sample holds a non-finite value", test, which));
}

double mean(std::span<const double> x) {
    return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// Unbiased variance (ddof = 1), two-pass.
double variance(std::span<const double> x, double m) {
    double s = 0.0;
    for (double v : x) s += (v - m) * (v - m);
    return s / static_cast<double>(x.size() - 1);
}

// Two-sided p-value of t with df degrees of freedom.
TestResult t_result(double t, double df) {
    if (!std::isfinite(t) || !(df > 0)) return {kNaN, kNaN, df};
    const boost::math::students_t dist(df);
    return {t, std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)))), df};
}

double normal_sf(double z) {
    if (std::isnan(z)) return kNaN;
    if (z == std::numeric_limits<double>::infinity()) return 0.0;
    if (z == -std::numeric_limits<double>::infinity()) return 1.0;
    return boost::math::cdf(boost::math::complement(boost::math::normal(), z));
}

}  // namespace

TestResult student_t_test(std::span<const double> x, std::span<const double> y) {
    check_sample(x, 2, "Student t test", "first");
    check_sample(y, 2, "Student t test", "second");
    const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
    const double m1 = mean(x), m2 = mean(y);
    const double df = n1 + n2 - 2;
    const double sp2 = ((n1 - 1) * variance(x, m1) + (n2 - 1) * variance(y, m2)) / df;
    const double se = std::sqrt(sp2 * (1 / n1 + 1 / n2));
    return t_result((m1 - m2) / se, df);
}

TestResult welch_t_test(std::span<const double> x, std::span<const double> y) {
    check_sample(x, 2, "Welch t test", "first");
    check_sample(y, 2, "Welch t test", "second");
    const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
    const double m1 = mean(x), m2 = mean(y);
    const double a = variance(x, m1) / n1, b = variance(y, m2) / n2;
    const double df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
    return t_result((m1 - m2) / std::sqrt(a + b), df);
}

TestResult paired_t_test(std::span<const double> x, std::span<const double> y) {
    check_sample(x, 2, "paired t test", "first");
    check_sample(y, 2, "paired t test", "second");
    if (x.size() != y.size())
        throw InputError(fmt::format("paired t test: the samples have {} and {} values; pairs need equal sizes",
                                     x.size(), y.size()));
    std::vector<double> d(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) d[i] = x[i] - y[i];
    const double n = static_cast<double>(d.size());
    const double m = mean(d);
    return t_result(m / std::sqrt(variance(d, m) / n), n - 1);
}

// ---- Kolmogorov-Smirnov ----------------------------------------------------------------

namespace {

// P(D_{n,n} >= h/n): scipy's _compute_prob_outside_square (Horner form of the
// alternating binomial sum).
double prob_outside_square(long n, long h) {
    double p = 0.0;
    for (long k = n / h; k >= 0; --k) {
        double p1 = 1.0;
        for (long j = 0; j < h; ++j)
            p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
        p = p1 * (1.0 - p);
    }
    return 2 * p;
}

// Proportion of lattice paths (0,0)->(m,n) that do not stay strictly inside
// |x/m - y/n| < h/lcm: scipy's _compute_outer_prob_inside_method (Hodges; Viehmann's
// 1 - p recursion on probabilities, one sliding column).
double outer_prob_inside(long m, long n, long g, long h) {
    if (m < n) std::swap(m, n);
    const long mg = m / g, ng = n / g;
    long minj = 0,
         maxj = std::min(static_cast<long>(std::ceil(static_cast<double>(h) / static_cast<double>(mg))), n + 1);
    long curlen = maxj - minj;
    const long len_a = std::min(2 * maxj + 2, n + 1);
    std::vector<double> a(static_cast<std::size_t>(std::max(len_a, 1L)), 1.0);
    for (long j = minj; j < maxj; ++j) a[static_cast<std::size_t>(j)] = 0.0;
    for (long i = 1; i <= m; ++i) {
        const long lastminj = minj, lastlen = curlen;
        minj =
            std::max(static_cast<long>(std::floor(static_cast<double>(ng * i - h) / static_cast<double>(mg))) + 1, 0L);
        minj = std::min(minj, n);
        maxj = std::min(static_cast<long>(std::ceil(static_cast<double>(ng * i + h) / static_cast<double>(mg))), n + 1);
        if (maxj <= minj) return 1.0;
        double val = minj == 0 ? 0.0 : 1.0;
        for (long jj = 0; jj < maxj - minj; ++jj) {
            const long j = jj + minj;
            val = (a[static_cast<std::size_t>(jj + minj - lastminj)] * static_cast<double>(i) +
                   val * static_cast<double>(j)) /
                  static_cast<double>(i + j);
            a[static_cast<std::size_t>(jj)] = val;
        }
        curlen = maxj - minj;
        if (lastlen > curlen)
            for (long k = maxj - minj; k < maxj - minj + (lastlen - curlen); ++k) a[static_cast<std::size_t>(k)] = 1.0;
    }
    return a[static_cast<std::size_t>(maxj - minj - 1)];
}

// Kolmogorov's limiting survival function Q(z) = 2 sum (-1)^(k-1) exp(-2 k^2 z^2).
double kolmogorov_sf(double z) {
    if (z <= 0) return 1.0;
    if (z < 1.18) {  // the theta-function form converges faster for small z
        const double pi = 3.14159265358979323846;
        const double c = std::sqrt(2 * pi) / z;
        double s = 0.0;
        for (int k = 1; k <= 20; ++k) s += std::exp(-(2 * k - 1) * (2 * k - 1) * pi * pi / (8 * z * z));
        return 1.0 - c * s;
    }
    double s = 0.0;
    for (int k = 1; k <= 100; ++k) {
        const double t = std::exp(-2.0 * k * k * z * z);
        s += (k % 2 ? 1 : -1) * t;
        if (t < 1e-18) break;
    }
    return std::clamp(2 * s, 0.0, 1.0);
}

}  // namespace

TestResult ks_two_sample(std::span<const double> x, std::span<const double> y) {
    check_sample(x, 1, "Kolmogorov-Smirnov test", "first");
    check_sample(y, 1, "Kolmogorov-Smirnov test", "second");
    std::vector<double> a(x.begin(), x.end()), b(y.begin(), y.end());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const long n1 = static_cast<long>(a.size()), n2 = static_cast<long>(b.size());
    // D = max over all data points of |F1 - F2| with right-continuous ECDFs.
    double dmax = 0.0, dmin = 0.0;
    for (const auto* v : {&a, &b})
        for (double t : *v) {
            const double f1 =
                static_cast<double>(std::upper_bound(a.begin(), a.end(), t) - a.begin()) / static_cast<double>(n1);
            const double f2 =
                static_cast<double>(std::upper_bound(b.begin(), b.end(), t) - b.begin()) / static_cast<double>(n2);
            dmax = std::max(dmax, f1 - f2);
            dmin = std::max(dmin, f2 - f1);
        }
    double d = std::max(dmax, std::clamp(dmin, 0.0, 1.0));
    const long g = std::gcd(n1, n2);
    if (std::max(n1, n2) <= 10000) {
        const long lcm = (n1 / g) * n2;
        const long h = std::lround(d * static_cast<double>(lcm));
        d = static_cast<double>(h) / static_cast<double>(lcm);
        if (h == 0) return {d, 1.0};
        const double p = n1 == n2 ? prob_outside_square(n1, h) : outer_prob_inside(n1, n2, g, h);
        if (p >= 0 && p <= 1) return {d, p};
    }
    const double en = std::round(static_cast<double>(n1) * static_cast<double>(n2) / static_cast<double>(n1 + n2));
    return {d, std::clamp(kolmogorov_sf(std::sqrt(en) * d), 0.0, 1.0)};
}

// ---- Mann-Whitney U ----------------------------------------------------------------------

namespace {

__extension__ typedef __int128 Int128;

// P(U >= u) for sample sizes m, n without ties: the counts of U are the coefficients of
// the Gaussian binomial [m+n choose m]_q, built as prod_i (1 - q^(n+i)) / (1 - q^i) with
// exact 128-bit integers (enough while C(m+n, m) < 1e37).
double mwu_exact_sf(long u, long m, long n) {
    if (m > n) std::swap(m, n);
    const long deg = m * n;
    std::vector<Int128> c(static_cast<std::size_t>(deg + 1), 0);
    c[0] = 1;
    long cur = 0;
    for (long i = 1; i <= m; ++i) {
        const long step = n + i;
        cur += n;
        for (long k = cur; k >= step; --k) c[static_cast<std::size_t>(k)] -= c[static_cast<std::size_t>(k - step)];
        for (long k = i; k <= cur; ++k) c[static_cast<std::size_t>(k)] += c[static_cast<std::size_t>(k - i)];
    }
    Int128 total = 0, upper = 0;
    for (long k = 0; k <= deg; ++k) {
        total += c[static_cast<std::size_t>(k)];
        if (k >= u) upper += c[static_cast<std::size_t>(k)];
    }
    return static_cast<double>(static_cast<long double>(upper) / static_cast<long double>(total));
}

}  // namespace

TestResult mann_whitney_u(std::span<const double> x, std::span<const double> y) {
    check_sample(x, 1, "Mann-Whitney U test", "first");
    check_sample(y, 1, "Mann-Whitney U test", "second");
    const std::size_t n1 = x.size(), n2 = y.size(), n = n1 + n2;
    std::vector<std::pair<double, std::size_t>> all(n);
    for (std::size_t i = 0; i < n1; ++i) all[i] = {x[i], i};
    for (std::size_t j = 0; j < n2; ++j) all[n1 + j] = {y[j], n1 + j};
    std::sort(all.begin(), all.end());
    // Average ranks for ties, and the tie term sum(t^3 - t).
    double r1 = 0.0, tie_term = 0.0;
    bool ties = false;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && all[j].first == all[i].first) ++j;
        const double rank = 0.5 * static_cast<double>(i + 1 + j);  // mean of ranks i+1 .. j
        const double t = static_cast<double>(j - i);
        if (j - i > 1) ties = true, tie_term += t * t * t - t;
        for (std::size_t k = i; k < j; ++k)
            if (all[k].second < n1) r1 += rank;
        i = j;
    }
    const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
    const double u1 = r1 - dn1 * (dn1 + 1) / 2;
    const double u = std::max(u1, dn1 * dn2 - u1);
    double p;
    // (The 128-bit counts limit the exact branch to samples of <= 50000 values.)
    const bool exact = (n1 <= 8 || n2 <= 8) && !ties && std::max(n1, n2) <= 50000;
    if (exact) {
        p = 2.0 * mwu_exact_sf(std::lround(u), static_cast<long>(n1), static_cast<long>(n2));
    } else {
        const double dn = static_cast<double>(n);
        const double s = std::sqrt(dn1 * dn2 / 12 * ((dn + 1) - tie_term / (dn * (dn - 1))));
        const double z = (u - dn1 * dn2 / 2 - 0.5) / s;
        p = 2.0 * normal_sf(z);
    }
    return {u1, std::clamp(p, 0.0, 1.0)};
}

EffectSize cohens_d(std::span<const double> x, std::span<const double> y) {
    check_sample(x, 2, "Cohen's d", "first");
    check_sample(y, 2, "Cohen's d", "second");
    const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
    const double m1 = mean(x), m2 = mean(y);
    const double sp = std::sqrt(((n1 - 1) * variance(x, m1) + (n2 - 1) * variance(y, m2)) / (n1 + n2 - 2));
    const double d = (m1 - m2) / sp;
    const double se = std::sqrt((n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2)));
    const double z = boost::math::quantile(boost::math::normal(), 0.975);
    return {d, d - z * se, d + z * se};
}

TostResult tost_welch(const std::vector<double>& x, const std::vector<double>& y, double margin) {
    if (x.size() < 2 || y.size() < 2) throw InputError("TOST needs at least 2 values in each sample");
    if (!(margin > 0.0)) throw InputError(fmt::format("TOST margin must be > 0, got {}", margin));
    const double nx = static_cast<double>(x.size()), ny = static_cast<double>(y.size());
    const double vx = variance(x, mean(x)) / nx, vy = variance(y, mean(y)) / ny;
    const double se = std::sqrt(vx + vy);
    TostResult r{};
    r.difference = mean(x) - mean(y);
    r.df = (vx + vy) * (vx + vy) / (vx * vx / (nx - 1.0) + vy * vy / (ny - 1.0));
    if (!(se > 0.0)) {  // constant samples: equivalence is decided by the difference itself
        r.t_lower = r.t_upper = std::nan("");
        r.p_lower = r.difference > -margin ? 0.0 : 1.0;
        r.p_upper = r.difference < margin ? 0.0 : 1.0;
        r.p_value = std::max(r.p_lower, r.p_upper);
        return r;
    }
    boost::math::students_t dist(r.df);
    r.t_lower = (r.difference + margin) / se;
    r.t_upper = (r.difference - margin) / se;
    r.p_lower = boost::math::cdf(boost::math::complement(dist, r.t_lower));  // H0: difference <= -margin
    r.p_upper = boost::math::cdf(dist, r.t_upper);                           // H0: difference >= margin
    r.p_value = std::max(r.p_lower, r.p_upper);
    return r;
}

}  // namespace snnfit::metrics
