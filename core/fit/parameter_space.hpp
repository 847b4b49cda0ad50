// The parameters a fit searches: each is a numeric field of the model spec named by
// its config path (the --set syntax), with bounds, an optional log scale and an
// optional integer type. The optimizer searches a box in "search coordinates"
// (log10 of the value for log-scaled parameters); decode() maps back to values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/network_spec.hpp"

namespace snnfit::fit {

struct Parameter {
    std::string path;                  // e.g. "populations.E.params.a", "projections.EE.probability"
    std::string name;                  // short label for logs and reports (default: the path)
    double lo = 0.0, hi = 1.0;         // bounds, in the parameter's own units
    bool log_scale = false;            // search log10(value) uniformly; needs lo > 0
    bool integer = false;              // the value is rounded to the nearest integer
    std::optional<double> true_value;  // known ground truth (reports only)
    // More paths that receive the same value (one g for 23 inhibitory projections).
    std::vector<std::string> also = {};
};

class ParameterSpace {
public:
    ParameterSpace() = default;
    explicit ParameterSpace(std::vector<Parameter> params);

    std::size_t size() const { return params_.size(); }
    const std::vector<Parameter>& parameters() const { return params_; }
    // The box in search coordinates.
    std::vector<double> search_lo() const;
    std::vector<double> search_hi() const;
    // Search coordinates -> parameter values (clamped into bounds, rounded if integer).
    std::vector<double> decode(const std::vector<double>& x) const;
    // Parameter values -> search coordinates.
    std::vector<double> encode(const std::vector<double>& values) const;
    // Writes the values into the fields of `spec` (io::spec_field), each into its path
    // and its `also` paths.
    void apply(model::NetworkSpec& spec, const std::vector<double>& values) const;
    // Checks every path resolves to a numeric field of `spec` (throws snnfit::Error).
    void check_paths(const model::NetworkSpec& spec) const;

private:
    std::vector<Parameter> params_;
};

}  // namespace snnfit::fit
