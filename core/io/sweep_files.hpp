// Recorded current-clamp sweeps as a fit reads them: the step each sweep applied
// (when the file says) and the spike times it evoked. Readers for a plain CSV and a
// JSON listing; NWB files are read by io/nwb.hpp into the same struct.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace snnfit::io {

// Times in ms from the start of the sweep, currents in pA. A field the file does not
// give is empty, and the protocol ([fit.protocol]) must supply it.
struct RecordedSweep {
    std::string name;
    std::optional<double> amplitude;  // pA
    std::optional<double> delay;      // ms, start of the step
    std::optional<double> duration;   // ms, length of the step
    std::optional<double> length;     // ms, length of the whole sweep
    std::vector<double> spikes;       // ms, strictly increasing
    // The recorded voltage (mV, sample k at k * voltage_dt ms), when the file has it
    // (NWB); voltage features of the target are computed on it.
    std::vector<double> voltage;
    double voltage_dt = 0.0;  // ms
};

// CSV with a header naming the columns: `sweep`, `amplitude` and `spikes` are
// required, `delay`, `duration`, `length` optional; `spikes` holds the sweep's spike
// times separated by blanks (an empty field: no spike). '#' starts a comment line.
//   sweep,amplitude,delay,duration,length,spikes
//   Sweep_3,150,100,600,1000,131.2 170.5 230.1
std::vector<RecordedSweep> read_sweep_csv(const std::string& path);

// JSON: {"sweeps": [{"sweep": "Sweep_3", "amplitude": 150, "delay": 100,
//   "duration": 600, "length": 1000, "spikes": [131.2, 170.5]}, ...]} or the bare array.
std::vector<RecordedSweep> read_sweep_json(const std::string& path);

// Checks what every reader promises (finite, strictly increasing spike times,
// positive lengths); `where` names the file in the message.
void check_sweep(const RecordedSweep& s, const std::string& where);

}  // namespace snnfit::io
