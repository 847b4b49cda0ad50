// Firing rates of two networks agree with Brian2 2.5.1 on the same spec. Brian2's
// rates (10 realisations each, its own wiring and noise) are a committed fixture,
// made by tests/fixtures/generators/gen_brian2_network.py from the same TOML files.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "io/config.hpp"
#include "io/network_config.hpp"
#include "sim/simulator.hpp"

using namespace snnfit;

namespace {

// Robust summary of rates over realisations: the median, and the sd estimated as
// 1.4826 x the median absolute deviation. The Izhikevich network now and then
// (about 1 realisation in 40, in both tools) falls into a 20 Hz state for the
// whole second; a mean and sd would let one such run loosen the bound fivefold.
struct Sample {
    double median = 0, sd = 0;
    int n = 0;
};

double median_of(std::vector<double> x) {
    std::sort(x.begin(), x.end());
    const auto n = x.size();
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

Sample summarize(const std::vector<double>& x) {
    Sample s;
    s.n = static_cast<int>(x.size());
    s.median = median_of(x);
    std::vector<double> dev;
    for (double v : x) dev.push_back(std::abs(v - s.median));
    s.sd = 1.4826 * median_of(dev);
    return s;
}

// (network, population) -> Brian2 rates, one per seed.
std::map<std::pair<std::string, std::string>, std::vector<double>> brian2_rates() {
    std::ifstream in(std::string(SNNFIT_FIXTURES) + "/brian2_network/rates.tsv");
    EXPECT_TRUE(in) << "missing fixture rates.tsv";
    std::map<std::pair<std::string, std::string>, std::vector<double>> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string net, pop;
        int seed = 0;
        double rate = 0;
        ls >> net >> pop >> seed >> rate;
        out[{net, pop}].push_back(rate);
    }
    return out;
}

// Compares rates over realisations: the medians must differ by at most 4 standard
// errors of their difference (a median's is 1.2533 sd / sqrt(n)), plus 3% of
// Brian2's rate for what is not identical: the random draws (Brian2's own
// Poisson sampler is binomial per step, snnfit's exact event times) and the
// order of a Poisson event and a threshold in the same step.
void compare(const std::string& network, int seeds) {
    const auto reference = brian2_rates();
    const auto doc = io::ConfigDocument::from_file(std::string(SNNFIT_DATA) + "/examples/" + network + ".toml");
    const auto spec = io::parse_network(doc.root());
    std::map<std::string, std::vector<double>> ours;
    for (int s = 1; s <= seeds; ++s) {
        const auto res = sim::simulate(spec, static_cast<std::uint64_t>(1000 + s));
        ASSERT_EQ(res.status, sim::SimResult::Status::ok) << res.message;
        for (std::size_t p = 0; p < res.populations.size(); ++p)
            ours[res.populations[p]].push_back(static_cast<double>(res.spikes[p].spike_count()) /
                                               static_cast<double>(res.spikes[p].size()) / (res.t_stop / 1000.0));
    }
    for (const auto& [pop, rates] : ours) {
        const auto it = reference.find({network, pop});
        ASSERT_NE(it, reference.end()) << network << " " << pop << " not in the fixture";
        const Sample a = summarize(rates), b = summarize(it->second);
        const double se = 1.2533 * std::sqrt(a.sd * a.sd / a.n + b.sd * b.sd / b.n);
        EXPECT_LE(std::abs(a.median - b.median), 4 * se + 0.03 * b.median)
            << network << " " << pop << ": snnfit median " << a.median << " (sd " << a.sd << ", n=" << a.n
            << ") Hz, Brian2 median " << b.median << " (sd " << b.sd << ", n=" << b.n << ") Hz";
        EXPECT_GT(b.median, 1.0);  // a silent network would agree trivially
    }
}

}  // namespace

TEST(NetworkVsBrian2, BrunelStyleRatesAgree) {
    compare("brunel_izhikevich", 8);
}

TEST(NetworkVsBrian2, Izhikevich2003NetworkRatesAgree) {
    compare("izhikevich2003_network", 8);
}
