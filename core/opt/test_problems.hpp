// Classic test functions for the optimizer's tests, benchmarks and the built-in problems
// of a config (minimum 0 at the origin for sphere and Rastrigin, at (1, ..., 1) for
// Rosenbrock; ZDT1-3 of Zitzler, Deb & Thiele 2000: two objectives on [0, 1]^n whose
// Pareto-optimal set is x_2 = ... = x_n = 0).
#pragma once

#include <array>
#include <cmath>
#include <numbers>
#include <span>
#include <stdexcept>

#include "common/rng.hpp"
#include "opt/evaluator.hpp"
#include "opt/settings.hpp"

namespace snnfit::opt::test_problems {

inline double sphere(std::span<const double> x) {
    double s = 0.0;
    for (double v : x) s += v * v;
    return s;
}

// 10 d + sum (x^2 - 10 cos(2 pi x)); many local minima on the integer grid.
inline double rastrigin(std::span<const double> x) {
    double s = 10.0 * static_cast<double>(x.size());
    for (double v : x) s += v * v - 10.0 * std::cos(2.0 * std::numbers::pi * v);
    return s;
}

inline double rosenbrock(std::span<const double> x) {
    double s = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
        const double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
        s += 100.0 * a * a + b * b;
    }
    return s;
}

// The ZDT family shares f1 = x1 and g = 1 + 9 / (n - 1) sum_{i >= 2} x_i; h differs:
// ZDT1 h = 1 - sqrt(f1 / g) (convex front f2 = 1 - sqrt(f1)), ZDT2 h = 1 - (f1 / g)^2
// (concave), ZDT3 h = 1 - sqrt(f1 / g) - (f1 / g) sin(10 pi f1) (disconnected).
inline std::array<double, 2> zdt(int which, std::span<const double> x) {
    double sum = 0.0;
    for (std::size_t i = 1; i < x.size(); ++i) sum += x[i];
    const double f1 = x[0];
    const double g = 1.0 + (x.size() > 1 ? 9.0 * sum / static_cast<double>(x.size() - 1) : 0.0);
    const double r = f1 / g;
    double h = 1.0 - std::sqrt(r);
    if (which == 2) h = 1.0 - r * r;
    if (which == 3) h = 1.0 - std::sqrt(r) - r * std::sin(10.0 * std::numbers::pi * f1);
    return {f1, g * h};
}

// A single-objective Objective from one of the functions above (the seed is unused).
inline Objective objective(double (*f)(std::span<const double>)) {
    return [f](std::span<const double> x, std::uint64_t) { return EvalResult::ok({f(x)}); };
}

inline Bounds box(std::size_t dim, double lo, double hi) {
    return {std::vector<double>(dim, lo), std::vector<double>(dim, hi)};
}

// Two objectives: sphere plus seed-dependent noise, and a seed-dependent uniform; failing
// (throwing) in one corner and invalid in another, so that seeds, penalties and failure
// handling are exercised together.
inline EvalResult noisy_sphere(std::span<const double> x, std::uint64_t seed) {
    if (x[0] > 0.9) throw std::runtime_error("corner");
    if (x[1] > 0.9) return EvalResult::invalid("runaway");
    Rng r(seed, 0);
    return EvalResult::ok({sphere(x) + 0.01 * r.normal(), r.uniform()});
}

}  // namespace snnfit::opt::test_problems
