// Recorded sweeps and current-clamp protocols: the NWB 2 reader against files that
// h5py wrote in the Allen layout (tests/fixtures/generators/gen_nwb.py states every
// expected number), the CSV and JSON sweep listings, the first-spike-latency loss by
// hand, and the expansion of [fit.protocol] into one neuron per sweep.
#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "error_of.hpp"
#include "fit/loss.hpp"
#include "fit/problem.hpp"
#include "fit/spike_fit.hpp"
#include "io/nwb.hpp"
#include "io/sweep_files.hpp"

using namespace snnfit;

namespace {

const std::string kNwb = std::string(SNNFIT_FIXTURES) + "/nwb/";

std::string temp_file(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / ("snnfit_sweeps_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST(Nwb, PrecomputedSpikesAndTheStepFromTheStimulus) {
    io::NwbOptions o;
    o.spikes = io::NwbOptions::Spikes::precomputed;
    const auto s = io::read_nwb_sweeps(kNwb + "allen_like.nwb", {5}, o);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].name, "index_05");
    ASSERT_EQ(s[0].spikes.size(), 2u);
    EXPECT_DOUBLE_EQ(s[0].spikes[0], 100.0);  // 0.1 s
    EXPECT_DOUBLE_EQ(s[0].spikes[1], 250.0);
    // 150 pA (stored in amperes) from 100 ms for 200 ms; the 10 ms test pulse is shorter.
    EXPECT_NEAR(*s[0].amplitude, 150.0, 1e-9);
    EXPECT_NEAR(*s[0].delay, 100.0, 1e-9);
    EXPECT_NEAR(*s[0].duration, 200.0, 1e-9);
    EXPECT_NEAR(*s[0].length, 400.0, 1e-9);  // 8000 samples at 20 kHz
}

TEST(Nwb, DetectedSpikesThroughConversionOfIntegerCounts) {
    io::NwbOptions o;
    o.spikes = io::NwbOptions::Spikes::detect;
    const auto s = io::read_nwb_sweeps(kNwb + "allen_like.nwb", {7, 5}, o);
    ASSERT_EQ(s.size(), 2u);
    // int16 counts * 1e-4 V: -5 -> +15 mV between samples 2000 and 2001 crosses 0 at a
    // quarter of the step: 100 + 0.25 * 0.05 ms; -20 -> +20 at 4000/4001 halfway.
    ASSERT_EQ(s[0].spikes.size(), 2u);
    EXPECT_NEAR(s[0].spikes[0], 100.0125, 1e-9);
    EXPECT_NEAR(s[0].spikes[1], 200.025, 1e-9);
    EXPECT_NEAR(*s[0].amplitude, 80.0, 1e-9);  // pA values with conversion 1e-12 A
    EXPECT_NEAR(*s[0].delay, 50.0, 1e-9);
    EXPECT_NEAR(*s[0].duration, 300.0, 1e-9);
    // float32 volts: -10 -> +30 mV at samples 1000/1001 (float32 rounding of the values).
    ASSERT_EQ(s[1].spikes.size(), 1u);
    EXPECT_NEAR(s[1].spikes[0], 50.0125, 1e-6);
}

TEST(Nwb, AutomaticUsesPrecomputedWhereTheFileHasThem) {
    const auto s = io::read_nwb_sweeps(kNwb + "allen_like.nwb", {});
    ASSERT_EQ(s.size(), 2u);  // every acquisition series, in name order
    EXPECT_EQ(s[0].spikes, (std::vector<double>{100.0, 250.0}));
    ASSERT_EQ(s[1].spikes.size(), 2u);
    EXPECT_NEAR(s[1].spikes[0], 100.0125, 1e-9);
}

TEST(Nwb, ThresholdIsConfigurable) {
    io::NwbOptions o;
    o.spikes = io::NwbOptions::Spikes::detect;
    o.threshold = 20.0;  // only the second crossing of sweep 7 reaches +20 mV (exactly at sample 4001)
    const auto s = io::read_nwb_sweeps(kNwb + "allen_like.nwb", {7}, o);
    ASSERT_EQ(s[0].spikes.size(), 1u);
    EXPECT_NEAR(s[0].spikes[0], 200.05, 1e-9);
}

TEST(Nwb, ErrorsAreOneLineNamingFileAndPath) {
    auto one_line = [](const std::string& m) { return m.find('\n') == std::string::npos; };
    const auto missing = error_of([] { io::read_nwb_sweeps(kNwb + "missing_data.nwb", {}); });
    EXPECT_EQ(missing, kNwb + "missing_data.nwb: /acquisition/index_01/data: missing dataset");
    const auto rate = error_of([] { io::read_nwb_sweeps(kNwb + "no_rate.nwb", {}); });
    EXPECT_EQ(rate, kNwb + "no_rate.nwb: /acquisition/index_01/starting_time: missing attribute rate");
    const auto unit = error_of([] { io::read_nwb_sweeps(kNwb + "bad_unit.nwb", {}); });
    EXPECT_NE(unit.find("bad_unit.nwb: /acquisition/index_01/data: unit \"furlongs\""), std::string::npos) << unit;
    const auto number = error_of([] { io::read_nwb_sweeps(kNwb + "allen_like.nwb", {9}); });
    EXPECT_NE(number.find("/acquisition: no series with sweep number 9 (its series: index_05, index_07)"),
              std::string::npos)
        << number;
    io::NwbOptions o;
    o.spikes = io::NwbOptions::Spikes::precomputed;
    const auto pre = error_of([&] { io::read_nwb_sweeps(kNwb + "allen_like.nwb", {7}, o); });
    EXPECT_NE(pre.find("allen_like.nwb: /processing/spikes/Sweep_7: missing group"), std::string::npos) << pre;
    const auto absent = error_of([] { io::read_nwb_sweeps(kNwb + "no_such.nwb", {}); });
    EXPECT_NE(absent.find("no_such.nwb"), std::string::npos) << absent;
    for (const auto& m : {missing, rate, unit, number, pre, absent}) EXPECT_TRUE(one_line(m)) << m;
}

TEST(SweepFiles, CsvAndJsonListings) {
    const auto csv =
        temp_file("s.csv", "# two sweeps\nsweep,amplitude,delay,spikes\nA,150,100,120.5 130.25\nB,-20,,\n");
    const auto c = io::read_sweep_csv(csv);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].name, "A");
    EXPECT_EQ(*c[0].amplitude, 150.0);
    EXPECT_EQ(*c[0].delay, 100.0);
    EXPECT_FALSE(c[0].duration.has_value());
    EXPECT_EQ(c[0].spikes, (std::vector<double>{120.5, 130.25}));
    EXPECT_FALSE(c[1].delay.has_value());
    EXPECT_TRUE(c[1].spikes.empty());

    const auto json = temp_file("s.json", R"({"sweeps": [{"sweep": 3, "amplitude": 90, "length": 500,
        "spikes": [10, 20.5]}, {"sweep": "x", "amplitude": 0, "spikes": []}]})");
    const auto j = io::read_sweep_json(json);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0].name, "3");
    EXPECT_EQ(*j[0].length, 500.0);
    EXPECT_EQ(j[0].spikes, (std::vector<double>{10.0, 20.5}));

    EXPECT_EQ(error_of([] { io::read_sweep_csv(temp_file("b.csv", "sweep,amplitude,spikes\nA,1x,3\n")); }),
              temp_file("b.csv", "sweep,amplitude,spikes\nA,1x,3\n") + ":2: expected a number, got '1x'");
    const auto unsorted = temp_file("u.csv", "sweep,amplitude,spikes\nA,1,5 3\n");
    EXPECT_NE(error_of([&] { io::read_sweep_csv(unsorted); }).find(":2: spike times are not strictly increasing"),
              std::string::npos);
    const auto badjson = temp_file("b.json", R"([{"sweep": 1, "amplitude": 2, "spikes": [1], "colour": 3}])");
    EXPECT_EQ(error_of([&] { io::read_sweep_json(badjson); }),
              badjson +
                  ": sweeps[0]: unknown key \"colour\" (expected sweep, amplitude, delay, duration, length, "
                  "spikes)");
    const auto broken = temp_file("c.json", "{\"sweeps\": [");
    EXPECT_EQ(error_of([&] { io::read_sweep_json(broken); }).rfind(broken + ": not valid JSON: ", 0), 0u);
}

TEST(Loss, FirstSpikeLatencyByHand) {
    fit::LossTerm l;
    l.kind = fit::LossTerm::Kind::first_spike_latency;
    // Sweep windows of 200 and 400 ms; sweep 3 silent on both sides, sweep 4 only in the model.
    const std::vector<metrics::Window> w{{0, 200}, {0, 400}, {0, 400}, {0, 400}};
    const auto model = SpikeRaster::from_trains({{30, 90}, {150}, {}, {10}});
    const auto target = SpikeRaster::from_trains({{50}, {110, 300}, {}, {}});
    // (|30-50|/200 + |150-110|/400 + 0 + 1) / 4 = (0.1 + 0.1 + 0 + 1) / 4
    EXPECT_DOUBLE_EQ(fit::loss_value(l, model, target, w), 0.3);
    l.latency_scale = 100.0;  // (0.2 + 0.4 + 0 + 1) / 4
    EXPECT_DOUBLE_EQ(fit::loss_value(l, model, target, w), 0.4);
    // A spike of the target after its sweep's window is not its first spike.
    const std::vector<metrics::Window> short_w{{0, 200}, {0, 100}, {0, 400}, {0, 400}};
    l.latency_scale.reset();
    // sweep 2: target has no spike before 100 ms, model neither (150 > 100): 0.
    EXPECT_DOUBLE_EQ(fit::loss_value(l, model, target, short_w), (0.1 + 0.0 + 0.0 + 1.0) / 4);
    // Spike count with per-sweep windows: |2-1| + |0-0| + 0 + |1-0| over max(1, 1 + 0) target spikes.
    l.kind = fit::LossTerm::Kind::spike_count;
    EXPECT_DOUBLE_EQ(fit::loss_value(l, model, target, short_w), 2.0);
}

namespace {
const char* kProtocol = R"([simulation]
dt = 0.1
seed = 1

[[populations]]
name = "cell"
model = "adex"

[fit]
t_start = 10.0

[fit.protocol]
delay = 50.0

[[fit.protocol.sweep]]
amplitude = 300.0
duration = 200.0
length = 300.0
spikes = [80.0, 150.0]

[[fit.protocol.sweep]]
name = "long"
amplitude = 500.0
delay = 20.0
duration = 400.0
length = 600.0
spikes = []

[[fit.parameters]]
path = "populations.cell.params.b"
lo = 0.0
hi = 200.0
)";
}  // namespace

TEST(Protocol, ExpandsToOneNeuronPerSweepWithItsWindow) {
    const auto f = fit::read_spike_fit(io::ConfigDocument::from_string(kProtocol, "p.toml"));
    ASSERT_TRUE(f.protocol.has_value());
    EXPECT_EQ(f.network.populations[0].size, 2);
    EXPECT_EQ(f.network.simulation.duration, 600.0);  // the longest sweep
    ASSERT_EQ(f.network.currents.size(), 2u);
    // The protocol-level delay overrides the sweep's own (the user knows the protocol).
    EXPECT_EQ(f.network.currents[0].delay, 50.0);
    EXPECT_EQ(f.network.currents[1].delay, 50.0);
    EXPECT_EQ(f.network.currents[1].amplitude, 500.0);
    EXPECT_EQ(f.network.currents[1].duration, 400.0);
    EXPECT_EQ(f.network.currents[1].neurons, (std::vector<std::int64_t>{1}));
    ASSERT_EQ(f.sweep_windows.size(), 2u);
    EXPECT_EQ(f.sweep_windows[0].t_start, 10.0);
    EXPECT_EQ(f.sweep_windows[0].t_end, 300.0);
    EXPECT_EQ(f.sweep_windows[1].t_end, 600.0);
    fit::SpikeFit p(f);
    EXPECT_EQ(p.targets().at("cell"), SpikeRaster::from_trains({{80.0, 150.0}, {}}));
    // The model neuron of sweep 1 must not be compared after 300 ms: simulate and
    // check the loss equals the distance on the sweep's own window.
    const auto r = p.simulate({80.0}, 1);
    const auto& m = *r.find("cell");
    std::vector<double> first;
    for (double t : m.train(0))
        if (t >= 10.0 && t <= 300.0) first.push_back(t);
    const double d0 = metrics::distance({}, first, std::vector<double>{80.0, 150.0}, {10.0, 300.0});
    const double d1 = metrics::distance({}, m.train(1), std::vector<double>{}, {10.0, 600.0});
    EXPECT_DOUBLE_EQ(p.losses(r)[0], (d0 + d1) / 2);
}

TEST(Protocol, ConfigErrorsNameTheKey) {
    auto parse = [](std::vector<std::string> o) {
        return error_of([&] { fit::parse_fit_config(io::ConfigDocument::from_string(kProtocol, "p.toml", o)); });
    };
    EXPECT_NE(parse({"populations[0].size=2"}).find("fit.protocol.population: population \"cell\" has size 2"),
              std::string::npos);
    EXPECT_NE(parse({"fit.protocol.file=\"x.nwb\""}).find("exactly one of file or [[fit.protocol.sweep]]"),
              std::string::npos);
    EXPECT_NE(parse({"fit.protocol.sweep[0].length=100"}).find("has a spike at 150 ms, after its end at 100 ms"),
              std::string::npos);
    EXPECT_NE(parse({"fit.protocol.delay=-1"}).find("fit.protocol.delay"), std::string::npos);
    EXPECT_NE(parse({"fit.protocol.colour=1"}).find("fit.protocol.colour: unknown key"), std::string::npos);
    EXPECT_NE(parse({"simulation.duration=500"})
                  .find("simulation.duration: a [fit.protocol] runs as long as its "
                        "longest sweep"),
              std::string::npos);
    EXPECT_NE(parse({"fit.target.type=\"simulated\""}).find("fit.target: a [fit.protocol] is the target"),
              std::string::npos);
}
