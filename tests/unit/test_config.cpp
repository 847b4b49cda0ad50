// Strict config reading: every error path names the file, line and key.
#include <fstream>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "io/config.hpp"
#include "io/network_config.hpp"

using snnfit::ConfigError;
using snnfit::io::ConfigDocument;
using snnfit::io::Range;

namespace {

ConfigDocument doc(const std::string& text, std::vector<std::string> overrides = {}) {
    return ConfigDocument::from_string(text, "test.toml", overrides);
}

// Runs f and returns the ConfigError's message; fails the test if none is thrown.
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no ConfigError thrown";
    return "";
}

const char* kMinimal = R"([simulation]
dt = 0.1
duration = 100.0

[[populations]]
name = "e"
size = 3
model = "izhikevich2003"
preset = "RS"
)";

}  // namespace

TEST(Config, ReadsNumbersIntegersStrings) {
    auto d = doc("a = 1\nb = 2.5\nc = \"x\"\nd = true\ne = [1, 2.5]\n");
    auto r = d.root();
    EXPECT_EQ(r.number("a"), 1.0);  // an integer is a valid number
    EXPECT_EQ(r.number("b"), 2.5);
    EXPECT_EQ(r.string("c"), "x");
    EXPECT_TRUE(r.boolean("d"));
    EXPECT_EQ(r.numbers("e"), (std::vector<double>{1.0, 2.5}));
    EXPECT_EQ(r.number_or("missing", 7.0), 7.0);
    EXPECT_NO_THROW(r.finish());
}

TEST(Config, UnknownKeyNamesLineKeyAndTheValidKeys) {
    auto d = doc("[simulation]\ndt = 0.1\ndtt = 0.2\n");
    auto r = d.root();
    auto sim = r.table("simulation");
    sim.number_or("dt", 0.1);
    sim.number_or("duration", 1.0);
    EXPECT_EQ(error_of([&] { sim.finish(); }),
              "test.toml:3: simulation.dtt: unknown key (expected one of: dt or duration)");
}

TEST(Config, WrongTypeNamesWhatWasExpected) {
    auto d = doc("[simulation]\ndt = \"fast\"\n");
    EXPECT_EQ(error_of([&] { d.root().table("simulation").number("dt", Range::positive()); }),
              "test.toml:2: simulation.dt: expected a number > 0, got string \"fast\"");
    auto d2 = doc("n = 2.5\n");
    EXPECT_EQ(error_of([&] { d2.root().integer("n"); }), "test.toml:1: n: expected an integer, got float 2.5");
}

TEST(Config, MissingRequiredKeyNamesTheTable) {
    auto d = doc("[inputs]\ntype = \"step\"\n");
    EXPECT_EQ(error_of([&] { d.root().table("inputs").number("amplitude"); }),
              "test.toml:1: inputs.amplitude: missing required key (expected a finite number in [inputs])");
}

TEST(Config, OutOfRangeValue) {
    auto d = doc("p = 1.5\n");
    EXPECT_EQ(error_of([&] { d.root().number("p", Range::probability()); }),
              "test.toml:1: p: expected a number in [0, 1], got 1.5");
}

TEST(Config, SyntaxErrorIsOneLineWithLineNumber) {
    const auto msg = error_of([] { doc("a = 1\nb = \n"); });
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(msg.rfind("test.toml:2: TOML syntax error", 0), 0u) << msg;
}

TEST(Config, UnreadableFile) {
    const auto msg = error_of([] { ConfigDocument::from_file("/nonexistent/x.toml"); });
    EXPECT_EQ(msg, "/nonexistent/x.toml: cannot open the config file (missing or unreadable)");
}

TEST(Config, OverridesSetNestedKeysByNameAndIndex) {
    auto d = doc(kMinimal, {"simulation.dt=0.05", "populations.e.size=7", "populations[0].preset=FS"});
    auto net = snnfit::io::parse_network(d.root());
    EXPECT_EQ(net.simulation.dt, 0.05);
    EXPECT_EQ(net.populations.at(0).size, 7);
    EXPECT_EQ(net.populations.at(0).preset, "FS");
}

TEST(Config, OverrideErrorsNameTheOverride) {
    EXPECT_EQ(error_of([] { doc(kMinimal, {"populations.x.size=7"}); }),
              "--set populations.x.size=7: populations.x.size: no element of 'populations' has name = \"x\"");
    EXPECT_EQ(error_of([] { doc(kMinimal, {"nonsense"}); }),
              "--set nonsense: expected KEY=VALUE, e.g. --set simulation.dt=0.05");
    auto d = doc(kMinimal, {"simulation.dt=fast"});
    EXPECT_EQ(error_of([&] { snnfit::io::parse_network(d.root()); }),
              "--set simulation.dt=fast: simulation.dt: expected a number > 0, got string \"fast\"");
}

TEST(NetworkConfig, RejectsUnknownModelPresetAndParameter) {
    using snnfit::io::parse_network;
    EXPECT_EQ(error_of([] {
                  parse_network(doc(kMinimal, {"populations.e.model=hh2"}).root());
              }).rfind("--set populations.e.model=hh2: populations[0].model: unknown neuron model \"hh2\" (known: ", 0),
              0u);
    EXPECT_EQ(
        error_of([] {
            parse_network(doc(kMinimal, {"populations.e.preset=XX"}).root());
        }).rfind("--set populations.e.preset=XX: populations[0].preset: model izhikevich2003 has no preset \"XX\"", 0),
        0u);
    EXPECT_EQ(error_of([] {
                  parse_network(doc(std::string(kMinimal) + "[populations.params]\nq = 1\n").root());
              }).rfind("test.toml:11: populations[0].params.q: model izhikevich2003 has no parameter \"q\"", 0),
              0u);
}

TEST(NetworkConfig, InputsMustTargetExistingPopulationsAndNeurons) {
    using snnfit::io::parse_network;
    const std::string base = kMinimal;
    EXPECT_EQ(error_of([&] {
                  parse_network(
                      doc(base + "[[inputs]]\ntype = \"step\"\ntarget = \"i\"\namplitude = 1\nduration = 5\n").root());
              }),
              "test.toml:12: inputs[0].target: no population named \"i\"");
    EXPECT_EQ(error_of([&] {
                  parse_network(
                      doc(base + "[[inputs]]\ntype = \"constant\"\ntarget = \"e\"\namplitude = 1\nneurons = [0, 3]\n")
                          .root());
              }),
              "test.toml:14: inputs[0].neurons: expected integers in [0, 2], got 3");
    EXPECT_EQ(
        error_of([&] { parse_network(doc(base + "[[inputs]]\ntype = \"ramp\"\ntarget = \"e\"\n").root()); }),
        "test.toml:11: inputs[0].type: expected constant, step, steps, noise, poisson, spike_times or neuroml, got \"ramp\"");
}

TEST(NetworkConfig, DistributionsAreCheckedAndParsed) {
    using snnfit::io::parse_network;
    const std::string base = std::string(kMinimal) + "[populations.params]\n";
    auto net = parse_network(doc(base + "c = { dist = \"scaled\", base = -65, scale = 15, power = 2 }\n").root());
    ASSERT_EQ(net.populations[0].params.size(), 1u);
    EXPECT_EQ(net.populations[0].params[0].second.kind, snnfit::model::Distribution::Kind::scaled);
    EXPECT_EQ(net.populations[0].params[0].second.b, 15.0);
    EXPECT_EQ(error_of([&] { parse_network(doc(base + "c = { dist = \"uniform\", lo = 2, hi = 1 }\n").root()); }),
              "test.toml:11: populations[0].params.c.hi: expected hi >= lo = 2, got 1");
}

// ---------------------------------------------------------------- hostile input (issue 21)

TEST(ConfigHardening, DeepNestingIsRefusedBeforeTheParserRecurses) {
    // Depth 10 000 overflowed toml11's recursive parser (SIGSEGV); 64 levels is the limit.
    const int deep = 10000;
    EXPECT_EQ(error_of([&] { doc("a = " + std::string(deep, '[') + std::string(deep, ']') + "\n"); }),
              "test.toml:1: arrays and inline tables nested deeper than 64 levels");
    std::string tables = "b = 1\na = ";
    for (int i = 0; i < deep; ++i) tables += "{x = ";
    EXPECT_EQ(error_of([&] { doc(tables + "1" + std::string(deep, '}') + "\n"); }),
              "test.toml:2: arrays and inline tables nested deeper than 64 levels");
    // In an override: no line number, and the override cut after 200 characters.
    const auto msg = error_of([&] { doc(kMinimal, {"simulation.dt=" + std::string(deep, '[')}); });
    EXPECT_EQ(msg, "--set simulation.dt=" + std::string(200 - 14, '[') +
                       "... (10014 characters): arrays and inline tables nested deeper than 64 levels");
    // Brackets inside strings and comments do not count; 64 real levels parse.
    auto ok = doc("s = \"" + std::string(100, '[') + "\"\n# " + std::string(100, '{') + "\nt = '''" +
                  std::string(100, '[') + "'''\na = " + std::string(64, '[') + std::string(64, ']') + "\n");
    EXPECT_TRUE(ok.root().is_array("a"));
}

TEST(ConfigHardening, ControlCharactersInAnOverrideAreRefused) {
    // A newline smuggled a whole [evil] table into the stored config, which then did not parse.
    EXPECT_EQ(error_of([] { doc(kMinimal, {"simulation.dt=0.1\n[evil]\nx=1"}); }),
              "--set simulation.dt=0.1\\x0a[evil]\\x0ax=1: control characters (newline, tab, ...) are not allowed in "
              "an override");
}

TEST(ConfigHardening, QuotedKeysInAnOverrideAreTomlKeys) {
    auto d = doc(kMinimal, {"\"simulation\".dt=0.2", "'populations'.e.size=5"});
    auto net = snnfit::io::parse_network(d.root());
    EXPECT_EQ(net.simulation.dt, 0.2);
    EXPECT_EQ(net.populations.at(0).size, 5);
    // A key the override creates is reported against the override, not line 1 of the file.
    auto typo = doc(kMinimal, {"simulaton.dt=0.2"});
    const auto msg = error_of([&] {
        const auto root = typo.root();
        snnfit::io::parse_network(root);
        root.finish();
    });
    EXPECT_EQ(msg.rfind("--set simulaton.dt=0.2: simulaton: unknown key", 0), 0u) << msg;
}

TEST(ConfigHardening, AHugeIndexIsPastTheEnd) {
    EXPECT_EQ(error_of([] { doc(kMinimal, {"populations[99999999999999999999].size=3"}); }),
              "--set populations[99999999999999999999].size=3: populations[99999999999999999999].size: index "
              "99999999999999999999 is past the end of 'populations' (1 elements)");
}

TEST(ConfigHardening, AMegabyteKeyIsCutInTheMessage) {
    const std::string key(1 << 20, 'k');
    auto d = doc(std::string(kMinimal) + "[simulation.x]\n" + key + " = 1\n");
    const auto msg = error_of([&] {
        auto sim = d.root().table("simulation");
        sim.table("x").finish();
    });
    EXPECT_LT(msg.size(), 300u) << msg.size();
    EXPECT_NE(msg.find("kkkk... (1048589 characters): unknown key"), std::string::npos) << msg.substr(0, 300);
}

TEST(ConfigHardening, ADirectoryOrAHugeFileIsNotAConfig) {
    EXPECT_EQ(error_of([] { ConfigDocument::from_file("/tmp"); }), "/tmp: is a directory, not a config file");
    // /dev/zero is refused after 16 MiB, not read to exhaustion.
    EXPECT_EQ(error_of([] { ConfigDocument::from_file("/dev/zero"); }),
              "/dev/zero: larger than 16 MiB: not a config file (configs are a few kB)");
}

TEST(ConfigHardening, DurationShorterThanOneStep) {
    EXPECT_EQ(error_of([] { snnfit::io::parse_network(doc(kMinimal, {"simulation.duration=0.05"}).root()); }),
              "--set simulation.duration=0.05: simulation.duration: 0.05 ms is shorter than one time step (dt = 0.1 "
              "ms): nothing would be simulated");
}

TEST(ConfigHardening, MemoryIsEstimatedBeforeAllocating) {
    setenv("SNNFIT_MEMORY_LIMIT", "1G", 1);
    EXPECT_EQ(error_of([] { snnfit::io::parse_network(doc(kMinimal, {"populations.e.size=100000000"}).root()); }),
              "--set populations.e.size=100000000: populations[0].size: a population of 100000000 neurons needs about "
              "10.4 GiB, more than the memory budget of 1 GiB (set by SNNFIT_MEMORY_LIMIT)");
    const std::string net = std::string(kMinimal) +
                            "[[projections]]\nsource = \"e\"\ntarget = \"e\"\nrule = \"in_degree\"\nin_degree = "
                            "1000000000\nallow_multapses = true\nweight = 1.0\n";
    EXPECT_EQ(error_of([&] { snnfit::io::parse_network(doc(net).root()); }),
              "test.toml:14: projections[0].in_degree: about 3e+09 synapses needs about 44.7 GiB, more than the memory "
              "budget of 1 GiB (set by SNNFIT_MEMORY_LIMIT)");
    const std::string rec = std::string(kMinimal) + "[[recording.voltage]]\npopulation = \"e\"\n";
    EXPECT_EQ(error_of([&] { snnfit::io::parse_network(doc(rec, {"simulation.duration=1e8"}).root()); }),
              "test.toml:11: recording.voltage[0].population: a voltage recording of 3 neurons x 1e+09 steps needs "
              "about 22.4 GiB, more than the memory budget of 1 GiB (set by SNNFIT_MEMORY_LIMIT)");
    unsetenv("SNNFIT_MEMORY_LIMIT");
}

TEST(ConfigHardening, InvalidUtf8IsRefusedBeforeParsing) {
    // A bad byte in a literal string made toml11 read past its buffer (fuzz_config's first finding).
    EXPECT_EQ(error_of([] { doc("a = 1\nb = 'x\x9by'\n"); }),
              "test.toml:2: not valid UTF-8 (byte 0x9b); TOML files are UTF-8");
    EXPECT_EQ(error_of([] { doc("a = '\xc0\xaf'\n"); }),  // an overlong '/'
              "test.toml:1: not valid UTF-8 (byte 0xc0); TOML files are UTF-8");
    EXPECT_EQ(error_of([] { doc(kMinimal, {"populations.e.preset=\xed\xa0\x80"}); }),  // a surrogate
              "--set populations.e.preset=\xed\xa0\x80: not valid UTF-8 (byte 0xed); TOML files are UTF-8");
    auto ok = doc("name = 'ünïcödé ✓ 𝄞'\n");
    EXPECT_EQ(ok.root().string("name"), "ünïcödé ✓ 𝄞");
}
