// Current-clamp protocols: the sweeps of a recording (a step of current each, and the
// spike times it evoked) turned into a network spec of one neuron per sweep with its
// own step input, a target raster, and one loss window per sweep.
#pragma once

#include <string>
#include <vector>

#include "common/spike_raster.hpp"
#include "io/config.hpp"
#include "metrics/spike_train.hpp"
#include "model/network_spec.hpp"

namespace snnfit::fit {

struct Sweep {
    std::string name;
    double amplitude = 0.0;      // model current units (pA, or izhikevich2003's units after current_scale)
    double delay = 0.0;          // ms
    double duration = 0.0;       // ms, of the step
    double length = 0.0;         // ms, of the sweep: simulated and compared on [t_start, length]
    std::vector<double> spikes;  // ms from the sweep start
    // The recorded voltage (mV, sample k at k * voltage_dt ms) when the file has one (NWB).
    std::vector<double> voltage;
    double voltage_dt = 0.0;
};

struct Protocol {
    std::string population;  // expanded to one neuron per sweep
    std::string source;      // the file the sweeps came from, or the config (for messages)
    std::vector<Sweep> sweeps;
};

// Reads [fit.protocol]: sweeps from a file (NWB, CSV or JSON) or from inline
// [[fit.protocol.sweep]] tables, with protocol-level delay/duration/length/amplitude
// overriding what the file says. Calls t.finish().
Protocol parse_protocol(const io::ConfigTable& t, const model::NetworkSpec& net, const std::string& population);

// One neuron per sweep: the population's size becomes the number of sweeps, each
// neuron gets its sweep's step, and the run lasts as long as the longest sweep.
void apply_protocol(const Protocol& p, model::NetworkSpec& net);

// The recorded spikes, train i = sweep i.
SpikeRaster protocol_target(const Protocol& p);

// The loss window of each sweep: [t_start, min(t_end, length)].
std::vector<metrics::Window> protocol_windows(const Protocol& p, const metrics::Window& w);

}  // namespace snnfit::fit
