#include "fit/protocol.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/error.hpp"
#include "io/nwb.hpp"
#include "io/sweep_files.hpp"

namespace snnfit::fit {

namespace {

using io::ConfigTable;
using io::Range;

std::vector<io::RecordedSweep> read_file_sweeps(const ConfigTable& t, const std::string& path) {
    const auto ext = std::filesystem::path(path).extension().string();
    const std::string guess = ext == ".csv" ? "csv" : ext == ".json" ? "json" : "nwb";
    const auto format = t.choice_or("format", guess, {"nwb", "csv", "json"});
    if (format == "csv") return io::read_sweep_csv(path);
    if (format == "json") return io::read_sweep_json(path);
    io::NwbOptions o;
    const auto spikes = t.choice_or("spikes", "auto", {"auto", "precomputed", "detect"});
    o.spikes = spikes == "auto"          ? io::NwbOptions::Spikes::automatic
               : spikes == "precomputed" ? io::NwbOptions::Spikes::precomputed
                                         : io::NwbOptions::Spikes::detect;
    o.threshold = t.number_or("threshold", o.threshold);
    std::vector<std::int64_t> numbers;
    if (t.has("sweeps")) numbers = t.integers("sweeps", Range::at_least(0));
    return io::read_nwb_sweeps(path, numbers, o);
}

}  // namespace

Protocol parse_protocol(const ConfigTable& t, const model::NetworkSpec& net, const std::string& population) {
    Protocol p;
    p.population = t.string_or("population", population);
    const auto* pop = net.find_population(p.population);
    if (!pop) t.fail("population", fmt::format("no population named \"{}\"", p.population));
    if (pop->size != 1)
        t.fail("population", fmt::format("population \"{}\" has size {}; a protocol makes one neuron per sweep from "
                                         "a population of size 1",
                                         p.population, pop->size));
    const double scale = t.number_or("current_scale", 1.0, Range::positive());
    // Protocol-level values win over the file's: the user knows the protocol better
    // than a step found in a stimulus trace.
    const auto amplitude = t.find_number("amplitude");
    const auto delay = t.find_number("delay", Range::nonnegative());
    const auto duration = t.find_number("duration", Range::positive());
    const auto length = t.find_number("length", Range::positive());

    std::vector<io::RecordedSweep> rec;
    const auto inline_sweeps = t.tables("sweep");
    if (t.has("file") == !inline_sweeps.empty())
        t.fail(t.has("file") ? "sweep" : "file",
               "a protocol needs exactly one of file or [[fit.protocol.sweep]] tables");
    if (t.has("file")) {
        p.source = t.relative_to_file(t.string("file"));
        rec = read_file_sweeps(t, p.source);
    } else {
        p.source = t.file();
        for (const auto& s : inline_sweeps) {
            io::RecordedSweep r;
            r.name = s.string_or("name", std::to_string(rec.size()));
            r.amplitude = s.find_number("amplitude");
            r.delay = s.find_number("delay", Range::nonnegative());
            r.duration = s.find_number("duration", Range::positive());
            r.length = s.find_number("length", Range::positive());
            r.spikes = s.numbers("spikes", Range::nonnegative());
            for (std::size_t k = 1; k < r.spikes.size(); ++k)
                if (!(r.spikes[k] > r.spikes[k - 1]))
                    s.fail("spikes", fmt::format("spike times must be strictly increasing ({} after {})", r.spikes[k],
                                                 r.spikes[k - 1]));
            s.finish();
            rec.push_back(std::move(r));
        }
    }
    for (const auto& r : rec) {
        Sweep s;
        s.name = r.name;
        auto need = [&](const std::optional<double>& over, const std::optional<double>& own, const char* key) {
            if (over) return *over;
            if (own) return *own;
            t.fail(key, fmt::format("sweep \"{}\" of {} does not give its {}; set it here", r.name, p.source, key));
        };
        s.amplitude = need(amplitude, r.amplitude, "amplitude") * scale;
        s.delay = need(delay, r.delay, "delay");
        s.duration = need(duration, r.duration, "duration");
        s.length = need(length, r.length, "length");
        s.spikes = r.spikes;
        s.voltage = r.voltage;
        s.voltage_dt = r.voltage_dt;
        if (!s.spikes.empty() && s.spikes.back() > s.length)
            t.fail("length", fmt::format("sweep \"{}\" of {} has a spike at {} ms, after its end at {} ms", s.name,
                                         p.source, s.spikes.back(), s.length));
        p.sweeps.push_back(std::move(s));
    }
    t.finish();
    return p;
}

void apply_protocol(const Protocol& p, model::NetworkSpec& net) {
    auto it = std::find_if(net.populations.begin(), net.populations.end(),
                           [&](const model::PopulationSpec& q) { return q.name == p.population; });
    if (it == net.populations.end()) throw InternalError("protocol population vanished: " + p.population);
    it->size = static_cast<std::int64_t>(p.sweeps.size());
    double longest = 0.0;
    // Indices after the config's [[inputs]], so named noise streams of those stay put.
    const std::size_t base = net.currents.size() + net.poisson.size() + net.spike_times.size();
    for (std::size_t i = 0; i < p.sweeps.size(); ++i) {
        const auto& s = p.sweeps[i];
        model::CurrentInputSpec c;
        c.kind = model::CurrentInputSpec::Kind::step;
        c.target = p.population;
        c.neurons = {static_cast<std::int64_t>(i)};
        c.amplitude = s.amplitude;
        c.delay = s.delay;
        c.duration = s.duration;
        c.name = "sweep_" + std::to_string(i);
        c.index = base + i;
        net.currents.push_back(std::move(c));
        longest = std::max(longest, s.length);
    }
    net.simulation.duration = longest;
}

SpikeRaster protocol_target(const Protocol& p) {
    SpikeRaster r;
    for (const auto& s : p.sweeps) r.push_train(s.spikes);
    return r;
}

std::vector<metrics::Window> protocol_windows(const Protocol& p, const metrics::Window& w) {
    std::vector<metrics::Window> out;
    for (const auto& s : p.sweeps) out.push_back({w.t_start, std::min(w.t_end, s.length)});
    return out;
}

}  // namespace snnfit::fit
