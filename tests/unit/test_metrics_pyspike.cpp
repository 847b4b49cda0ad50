// ISI-distance, SPIKE-distance, SPIKE-synchronization and their profiles against the
// values python3-pyspike 0.7 (cython backend) computed for the same trains:
// tests/fixtures/pyspike/pyspike_cases.txt, made by tests/fixtures/generators/gen_pyspike.py.
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/spike_files.hpp"
#include "metrics/distance.hpp"
#include "metrics/isi_distance.hpp"
#include "metrics/pair_kernels.hpp"
#include "metrics/spike_distance.hpp"
#include "metrics/spike_sync.hpp"

using namespace snnfit;
using namespace snnfit::metrics;

namespace {

constexpr double kTol = 1e-12;

struct Case {
    std::string name;
    std::map<std::string, std::vector<double>> v;
    std::string file;
    bool has(const std::string& k) const { return v.count(k) != 0; }
    const std::vector<double>& at(const std::string& k) const { return v.at(k); }
    double scalar(const std::string& k) const { return v.at(k).at(0); }
};

std::vector<Case> load_cases() {
    std::ifstream in(std::string(SNNFIT_FIXTURES) + "/pyspike/pyspike_cases.txt");
    EXPECT_TRUE(in.good()) << "missing fixture pyspike_cases.txt";
    std::vector<Case> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string key;
        ls >> key;
        if (key == "case") {
            cases.emplace_back();
            ls >> cases.back().name;
            continue;
        }
        if (key == "file") {
            ls >> cases.back().file;
            continue;
        }
        std::vector<double> vals;
        std::string tok;
        while (ls >> tok) vals.push_back(std::stod(tok));  // "nan" parses to NaN
        cases.back().v[key] = std::move(vals);
    }
    return cases;
}

const std::vector<Case>& cases() {
    static const std::vector<Case> c = load_cases();
    return c;
}

void expect_near_vec(const std::vector<double>& got, const std::vector<double>& want, const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (std::size_t k = 0; k < got.size(); ++k) EXPECT_NEAR(got[k], want[k], kTol) << what << " [" << k << "]";
}

// PySpike divides 0 by 0 when both trains are a single spike on t_end (both last ISIs are
// empty) and returns NaN; two identical trains are at distance 0, which is what we return.
void expect_distance(double got, double want, const std::string& what) {
    EXPECT_FALSE(std::isnan(got)) << what;
    if (std::isnan(want))
        EXPECT_EQ(got, 0.0) << what;
    else
        EXPECT_NEAR(got, want, kTol) << what;
}

}  // namespace

TEST(PySpikeFixture, HasEnoughCases) {
    std::size_t pairs = 0;
    for (const auto& c : cases())
        if (c.has("a")) ++pairs;
    EXPECT_GE(pairs, 50u);
}

TEST(PySpikeFixture, PairDistances) {
    int checked = 0;
    for (const auto& c : cases()) {
        if (!c.has("a") || c.has("max_tau")) continue;
        const Window w{c.at("window")[0], c.at("window")[1]};
        const auto& a = c.at("a");
        const auto& b = c.at("b");
        expect_distance(isi_distance(a, b, w), c.scalar("isi"), c.name + " isi");
        expect_distance(spike_distance(a, b, w), c.scalar("spike"), c.name + " spike");
        EXPECT_NEAR(spike_sync(a, b, w), c.scalar("sync"), kTol) << c.name << " sync";
        // The same through the MetricSpec entry point (sync as the dissimilarity 1 - SYNC).
        expect_distance(distance({.metric = Metric::isi}, a, b, w), c.scalar("isi"), c.name + " distance(isi)");
        expect_distance(distance({.metric = Metric::spike}, a, b, w), c.scalar("spike"), c.name + " distance(spike)");
        EXPECT_NEAR(distance({.metric = Metric::sync}, a, b, w), 1.0 - c.scalar("sync"), kTol) << c.name;
        ++checked;
    }
    EXPECT_GE(checked, 50);
}

TEST(PySpikeFixture, PairProfiles) {
    for (const auto& c : cases()) {
        if (!c.has("a")) continue;
        const Window w{c.at("window")[0], c.at("window")[1]};
        const auto& a = c.at("a");
        const auto& b = c.at("b");
        const double max_tau = c.has("max_tau") ? c.scalar("max_tau") : 0.0;
        const auto ps = sync_profile(a, b, w, max_tau);
        expect_near_vec(ps.x, c.at("sync_x"), c.name + " sync x");
        expect_near_vec(ps.y, c.at("sync_y"), c.name + " sync y");
        expect_near_vec(ps.mp, c.at("sync_mp"), c.name + " sync mp");
        if (c.has("max_tau")) {
            EXPECT_NEAR(spike_sync(a, b, w, max_tau), c.scalar("sync"), kTol) << c.name;
            EXPECT_NEAR(ps.average(), c.scalar("sync"), kTol) << c.name;
            continue;
        }
        const auto pi = isi_profile(a, b, w);
        expect_near_vec(pi.x, c.at("isi_x"), c.name + " isi x");
        if (!std::isnan(c.scalar("isi"))) {
            expect_near_vec(pi.y, c.at("isi_y"), c.name + " isi y");
            EXPECT_NEAR(pi.average(), c.scalar("isi"), kTol) << c.name;
        }
        const auto pk = spike_profile(a, b, w);
        expect_near_vec(pk.x, c.at("spike_x"), c.name + " spike x");
        if (!std::isnan(c.scalar("spike"))) {
            expect_near_vec(pk.y1, c.at("spike_y1"), c.name + " spike y1");
            expect_near_vec(pk.y2, c.at("spike_y2"), c.name + " spike y2");
            EXPECT_NEAR(pk.average(), c.scalar("spike"), kTol) << c.name;
        }
        EXPECT_NEAR(ps.average(), c.scalar("sync"), kTol) << c.name;
    }
}

TEST(PySpikeFixture, MaxTauCapsTheCoincidenceWindow) {
    int checked = 0;
    for (const auto& c : cases()) {
        if (!c.has("max_tau")) continue;
        const Window w{c.at("window")[0], c.at("window")[1]};
        MetricSpec spec{.metric = Metric::sync};
        spec.max_tau = c.scalar("max_tau");
        EXPECT_NEAR(distance(spec, c.at("a"), c.at("b"), w), 1.0 - c.scalar("sync"), kTol) << c.name;
        ++checked;
    }
    EXPECT_EQ(checked, 3);
}

TEST(PySpikeFixture, MultivariateTestData) {
    const auto all = io::read_spike_text_file(std::string(SNNFIT_FIXTURES) + "/pyspike/PySpike_testdata.txt");
    ASSERT_EQ(all.raster.size(), 40u);
    int checked = 0;
    for (const auto& c : cases()) {
        if (c.file.empty()) continue;
        const std::size_t n = static_cast<std::size_t>(std::sqrt(static_cast<double>(c.at("isi_matrix").size())));
        SpikeRaster r;
        for (std::size_t i = 0; i < n; ++i) r.push_train(all.raster.train(i));
        const Window w{c.at("window")[0], c.at("window")[1]};
        EXPECT_NEAR(population_distance({.metric = Metric::isi}, r, w), c.scalar("isi"), kTol) << c.name;
        EXPECT_NEAR(population_distance({.metric = Metric::spike}, r, w), c.scalar("spike"), kTol) << c.name;
        EXPECT_NEAR(population_distance({.metric = Metric::sync}, r, w), 1.0 - c.scalar("sync"), kTol) << c.name;
        // The ISI and SPIKE matrices on every kernel this CPU has (SSE2, AVX2, AVX-512VL).
        for (int isa = 0; isa <= static_cast<int>(detail::best_kernel_isa()); ++isa) {
            detail::set_kernel_isa(static_cast<detail::KernelIsa>(isa));
            expect_near_vec(distance_matrix({.metric = Metric::isi}, r, w, 1), c.at("isi_matrix"),
                            c.name + " isi matrix, kernel " + std::to_string(isa));
            expect_near_vec(distance_matrix({.metric = Metric::spike}, r, w, 2), c.at("spike_matrix"),
                            c.name + " spike matrix, kernel " + std::to_string(isa));
        }
        detail::set_kernel_isa(detail::best_kernel_isa());
        // PySpike's spike_sync_matrix holds SYNC (a similarity) with 0 on the diagonal;
        // ours holds the dissimilarity 1 - SYNC, 0 on the diagonal.
        const auto sm = distance_matrix({.metric = Metric::sync}, r, w, 2);
        const auto& want = c.at("sync_matrix");
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                EXPECT_NEAR(sm[i * n + j], i == j ? 0.0 : 1.0 - want[i * n + j], kTol)
                    << c.name << " " << i << "," << j;
        const auto pi = isi_profile(r, w);
        expect_near_vec(pi.x, c.at("isi_x"), c.name + " isi x");
        expect_near_vec(pi.y, c.at("isi_y"), c.name + " isi y");
        const auto pk = spike_profile(r, w);
        expect_near_vec(pk.x, c.at("spike_x"), c.name + " spike x");
        expect_near_vec(pk.y1, c.at("spike_y1"), c.name + " spike y1");
        expect_near_vec(pk.y2, c.at("spike_y2"), c.name + " spike y2");
        const auto ps = sync_profile(r, w);
        expect_near_vec(ps.x, c.at("sync_x"), c.name + " sync x");
        expect_near_vec(ps.y, c.at("sync_y"), c.name + " sync y");
        expect_near_vec(ps.mp, c.at("sync_mp"), c.name + " sync mp");
        EXPECT_NEAR(ps.average(), c.scalar("sync"), kTol) << c.name;
        ++checked;
    }
    EXPECT_EQ(checked, 2);
}
