// The network config: projections and new inputs parse strictly, and spec_field
// reaches every number a fit may set.
#include <fstream>

#include <gtest/gtest.h>

#include "error_of.hpp"

#include "common/error.hpp"
#include "io/config.hpp"
#include "io/network_config.hpp"

using snnfit::ConfigError;
using snnfit::io::ConfigDocument;
using snnfit::io::parse_network;
using snnfit::io::spec_field;

namespace {

snnfit::model::NetworkSpec net(const std::string& text, std::vector<std::string> overrides = {}) {
    return parse_network(ConfigDocument::from_string(text, "test.toml", overrides).root());
}

const std::string kNet = R"([simulation]
dt = 0.1
duration = 100.0

[[populations]]
name = "E"
size = 20
model = "izhikevich2003"
preset = "RS"
params.c = { dist = "uniform", lo = -65, hi = -50 }

[[populations]]
name = "I"
size = 5
model = "izhikevich2003"
preset = "FS"

[[projections]]
name = "EE"
source = "E"
target = "E"
rule = "probability"
probability = 0.8
weight = 0.5
weight_scale = 2.0
delay = { dist = "uniform", lo = 1, hi = 3 }

[[projections]]
name = "EI"
source = "E"
target = "I"
rule = "in_degree"
in_degree = 4
weight = { dist = "normal", mean = 1.0, sd = 0.1 }
synapse = "exp_conductance"
tau = 5.0
e_rev = 0.0
release_probability = 0.5

[[inputs]]
name = "drive"
type = "constant"
target = "E"
amplitude = 5.0

[[inputs]]
type = "poisson"
target = "I"
rate = 10.0
weight = 2.0
)";

}  // namespace

TEST(NetworkConfig, ParsesProjectionsAndPoissonInputs) {
    auto n = net(kNet);
    ASSERT_EQ(n.projections.size(), 2u);
    EXPECT_EQ(n.projections[0].probability, 0.8);
    EXPECT_EQ(n.projections[0].weight_scale, 2.0);
    EXPECT_EQ(n.projections[0].delay.kind, snnfit::model::Distribution::Kind::uniform);
    EXPECT_EQ(n.projections[1].rule, snnfit::model::ProjectionSpec::Rule::in_degree);
    EXPECT_EQ(n.projections[1].degree, 4);
    EXPECT_EQ(n.projections[1].synapse.kind, snnfit::model::SynapseSpec::Kind::exp_conductance);
    EXPECT_EQ(n.projections[1].weight.lo, 0.0);  // conductances are truncated at zero
    EXPECT_EQ(n.projections[1].release_probability, 0.5);
    ASSERT_EQ(n.poisson.size(), 1u);
    EXPECT_EQ(n.poisson[0].index, 1u);
    EXPECT_EQ(n.currents[0].name, "drive");
}

TEST(NetworkConfig, SpecFieldReachesEveryNumber) {
    auto n = net(kNet);
    spec_field(n, "projections.EE.probability") = 0.3;
    EXPECT_EQ(n.projections[0].probability, 0.3);
    spec_field(n, "projections.EE.weight") = 0.7;
    EXPECT_EQ(n.projections[0].weight.a, 0.7);
    spec_field(n, "projections[1].weight.mean") = 1.5;
    EXPECT_EQ(n.projections[1].weight.a, 1.5);
    spec_field(n, "projections.EE.delay.hi") = 4;
    EXPECT_EQ(n.projections[0].delay.b, 4.0);
    spec_field(n, "projections.EE.weight_scale") = 0.5;
    EXPECT_EQ(n.projections[0].weight_scale, 0.5);
    spec_field(n, "inputs.drive.amplitude") = 9;
    EXPECT_EQ(n.currents[0].amplitude, 9.0);
    spec_field(n, "inputs[1].rate") = 20;
    EXPECT_EQ(n.poisson[0].rate, 20.0);
    spec_field(n, "simulation.duration") = 50;
    EXPECT_EQ(n.simulation.duration, 50.0);
    spec_field(n, "populations.E.params.c.lo") = -70;
    EXPECT_EQ(n.populations[0].params[0].second.a, -70.0);
    // A parameter the config did not set is added with its preset value (FS: a = 0.1).
    double& a = spec_field(n, "populations.I.params.a");
    EXPECT_EQ(a, 0.1);
    a = 0.05;
    ASSERT_EQ(n.populations[1].params.size(), 1u);
    EXPECT_EQ(n.populations[1].params[0].second.a, 0.05);
    EXPECT_EQ(&spec_field(n, "populations[1].params.a"), &n.populations[1].params[0].second.a);
}

TEST(NetworkConfig, SpecFieldErrorsNameThePath) {
    auto n = net(kNet);
    EXPECT_EQ(error_of([&] { spec_field(n, "projections.XX.weight"); }),
              "config path \"projections.XX.weight\": no projection named \"XX\"");
    EXPECT_EQ(error_of([&] { spec_field(n, "projections.EI.weight"); }),
              "config path \"projections.EI.weight\": is a distribution, not a number; address one of its parameters "
              "(mean, sd, lo, hi)");
    EXPECT_EQ(error_of([&] {
                  spec_field(n, "populations.E.params.q");
              }).rfind("config path \"populations.E.params.q\": model izhikevich2003 has no parameter \"q\"", 0),
              0u);
    EXPECT_EQ(
        error_of([&] { spec_field(n, "simulation.seed"); }),
        "config path \"simulation.seed\": [simulation] has no number \"seed\" (addressable: dt, duration, max_rate)");
    EXPECT_EQ(error_of([&] { spec_field(n, "inputs[7].rate"); }),
              "config path \"inputs[7].rate\": there is no input [7]");
    EXPECT_EQ(error_of([&] { spec_field(n, "inputs.drive.rate"); }),
              "config path \"inputs.drive.rate\": a current input has no number \"rate\" (addressable: amplitude, "
              "delay, duration, "
              "mean, std, interval)");
}

TEST(NetworkConfig, ProjectionKeysAreStrict) {
    EXPECT_EQ(error_of([&] { net(kNet, {"projections.EE.rule=ring"}); }),
              "--set projections.EE.rule=ring: projections[0].rule: expected probability, in_degree, out_degree, "
              "total_number, one_to_one, all_to_all or list, got \"ring\"");
    EXPECT_EQ(
        error_of([&] {
            net(kNet, {"projections.EE.probability=1.5"});
        }).rfind("--set projections.EE.probability=1.5: projections[0].probability: expected a number in [0, 1]", 0),
        0u);
    EXPECT_EQ(error_of([&] { net(kNet, {"projections.EI.in_degree=30"}); })
                  .rfind("--set projections.EI.in_degree=30: projections[1].in_degree: in_degree = 30 exceeds the 20 "
                         "distinct partners",
                         0),
              0u);
    EXPECT_EQ(error_of([&] { net(kNet, {"projections.EE.target=X"}); }),
              "--set projections.EE.target=X: projections[0].target: no population named \"X\"");
    EXPECT_EQ(error_of([&] {
                  net(kNet, {"projections.EE.wieght=1"});
              }).rfind("--set projections.EE.wieght=1: projections[0].wieght: unknown key", 0),
              0u);
    EXPECT_EQ(error_of([&] {
                  net(kNet, {"projections.EI.weight=-1"});
              }).rfind("--set projections.EI.weight=-1: projections[1].weight: expected a number >= 0", 0),
              0u);
}

TEST(NetworkConfig, SpikeTimesFromAFileRelativeToTheConfig) {
    const std::string dir = ::testing::TempDir();
    {
        std::ofstream f(dir + "/trains.txt");
        f << "# two neurons; a line of blanks is a silent one, an empty line is skipped\n1.5 0.5\n\n  \n";
    }
    const std::string base =
        "[simulation]\ndt = 0.1\n[[populations]]\nname = \"P\"\nsize = 2\nmodel = \"izhikevich2003\"\n";
    const std::string text =
        base + "[[inputs]]\ntype = \"spike_times\"\ntarget = \"P\"\nfile = \"trains.txt\"\nweight = 3\n";
    {
        std::ofstream f(dir + "/net.toml");
        f << text;
    }
    auto n = parse_network(ConfigDocument::from_file(dir + "/net.toml").root());
    ASSERT_EQ(n.spike_times.size(), 1u);
    ASSERT_EQ(n.spike_times[0].trains.size(), 2u);
    EXPECT_EQ(n.spike_times[0].trains[0], (std::vector<double>{0.5, 1.5}));  // sorted
    EXPECT_TRUE(n.spike_times[0].trains[1].empty());
    EXPECT_EQ(n.spike_times[0].weight, 3.0);
    // Three trains for two neurons is an error naming the key.
    {
        std::ofstream f(dir + "/trains.txt");
        f << "1\n2\n3\n";
    }
    EXPECT_EQ(
        error_of([&] {
            parse_network(ConfigDocument::from_file(dir + "/net.toml").root());
        }).rfind(dir + "/net.toml:10: inputs[0].file: expected one spike train (for every target neuron) or 2", 0),
        0u);
    {
        std::ofstream f(dir + "/trains.txt");
        f << "1 x\n";
    }
    EXPECT_NE(error_of([&] {
                  parse_network(ConfigDocument::from_file(dir + "/net.toml").root());
              }).find("trains.txt:1: 'x' is not a number"),
              std::string::npos);
}
