// Built-in problems from a [problem] table: the parameter box, the objective count and
// values at points where the closed forms are known, and the seed.
#include <cmath>

#include <gtest/gtest.h>

#include "fit/builtin_problem.hpp"
#include "fit/problem.hpp"
#include "io/config.hpp"

using namespace snnfit;

namespace {
fit::FitConfig config(const std::string& text) {
    return fit::parse_fit_config(io::ConfigDocument::from_string(text, "p.toml"));
}
fit::BuiltinFit problem(const std::string& text) {
    return fit::BuiltinFit(
        fit::parse_builtin_problem(io::ConfigDocument::from_string(text, "p.toml").root().table("problem")));
}
}  // namespace

TEST(FitBuiltin, RosenbrockDefaultsAndOptimum) {
    const auto p = problem("[problem]\nbuiltin = \"rosenbrock\"\n");
    ASSERT_EQ(p.space().size(), 10u);
    EXPECT_EQ(p.space().search_lo(), std::vector<double>(10, -5.0));
    EXPECT_EQ(p.space().search_hi(), std::vector<double>(10, 10.0));
    EXPECT_EQ(p.objectives(), 1u);
    EXPECT_EQ(config("[problem]\nbuiltin = \"rosenbrock\"\n").seed, 1u);
    EXPECT_EQ(p.evaluate(std::vector<double>(10, 1.0), 0).objectives, std::vector<double>{0.0});
    // x = 0: each of the 9 terms is (1 - 0)^2.
    EXPECT_EQ(p.evaluate(std::vector<double>(10, 0.0), 0).objectives, std::vector<double>{9.0});
    EXPECT_TRUE(p.simulate({}, 0).populations.empty());
}

TEST(FitBuiltin, ZdtValuesByHand) {
    const auto p = problem("[problem]\nbuiltin = \"zdt1\"\ndimension = 4\nseed = 9\n");
    EXPECT_EQ(p.objectives(), 2u);
    EXPECT_EQ(config("[problem]\nbuiltin = \"zdt1\"\ndimension = 4\nseed = 9\n").seed, 9u);
    EXPECT_EQ(p.objective_labels(), (std::vector<std::string>{"f1", "f2"}));
    // On the optimal set (x2..xn = 0) g = 1: f = (x1, 1 - sqrt(x1)).
    auto r = p.evaluate(std::vector<double>{0.25, 0, 0, 0}, 0);
    EXPECT_DOUBLE_EQ(r.objectives[0], 0.25);
    EXPECT_DOUBLE_EQ(r.objectives[1], 0.5);
    // x = (1, 1, 1, 1): g = 1 + 9 * 3 / 3 = 10; f2 = 10 (1 - sqrt(0.1)).
    r = p.evaluate(std::vector<double>(4, 1.0), 0);
    EXPECT_DOUBLE_EQ(r.objectives[1], 10.0 * (1.0 - std::sqrt(0.1)));
    // ZDT2 at g = 1: 1 - x1^2; ZDT3 at x1 = 0.05: 1 - sqrt(0.05) - 0.05 sin(pi / 2).
    EXPECT_DOUBLE_EQ(problem("[problem]\nbuiltin = \"zdt2\"\ndimension = 2\n")
                         .evaluate(std::vector<double>{0.5, 0}, 0)
                         .objectives[1],
                     0.75);
    EXPECT_NEAR(problem("[problem]\nbuiltin = \"zdt3\"\ndimension = 2\n")
                    .evaluate(std::vector<double>{0.05, 0}, 0)
                    .objectives[1],
                1.0 - std::sqrt(0.05) - 0.05, 1e-15);
}

TEST(FitBuiltin, BoundsAndRastrigin) {
    const auto p = problem("[problem]\nbuiltin = \"rastrigin\"\ndimension = 3\nlo = -2\nhi = 3\n");
    EXPECT_EQ(p.space().search_lo(), std::vector<double>(3, -2.0));
    EXPECT_EQ(p.space().search_hi(), std::vector<double>(3, 3.0));
    EXPECT_EQ(p.evaluate(std::vector<double>(3, 0.0), 0).objectives, std::vector<double>{0.0});
    // At integer points cos(2 pi x) = 1: the value is sum x^2.
    EXPECT_NEAR(p.evaluate(std::vector<double>{1, 2, -1}, 0).objectives[0], 6.0, 1e-12);
}
