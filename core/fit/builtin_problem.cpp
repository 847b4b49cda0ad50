#include "fit/builtin_problem.hpp"

#include <fmt/format.h>

#include "opt/test_problems.hpp"

namespace snnfit::fit {

namespace {
using Kind = BuiltinProblem::Kind;
const std::vector<std::pair<Kind, std::string>>& kind_names() {
    static const std::vector<std::pair<Kind, std::string>> v = {
        {Kind::sphere, "sphere"},       {Kind::rosenbrock, "rosenbrock"},
        {Kind::rastrigin, "rastrigin"}, {Kind::zdt1, "zdt1"},
        {Kind::zdt2, "zdt2"},           {Kind::zdt3, "zdt3"}};
    return v;
}
bool is_zdt(Kind k) {
    return k == Kind::zdt1 || k == Kind::zdt2 || k == Kind::zdt3;
}
}  // namespace

const std::string& BuiltinProblem::name() const {
    for (const auto& [k, n] : kind_names())
        if (k == kind) return n;
    return kind_names().front().second;
}

std::size_t BuiltinProblem::objectives() const {
    return is_zdt(kind) ? 2 : 1;
}

std::vector<double> BuiltinProblem::evaluate(std::span<const double> x) const {
    namespace tp = opt::test_problems;
    switch (kind) {
        case Kind::sphere:
            return {tp::sphere(x)};
        case Kind::rosenbrock:
            return {tp::rosenbrock(x)};
        case Kind::rastrigin:
            return {tp::rastrigin(x)};
        case Kind::zdt1:
        case Kind::zdt2:
        case Kind::zdt3: {
            const auto f = tp::zdt(kind == Kind::zdt1 ? 1 : kind == Kind::zdt2 ? 2 : 3, x);
            return {f[0], f[1]};
        }
    }
    return {};
}

BuiltinProblem parse_builtin_problem(const io::ConfigTable& t) {
    BuiltinProblem p;
    std::vector<std::string> allowed;
    for (const auto& [k, n] : kind_names()) allowed.push_back(n);
    const auto name = t.choice("builtin", allowed);
    for (const auto& [k, n] : kind_names())
        if (n == name) p.kind = k;
    const bool zdt = is_zdt(p.kind);
    p.dimension = static_cast<std::size_t>(t.integer_or("dimension", zdt ? 30 : 10, io::Range::closed(2, 100000)));
    if (zdt) {
        p.lo = 0.0, p.hi = 1.0;
        for (const char* key : {"lo", "hi"})
            if (t.has(key)) t.fail(key, fmt::format("{} is defined on [0, 1]^n; its bounds are fixed", name));
    } else {
        if (p.kind == Kind::rosenbrock) p.lo = -5.0, p.hi = 10.0;
        p.lo = t.number_or("lo", p.lo);
        p.hi = t.number_or("hi", p.hi);
        if (!(p.hi > p.lo)) t.fail("hi", fmt::format("expected hi > lo = {}, got {}", p.lo, p.hi));
    }
    p.seed = static_cast<std::uint64_t>(t.integer_or("seed", 1, io::Range::at_least(0)));
    t.finish();
    return p;
}

ProblemConfig builtin_problem_config(const io::ConfigTable& root) {
    for (const auto& key : root.keys())
        if (key != "problem" && key != "optimizer" && key != "checkpoint")
            root.fail(key,
                      "a config with a [problem] table has no neuron model: [problem] replaces [simulation], "
                      "[[populations]] and [fit] (allowed beside it: [optimizer], [checkpoint])");
    const BuiltinProblem b = parse_builtin_problem(root.table("problem"));
    ProblemConfig c;
    c.name = b.name();
    c.seed = b.seed;
    c.dimension = b.dimension;
    c.objectives = b.objectives();
    c.make_problem = [b] { return std::make_unique<BuiltinFit>(b); };
    return c;
}

BuiltinFit::BuiltinFit(BuiltinProblem p) : p_(std::move(p)) {
    std::vector<Parameter> params;
    for (std::size_t i = 0; i < p_.dimension; ++i) {
        Parameter prm;
        prm.name = prm.path = fmt::format("x{}", i + 1);
        prm.lo = p_.lo;
        prm.hi = p_.hi;
        params.push_back(prm);
    }
    space_ = ParameterSpace(std::move(params));
}

std::vector<std::string> BuiltinFit::objective_labels() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < p_.objectives(); ++i) out.push_back(fmt::format("f{}", i + 1));
    return out;
}

std::vector<std::string> BuiltinFit::objective_populations() const {
    return std::vector<std::string>(p_.objectives(), "");
}

std::string BuiltinFit::describe_objectives() const {
    return fmt::format("{} objectives of built-in {}", p_.objectives(), p_.name());
}

opt::EvalResult BuiltinFit::evaluate(std::span<const double> x, std::uint64_t /*seed*/) const {
    return opt::EvalResult::ok(p_.evaluate(space_.decode({x.begin(), x.end()})));
}

}  // namespace snnfit::fit
