// The 10 % microcircuit (data/examples/microcircuit_10pct.toml, from scripts/microcircuit.py):
// its numbers against the paper's formulas computed here independently, and its
// spontaneous rates against the full-scale figures documented in docs/microcircuit.md.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "io/config.hpp"
#include "io/network_config.hpp"
#include "sim/simulator.hpp"

using namespace snnfit;

namespace {

const char* kPops[] = {"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"};

model::NetworkSpec load() {
    const auto doc = io::ConfigDocument::from_file(std::string(SNNFIT_DATA) + "/examples/microcircuit_10pct.toml");
    return io::parse_network(doc.root());
}

const model::ProjectionSpec& projection(const model::NetworkSpec& net, const std::string& name) {
    for (const auto& p : net.projections)
        if (p.name == name) return p;
    throw std::runtime_error("no projection " + name);
}

}  // namespace

// Potjans & Diesmann's Eq. 1, K = log(1 - C_a) / log(1 - 1/(N_pre N_post)) on the full
// sizes, times N_scaling K_scaling = 0.01; the weights 87.81 pA / sqrt(0.1) (x 2 for
// L4E -> L2/3E, x -4 from inhibitory sources); the background in-degrees K_ext x 0.1.
TEST(Microcircuit, TenPercentConfigHasThePapersNumbers) {
    const auto net = load();
    ASSERT_EQ(net.populations.size(), 8u);
    EXPECT_EQ(net.populations[0].size, 2068);  // round(20683 x 0.1)
    EXPECT_EQ(net.populations[5].size, 106);   // round(1065 x 0.1)
    auto K = [](double c, double n_pre, double n_post) {
        return std::log(1 - c) / std::log(1 - 1 / (n_pre * n_post)) * 0.01;
    };
    EXPECT_EQ(projection(net, "L23E_to_L23E").total, std::llround(K(0.1009, 20683, 20683)));
    EXPECT_EQ(projection(net, "L4E_to_L23E").total, std::llround(K(0.0437, 21915, 20683)));
    EXPECT_EQ(projection(net, "L6I_to_L6I").total, std::llround(K(0.1443, 2948, 2948)));
    const double J = 87.8085 / std::sqrt(0.1);
    EXPECT_NEAR(projection(net, "L23E_to_L23E").weight.a, J, 1e-3);
    EXPECT_NEAR(projection(net, "L4E_to_L23E").weight.a, 2 * J, 2e-3);
    EXPECT_NEAR(projection(net, "L23I_to_L4E").weight.a, -4 * J, 4e-3);
    EXPECT_TRUE(projection(net, "L23I_to_L4E").weight.keep_sign);
    EXPECT_NEAR(projection(net, "L23I_to_L4E").delay.a, 0.75, 1e-12);
    EXPECT_NEAR(projection(net, "L23E_to_L4E").delay.b, 0.75, 1e-12);
    ASSERT_EQ(net.poisson.size(), 8u);
    EXPECT_EQ(net.poisson[0].sources, 160);  // 1600 x 0.1
    EXPECT_EQ(net.poisson[6].sources, 290);
    EXPECT_NEAR(net.poisson[0].weight, J, 1e-3);
    EXPECT_DOUBLE_EQ(net.poisson[0].rate, 8.0);
}

// One second after a 200 ms transient, against snnfit's full-scale rates
// (docs/microcircuit.md; within 2 % of NEST's). Downscaling keeps the mean and variance
// of each neuron's input (weights / sqrt(K) and the DC) but not its higher moments: each
// PSP is sqrt(10) larger. The 10 % rates sit systematically below the full-scale ones,
// by up to 31 % (L2/3I, seed 1, measured): the bound is 40 %, with a 0.6 Hz floor for
// the ~1 Hz populations L2/3E and L6E.
TEST(Microcircuit, TenPercentRatesMatchTheFullScaleFigures) {
    // Full scale, snnfit, seed 1, [500, 1500] ms (bench/microcircuit/run.py full).
    const double full[] = {0.917, 2.979, 4.372, 5.868, 7.554, 8.623, 1.107, 7.835};
    auto net = load();
    net.simulation.duration = 1200;
    const auto res = sim::simulate(net, 1);
    ASSERT_EQ(res.status, sim::SimResult::Status::ok) << res.message;
    for (int k = 0; k < 8; ++k) {
        const auto* r = res.find(kPops[k]);
        ASSERT_NE(r, nullptr);
        double count = 0;
        for (std::size_t i = 0; i < r->size(); ++i)
            for (double t : r->train(i)) count += t > 200.0 ? 1 : 0;  // ms
        const double rate = count / static_cast<double>(r->size()) / 1.0;
        EXPECT_NEAR(rate, full[k], std::max(0.4 * full[k], 0.6)) << kPops[k];
    }
}
