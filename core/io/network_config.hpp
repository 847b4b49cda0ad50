// Reads the network part of a config ([simulation], [[populations]], [[projections]],
// [[inputs]], [recording]) into a model::NetworkSpec, checking every name, type and
// range; and addresses the numbers of a parsed spec by their config path.
#pragma once

#include "io/config.hpp"
#include "model/network_spec.hpp"

namespace snnfit::io {

// Reads the network sections of `root` and marks them used; the caller, which owns
// the other sections, calls root.finish().
model::NetworkSpec parse_network(const ConfigTable& root);

// A per-neuron value: a number, or a table {dist = "uniform"|"normal"|"scaled", ...}.
model::Distribution parse_distribution(const ConfigTable& table, std::string_view key,
                                       const Range& range = Range::any());

// The numeric field of a parsed spec at a config path in the --set syntax, so a fit
// can write candidate values into a copy of the spec without re-parsing TOML:
//   simulation.dt | .duration | .max_rate
//   populations.NAME.params.P           (a constant; added with the model/preset
//                                        default if the config did not set P)
//   populations.NAME.params.P.mean      (a distribution's parameter: value, lo, hi,
//                                        mean, sd, base, scale, power as it has them)
//   projections.NAME.probability | .weight | .weight.mean ... | .weight_scale |
//       .delay | .delay.lo ... | .release_probability | .tau | .e_rev
//   inputs.NAME.amplitude | .mean | .std | .delay | .duration | .interval   (currents)
//   inputs[K].rate | .start | .stop | .weight | .tau | .e_rev               (poisson)
//   inputs[K].weight | .tau | .e_rev                                        (spike_times)
// An element is named by its `name` or by [K], its position in the config's array.
// Throws snnfit::Error naming the path and what is addressable there. The reference
// stays valid until the spec's vectors change size.
double& spec_field(model::NetworkSpec& spec, std::string_view path);
// The unit of the number at `path` ("ms", "mV", "pA", "nS", "pF", "Hz", "1" for a pure
// number; a model parameter's unit as `snnfit simulate --list-models` prints it). Throws as
// spec_field for a path that does not resolve.
std::string spec_field_unit(const model::NetworkSpec& spec, std::string_view path);

}  // namespace snnfit::io
