// Point-neuron cells and pulse generators imported from NeuroML 2 files (the role
// NetPyNE's importCellParams plays): a cell becomes a population's model and
// parameters in snnfit's units, a pulseGenerator a step input. Subset: README.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace snnfit::io {

// A cell as snnfit sees it: a model name of model::model_catalog() and the values of
// its parameters in that model's units (mV, ms, pF, nS, pA).
struct NeuromlCell {
    std::string id;
    std::string element;  // izhikevichCell, adExIaFCell, ...
    std::string model;    // izhikevich2003, adex, ...
    std::vector<std::pair<std::string, double>> params;
};

// A square current pulse; amplitude in pA, or dimensionless for pulseGeneratorDL
// (the current unit of izhikevichCell and snnfit's izhikevich2003).
struct NeuromlPulse {
    std::string id;
    double delay = 0.0, duration = 0.0, amplitude = 0.0;  // ms, ms, pA (or 1)
    bool dimensionless = false;
};

struct NeuromlDocument {
    std::string file;
    std::vector<NeuromlCell> cells;
    std::vector<NeuromlPulse> pulses;
    const NeuromlCell* find_cell(const std::string& id) const;
    const NeuromlPulse* find_pulse(const std::string& id) const;
    // "a, b, c" or "none", for the message of an id that is not there.
    std::string cell_ids() const;
    std::string pulse_ids() const;
};

// Reads a NeuroML 2 file. Throws InputError "FILE:LINE: <element id=...>: what" for a
// malformed file, an unknown element, a missing attribute or a value whose unit does
// not fit its dimension.
NeuromlDocument read_neuroml(const std::string& path);

// A NeuroML quantity ("-70mV", "0.2 nF", "3e-3 per_ms") in snnfit's unit of its
// dimension: voltage mV, time ms, capacitance pF, conductance nS, current pA,
// per_time 1/ms, conductance_per_voltage nS/mV, dimensionless 1. Throws snnfit::Error
// (message without the file; the reader adds it).
double neuroml_quantity(const std::string& text, const std::string& dimension);

}  // namespace snnfit::io
