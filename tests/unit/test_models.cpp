// Neuron models against independent references: Brian2 running the same equations with
// the same scheme and step (tests/fixtures/brian2), NEURON's built-in hh
// (tests/fixtures/neuron), and closed forms. Cells are built through the real code path:
// a NetworkSpec with a preset and a step input, run by sim::simulate.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "model/izhikevich2003.hpp"
#include "model/registry.hpp"
#include "sim/simulator.hpp"

namespace {

using snnfit::ParameterError;
namespace model = snnfit::model;
namespace sim = snnfit::sim;

struct StepCell {
    std::string model, preset;
    std::map<std::string, double> params;
    double dt = 0.1, duration = 100, delay = 0, width = 0, amplitude = 0;
};

model::NetworkSpec spec_of(const StepCell& c, bool record_v = false) {
    model::NetworkSpec spec;
    spec.simulation.dt = c.dt;
    spec.simulation.duration = c.duration;
    model::PopulationSpec pop;
    pop.name = "cell";
    pop.model = c.model;
    pop.preset = c.preset;
    for (const auto& [k, x] : c.params) pop.params.emplace_back(k, model::Distribution::constant(x));
    spec.populations.push_back(pop);
    if (c.amplitude != 0) {
        model::CurrentInputSpec in;
        in.kind = model::CurrentInputSpec::Kind::step;
        in.target = "cell";
        in.amplitude = c.amplitude;
        in.delay = c.delay;
        in.duration = c.width;
        spec.currents.push_back(in);
    }
    if (record_v) spec.recording.voltage.push_back({"cell", {0}});
    return spec;
}

std::vector<double> spikes_of(const StepCell& c) {
    const auto res = sim::simulate(spec_of(c), 1);
    EXPECT_EQ(res.status, sim::SimResult::Status::ok) << res.message;
    const auto t = res.find("cell")->train(0);
    return {t.begin(), t.end()};
}

// --- fixture readers --------------------------------------------------------------------

struct BrianCase {
    std::string name;
    StepCell cell;
    std::vector<double> spikes;
    std::size_t stable = 0;  // leading spikes that do not move under a 1e-12 change of the input
};

std::vector<double> numbers(std::istringstream& in) {
    std::vector<double> v;
    double x;
    while (in >> x) v.push_back(x);
    return v;
}

std::vector<BrianCase> read_brian_cases() {
    std::ifstream f(std::string(SNNFIT_FIXTURES) + "/brian2/models.txt");
    EXPECT_TRUE(f.good()) << "missing fixture brian2/models.txt";
    std::vector<BrianCase> cases;
    BrianCase c;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string key;
        in >> key;
        if (key == "case") {
            c = BrianCase{};
            in >> c.name;
        } else if (key == "model") {
            in >> c.cell.model;
        } else if (key == "preset") {
            in >> c.cell.preset;
        } else if (key == "param") {
            std::string name;
            double x;
            in >> name >> x;
            c.cell.params[name] = x;
        } else if (key == "dt") {
            in >> c.cell.dt;
        } else if (key == "duration") {
            in >> c.cell.duration;
        } else if (key == "step") {
            in >> c.cell.delay >> c.cell.width >> c.cell.amplitude;
        } else if (key == "spikes") {
            c.spikes = numbers(in);
        } else if (key == "stable") {
            in >> c.stable;
        } else if (key == "end") {
            cases.push_back(c);
        } else {
            ADD_FAILURE() << "unexpected line in brian2/models.txt: " << line;
        }
    }
    return cases;
}

struct NeuronCase {
    std::string name, scheme;
    double amplitude = 0, delay = 0, width = 0, tstop = 0, dt = 0, latency = 0;
    std::size_t count = 0;
    std::vector<double> spikes;
};

std::vector<NeuronCase> read_neuron_cases() {
    std::ifstream f(std::string(SNNFIT_FIXTURES) + "/neuron/hh_step.txt");
    EXPECT_TRUE(f.good()) << "missing fixture neuron/hh_step.txt";
    std::vector<NeuronCase> cases;
    NeuronCase c;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string key, dt_word;
        in >> key;
        if (key == "case") {
            c = NeuronCase{};
            in >> c.name;
        } else if (key == "amplitude_pA") {
            in >> c.amplitude;
        } else if (key == "delay") {
            in >> c.delay;
        } else if (key == "duration") {
            in >> c.width;
        } else if (key == "tstop") {
            in >> c.tstop;
        } else if (key == "scheme") {
            in >> c.scheme >> dt_word >> c.dt;
        } else if (key == "count") {
            in >> c.count;
        } else if (key == "latency") {
            in >> c.latency;
        } else if (key == "spikes") {
            c.spikes = numbers(in);
        } else if (key == "end") {
            cases.push_back(c);
        } else {
            ADD_FAILURE() << "unexpected line in neuron/hh_step.txt: " << line;
        }
    }
    return cases;
}

// --- Brian2: same equations, same scheme, same step --------------------------------------

// Same scheme and same dt means the same arithmetic up to evaluation order (Brian2's
// sympy reorders terms and scales by dt[s]/ms), i.e. differences of a few ulp per step.
// Where the discrete dynamics are well conditioned these never move a spike: the
// generator checks that by rerunning Brian2 with the current scaled by 1 +- 1e-12 and
// records how many leading spikes stay put ("stable"). For those we require the same
// step (|dt_spike| <= dt allows for v landing within rounding of the threshold, which we
// never observed: the test also counts same-step spikes and expects all of them), and
// when every spike is stable, equal counts. Forward Euler on the FS cells is chaotic at
// these steps (spikes 9-12 onwards move under a 1e-12 perturbation): past the stable
// prefix only the count is compared, within 10 %.
TEST(BrianReference, EveryModelStepCurrentSpikeTimes) {
    const auto cases = read_brian_cases();
    std::set<std::string> models;
    for (const auto& c : cases) models.insert(c.cell.model);
    for (const auto& m : model::model_catalog()) EXPECT_TRUE(models.count(m.name)) << m.name << " has no Brian2 case";
    int same_step = 0, total = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        ASSERT_FALSE(c.spikes.empty()) << "a reference without spikes tests nothing";
        ASSERT_GE(c.stable, 5u) << "an ill-conditioned case tests little";
        const auto ours = spikes_of(c.cell);
        if (c.stable == c.spikes.size()) {
            ASSERT_EQ(ours.size(), c.spikes.size());
        } else {
            EXPECT_NEAR(static_cast<double>(ours.size()), static_cast<double>(c.spikes.size()),
                        0.1 * static_cast<double>(c.spikes.size()));
            ASSERT_GE(ours.size(), c.stable);
        }
        for (std::size_t i = 0; i < c.stable; ++i) {
            EXPECT_LE(std::fabs(ours[i] - c.spikes[i]), c.cell.dt + 1e-9) << "spike " << i;
            same_step += std::fabs(ours[i] - c.spikes[i]) < 1e-6 * c.cell.dt;
            ++total;
        }
    }
    EXPECT_GE(cases.size(), 15u);
    RecordProperty("spikes_in_same_step", same_step);
    RecordProperty("spikes_compared", total);
    EXPECT_EQ(same_step, total);
}

// --- NEURON's hh --------------------------------------------------------------------------

// NEURON's default scheme (implicit Euler for V, cnexp gates, staggered) differs from
// exponential Euler; both are first order, so at dt = 0.01 ms spike times differ by O(dt)
// per spike: the first-spike latency by a few steps (measured 0.04 ms for 100 pA against
// NEURON's converged Crank-Nicolson run at dt = 0.001 ms), later spikes drift by the
// period error (~0.6 %). We require: the same count, latency within 0.1 ms (10 steps,
// ~5 % of the 1-2 ms latency), and mean inter-spike interval within 1.5 %.
TEST(NeuronReference, HodgkinHuxleyCountAndLatency) {
    const auto cases = read_neuron_cases();
    ASSERT_GE(cases.size(), 2u);
    int compared = 0;
    for (const auto& c : cases) {
        if (c.scheme != "cn_fine") continue;
        SCOPED_TRACE(c.name);
        StepCell cell{"hh", "", {}, 0.01, c.tstop, c.delay, c.width, c.amplitude};
        const auto ours = spikes_of(cell);
        ASSERT_EQ(ours.size(), c.count);
        ASSERT_GE(c.count, 2u);
        EXPECT_NEAR(ours.front() - c.delay, c.latency, 0.1);
        const double isi_ours = (ours.back() - ours.front()) / static_cast<double>(ours.size() - 1);
        const double isi_neuron = (c.spikes.back() - c.spikes.front()) / static_cast<double>(c.count - 1);
        EXPECT_NEAR(isi_ours / isi_neuron, 1.0, 0.015);
        ++compared;
    }
    EXPECT_EQ(compared, 2);
}

// NEURON's hh rate functions written out again, independently of the model header.
double hh_steady_current(double v) {
    auto trap = [](double x) { return x / (std::exp(x) - 1); };  // x != 0 here
    const double am = 0.1 * 10 * trap(-(v + 40) / 10), bm = 4 * std::exp(-(v + 65) / 18);
    const double ah = 0.07 * std::exp(-(v + 65) / 20), bh = 1 / (std::exp(-(v + 35) / 10) + 1);
    const double an = 0.01 * 10 * trap(-(v + 55) / 10), bn = 0.125 * std::exp(-(v + 65) / 80);
    const double m = am / (am + bm), h = ah / (ah + bh), n = an / (an + bn);
    return 1200 * m * m * m * h * (50 - v) + 360 * std::pow(n, 4) * (-77 - v) + 3 * (-54.3 - v);  // pA
}

TEST(HodgkinHuxley, RestsWhereTheSteadyStateCurrentVanishes) {
    double lo = -70, hi = -60;  // bisection on the steady-state I-V curve
    ASSERT_GT(hh_steady_current(lo), 0);
    ASSERT_LT(hh_steady_current(hi), 0);
    for (int i = 0; i < 100; ++i) (hh_steady_current(0.5 * (lo + hi)) > 0 ? lo : hi) = 0.5 * (lo + hi);
    const double rest = 0.5 * (lo + hi);
    EXPECT_NEAR(rest, -65.0, 0.1);  // NEURON's hh is built to rest near -65 mV
    StepCell cell{"hh", "", {{"V0", -60}}, 0.01, 300, 0, 0, 0};
    const auto res = sim::simulate(spec_of(cell, true), 1);
    ASSERT_EQ(res.voltage.size(), 1u);
    EXPECT_NEAR(res.voltage[0].v.back(), rest, 1e-3);
    EXPECT_EQ(res.find("cell")->spike_count(), 0u);
}

TEST(HodgkinHuxley, GatesStayInUnitIntervalUnderStrongDrive) {
    auto k = model::HodgkinHuxley::prepare({}, 0.05);
    auto s = model::HodgkinHuxley::initial_state({});
    for (int n = 0; n < 20000; ++n) {
        model::HodgkinHuxley::step(k, s, n < 10000 ? 20000.0 : -5000.0);
        ASSERT_TRUE(s.m >= 0 && s.m <= 1 && s.h >= 0 && s.h <= 1 && s.n >= 0 && s.n <= 1) << "step " << n;
        ASSERT_TRUE(std::isfinite(s.v));
    }
}

// --- LIF closed forms ----------------------------------------------------------------------

// Below threshold V(t) = E_L + R I (1 - exp(-t/tau_m)) exactly at every grid point.
TEST(Lif, SubthresholdVoltageIsTheAnalyticSolution) {
    const double R = 10.0 / 250.0, I = 300.0;  // R I = 12 mV < 15 mV
    StepCell cell{"lif", "", {}, 0.1, 100, 0, 100, I};
    const auto res = sim::simulate(spec_of(cell, true), 1);
    ASSERT_EQ(res.find("cell")->spike_count(), 0u);
    const auto& v = res.voltage[0].v;
    ASSERT_EQ(v.size(), 1000u);
    for (std::size_t n = 0; n < v.size(); ++n)
        ASSERT_NEAR(v[n], -70 + R * I * (1 - std::exp(-0.1 * static_cast<double>(n) / 10)), 1e-10) << n;
}

// Suprathreshold constant current: from V_reset = E_L the crossing time is
// T* = tau ln(RI / (RI - theta)). The exact update samples V(t) on the grid, so each
// spike comes ceil(T*/dt) steps after integration resumes, then t_ref/dt clamped steps.
TEST(Lif, FiringPeriodMatchesTheClosedForm) {
    for (double I : {400.0, 520.0, 1000.0}) {
        for (double dt : {0.1, 0.01}) {
            SCOPED_TRACE(testing::Message() << "I = " << I << " dt = " << dt);
            const double tau = 10, R = tau / 250.0, theta = 15, t_ref = 2;
            const double T = tau * std::log(R * I / (R * I - theta));
            ASSERT_GT(std::fabs(T / dt - std::round(T / dt)), 1e-6);  // not on a grid point
            const double n_cross = std::ceil(T / dt);
            const auto t = spikes_of({"lif", "", {}, dt, 300, 0, 300, I});
            ASSERT_GE(t.size(), 5u);
            EXPECT_NEAR(t[0], n_cross * dt, 1e-9);
            for (std::size_t i = 1; i < t.size(); ++i) {
                EXPECT_NEAR(t[i] - t[i - 1], (n_cross + std::round(t_ref / dt)) * dt, 1e-9);
                EXPECT_LE(std::fabs(t[i] - t[i - 1] - (T + t_ref)), dt);  // continuous-time period
            }
        }
    }
}

TEST(Lif, RefractoryClampHoldsVAtReset) {
    StepCell cell{"lif", "", {{"t_ref", 5}, {"V_reset", -65}}, 0.1, 50, 0, 50, 1000};
    const auto res = sim::simulate(spec_of(cell, true), 1);
    const auto t = res.find("cell")->train(0);
    ASSERT_GE(t.size(), 2u);
    const auto& v = res.voltage[0].v;  // sampled at t_n, after any reset
    const auto first = static_cast<std::size_t>(std::llround(t[0] / 0.1));
    for (std::size_t n = first; n <= first + 50; ++n) EXPECT_DOUBLE_EQ(v[n], -65.0) << n;
    EXPECT_GT(v[first + 51], -65.0);
}

// NEST discards voltage jumps that arrive while the neuron is refractory.
TEST(Lif, JumpDuringRefractoryPeriodIsDiscarded) {
    const auto k = model::Lif::prepare({}, 0.1);
    model::Lif::State s{-55.5, 0.0};
    ASSERT_TRUE(model::Lif::step(k, s, 5000.0));  // -70 + 14.5 e^{-0.01} + 5000 * 0.04 (1 - e^{-0.01}) = -53.65
    s.v += 5.0;                                   // what a delta synapse does through Population::add_v
    EXPECT_FALSE(model::Lif::step(k, s, 0.0));
    EXPECT_EQ(s.v, -70.0);
    EXPECT_EQ(s.ref, 19.0);
}

// --- AdEx and Izhikevich 2007: single steps by hand ----------------------------------------

TEST(AdEx, OneEulerStepByHand) {
    const model::AdEx::Params p{};  // Brette & Gerstner 2005
    const auto k = model::AdEx::prepare(p, 0.1);
    model::AdEx::State s{-60.0, 50.0, 0.0};
    ASSERT_FALSE(model::AdEx::step(k, s, 500.0));
    const double dv = (-30 * (-60 + 70.6) + 30 * 2 * std::exp((-60 + 50.4) / 2) - 50 + 500) / 281;
    EXPECT_NEAR(s.v, -60 + 0.1 * dv, 1e-12);
    EXPECT_NEAR(s.w, 50 + 0.1 * (4 * (-60 + 70.6) - 50) / 144, 1e-12);
}

TEST(AdEx, RefractoryPeriodSeparatesSpikes) {
    const auto t = spikes_of({"adex", "tonic", {{"t_ref", 5}}, 0.05, 200, 0, 200, 2000});
    ASSERT_GE(t.size(), 3u);
    for (std::size_t i = 1; i < t.size(); ++i) EXPECT_GT(t[i] - t[i - 1], 5.0);
}

TEST(Izhikevich2007, LtsResetDependsOnUAndCapsU) {
    const auto p = model::make_params<model::Izhikevich2007>("LTS", {});
    const auto k = model::Izhikevich2007::prepare(p, 0.1);
    model::Izhikevich2007::State s{60.0, 660.0};  // above any peak: spikes this step
    ASSERT_TRUE(model::Izhikevich2007::step(k, s, 0.0));
    const double u = 660.0 + 0.1 * 0.03 * (8 * (60 + 56) - 660);
    EXPECT_NEAR(s.v, -53 + 0.04 * u, 1e-12);
    EXPECT_EQ(s.u, 670.0);
}

TEST(Izhikevich2007, FsCubicNullclineIsZeroBelowVb) {
    const auto p = model::make_params<model::Izhikevich2007>("FS", {});
    const auto k = model::Izhikevich2007::prepare(p, 0.1);
    model::Izhikevich2007::State below{-60.0, 10.0}, above{-50.0, 10.0};
    model::Izhikevich2007::step(k, below, 0.0);
    model::Izhikevich2007::step(k, above, 0.0);
    EXPECT_NEAR(below.u, 10 + 0.1 * 0.2 * (0 - 10), 1e-12);
    EXPECT_NEAR(above.u, 10 + 0.1 * 0.2 * (0.025 * 125 - 10), 1e-12);
}

// --- validation ------------------------------------------------------------------------------

template <class M>
std::string rejection(std::map<std::string, double> values) {
    try {
        (void)model::make_params<M>("", values);
    } catch (const ParameterError& e) {
        return e.what();
    }
    return "";
}

TEST(Validate, RejectsNonsenseWithAOneLineMessage) {
    const std::vector<std::string> msgs = {
        rejection<model::Lif>({{"tau_m", 0}}),          rejection<model::Lif>({{"C_m", -1}}),
        rejection<model::Lif>({{"V_reset", -50}}),      rejection<model::Lif>({{"t_ref", -1}}),
        rejection<model::AdEx>({{"DeltaT", 0}}),        rejection<model::AdEx>({{"tau_w", -3}}),
        rejection<model::AdEx>({{"Vpeak", -60}}),       rejection<model::AdEx>({{"gL", NAN}}),
        rejection<model::Izhikevich2007>({{"C", 0}}),   rejection<model::Izhikevich2007>({{"vt", -70}}),
        rejection<model::Izhikevich2007>({{"c", 40}}),  rejection<model::HodgkinHuxley>({{"C", 0}}),
        rejection<model::HodgkinHuxley>({{"gNa", -1}}), rejection<model::HodgkinHuxley>({{"celsius", INFINITY}}),
        rejection<model::Izhikevich2003>({{"d", NAN}}), rejection<model::Izhikevich2003>({{"c", 40}}),
    };
    for (const auto& m : msgs) {
        EXPECT_FALSE(m.empty()) << "a bad value was accepted";
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
    EXPECT_NE(msgs[0].find("tau_m"), std::string::npos);
    EXPECT_EQ(rejection<model::Lif>({}), "");
    EXPECT_EQ(rejection<model::Izhikevich2007>({{"u_max", INFINITY}}), "");
}

TEST(Registry, EveryPresetOfEveryModelIsValid) {
    for (const auto& m : model::model_catalog()) {
        EXPECT_FALSE(m.presets.empty()) << m.name;
        for (const auto& pr : m.presets) {
            SCOPED_TRACE(m.name + "/" + pr.name);
            for (const auto& [k, x] : pr.values) EXPECT_TRUE(m.has_param(k)) << k;
            model::visit_model(m.name, [&](auto tag) {
                using M = typename decltype(tag)::type;
                EXPECT_NO_THROW((void)model::make_params<M>(pr.name, {}));
            });
        }
    }
    EXPECT_NE(model::find_model("hh"), nullptr);
    EXPECT_THROW((void)model::make_params<model::Lif>("nope", {}), ParameterError);
}

}  // namespace

// The vectorized whole-population update of the Izhikevich (2003) model equals its
// per-neuron step() bit for bit (odd size: the scalar tail too), spikes included.
TEST(Izhikevich2003, FieldStepEqualsTheScalarStepBitForBit) {
    using M = model::Izhikevich2003;
    const std::size_t n = 37;
    std::vector<M::Coeffs> k(n);
    std::vector<M::State> s(n);
    std::vector<double> I(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double r = static_cast<double>(i) / n;
        k[i] = {0.02 + 0.08 * r, 0.25 - 0.05 * r, -65 + 15 * r * r, 8 - 6 * r * r, 30.0, 0.5};
        s[i] = {-70.0 + 110.0 * r, -14.0 + 3.0 * r};  // some start above vpeak's reach
        I[i] = 20.0 * std::sin(static_cast<double>(i));
    }
    std::vector<std::vector<double>> kf(6, std::vector<double>(n)), sf(2, std::vector<double>(n));
    for (std::size_t i = 0; i < n; ++i) {
        const double kk[6] = {k[i].a, k[i].b, k[i].c, k[i].d, k[i].vpeak, k[i].dt};
        for (int f = 0; f < 6; ++f) kf[f][i] = kk[f];
        sf[0][i] = s[i].v, sf[1][i] = s[i].u;
    }
    const double* kp[6];
    double* sp[2];
    for (int f = 0; f < 6; ++f) kp[f] = kf[f].data();
    for (int f = 0; f < 2; ++f) sp[f] = sf[f].data();
    std::vector<std::uint8_t> fired(n);
    int spikes = 0;
    for (int step = 0; step < 200; ++step) {
        M::step_fields(kp, sp, I.data(), fired.data(), n);
        for (std::size_t i = 0; i < n; ++i) {
            const bool f = M::step(k[i], s[i], I[i]);
            ASSERT_EQ(fired[i] != 0, f) << "step " << step << " neuron " << i;
            ASSERT_EQ(sf[0][i], s[i].v);
            ASSERT_EQ(sf[1][i], s[i].u);
            spikes += f;
        }
    }
    EXPECT_GT(spikes, 50);
}
