#include "fit/parameter_space.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/error.hpp"
#include "io/network_config.hpp"

namespace snnfit::fit {

ParameterSpace::ParameterSpace(std::vector<Parameter> params) : params_(std::move(params)) {
    for (const auto& p : params_) {
        if (!(p.lo <= p.hi)) throw Error(fmt::format("parameter {}: lo = {} is above hi = {}", p.path, p.lo, p.hi));
        if (p.log_scale && !(p.lo > 0))
            throw Error(fmt::format("parameter {}: a log scale needs lo > 0, got {}", p.path, p.lo));
    }
}

std::vector<double> ParameterSpace::search_lo() const {
    std::vector<double> out;
    for (const auto& p : params_) out.push_back(p.log_scale ? std::log10(p.lo) : p.lo);
    return out;
}

std::vector<double> ParameterSpace::search_hi() const {
    std::vector<double> out;
    for (const auto& p : params_) out.push_back(p.log_scale ? std::log10(p.hi) : p.hi);
    return out;
}

std::vector<double> ParameterSpace::decode(const std::vector<double>& x) const {
    if (x.size() != params_.size()) throw InternalError("ParameterSpace::decode: wrong dimension");
    std::vector<double> v(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const auto& p = params_[i];
        double value = p.log_scale ? std::pow(10.0, x[i]) : x[i];
        value = std::clamp(value, p.lo, p.hi);  // pow(10, log10(hi)) may exceed hi by an ulp
        if (p.integer) value = std::clamp(std::round(value), std::ceil(p.lo), std::floor(p.hi));
        v[i] = value;
    }
    return v;
}

std::vector<double> ParameterSpace::encode(const std::vector<double>& values) const {
    if (values.size() != params_.size()) throw InternalError("ParameterSpace::encode: wrong dimension");
    std::vector<double> x(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) x[i] = params_[i].log_scale ? std::log10(values[i]) : values[i];
    return x;
}

void ParameterSpace::apply(model::NetworkSpec& spec, const std::vector<double>& values) const {
    for (std::size_t i = 0; i < params_.size(); ++i) {
        io::spec_field(spec, params_[i].path) = values[i];
        for (const auto& q : params_[i].also) io::spec_field(spec, q) = values[i];
    }
}

void ParameterSpace::check_paths(const model::NetworkSpec& spec) const {
    model::NetworkSpec copy = spec;
    for (const auto& p : params_) {
        (void)io::spec_field(copy, p.path);
        for (const auto& q : p.also) (void)io::spec_field(copy, q);
    }
}

}  // namespace snnfit::fit
