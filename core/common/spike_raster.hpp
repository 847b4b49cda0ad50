// Spike trains of many neurons in one compressed-row layout: `times` holds all
// trains back to back and train i is times[offsets[i], offsets[i+1]). The same two
// arrays are what HDF5 files store (DESIGN.md, "a spike raster").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace snnfit {

struct SpikeRaster {
    std::vector<double> times;               // ms in memory (seconds only in files)
    std::vector<std::int64_t> offsets{0};    // size() + 1 entries, offsets[0] == 0

    std::size_t size() const { return offsets.size() - 1; }
    std::size_t spike_count() const { return times.size(); }
    std::span<const double> train(std::size_t i) const {
        return {times.data() + offsets[i], static_cast<std::size_t>(offsets[i + 1] - offsets[i])};
    }
    void push_train(std::span<const double> t) {
        times.insert(times.end(), t.begin(), t.end());
        offsets.push_back(static_cast<std::int64_t>(times.size()));
    }
    static SpikeRaster from_trains(const std::vector<std::vector<double>>& trains) {
        SpikeRaster r;
        for (const auto& t : trains) r.push_train(t);
        return r;
    }
    std::vector<std::vector<double>> to_trains() const {
        std::vector<std::vector<double>> out(size());
        for (std::size_t i = 0; i < size(); ++i) out[i].assign(train(i).begin(), train(i).end());
        return out;
    }
    bool operator==(const SpikeRaster&) const = default;
};

}  // namespace snnfit
