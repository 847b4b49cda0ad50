// Spike-train distances: hand-calculated values (SpikeSynchrony.jl's 2013 SPIKE cases,
// Victor-Purpura edits, van Rossum closed forms), properties (symmetry, identity,
// bounds, never NaN), input validation and the threaded matrix.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "common/rng.hpp"
#include "io/spike_files.hpp"
#include "metrics/distance.hpp"
#include "metrics/isi_distance.hpp"
#include "metrics/pair_kernels.hpp"
#include "metrics/spike_distance.hpp"
#include "metrics/spike_sync.hpp"
#include "metrics/van_rossum.hpp"
#include "metrics/victor_purpura.hpp"

using namespace snnfit;
using namespace snnfit::metrics;
using V = std::vector<double>;

namespace {

V poisson_train(Rng& rng, double rate_per_ms, double t0, double t1) {
    V t;
    for (double x = t0 + rng.exponential(rate_per_ms); x < t1; x += rng.exponential(rate_per_ms)) t.push_back(x);
    return t;
}

SpikeRaster random_raster(std::uint64_t seed, std::size_t n, double t1) {
    Rng rng(seed, 7);
    SpikeRaster r;
    for (std::size_t i = 0; i < n; ++i) {
        const double rate = (i % 3 == 0) ? 0.005 : (i % 3 == 1 ? 0.05 : 0.0);  // 5 Hz, 50 Hz, silent
        r.push_train(poisson_train(rng, rate > 0 ? rate : 1e-9, 0.0, t1));
    }
    return r;
}

// Independent Victor-Purpura by exhaustive recursion over the last spikes (small trains).
double vp_brute(const V& a, const V& b, double q) {
    std::function<double(std::size_t, std::size_t)> g = [&](std::size_t i, std::size_t j) -> double {
        if (i == 0) return static_cast<double>(j);
        if (j == 0) return static_cast<double>(i);
        return std::min({g(i - 1, j) + 1, g(i, j - 1) + 1, g(i - 1, j - 1) + q * std::fabs(a[i - 1] - b[j - 1])});
    };
    return g(a.size(), b.size());
}

// elephant's definition: D^2 = sum_aa + sum_bb - 2 sum_ab of exp(-|dt|/tau), by brute force.
double vr_elephant_brute(const V& a, const V& b, double tau) {
    auto k = [&](const V& x, const V& y) {
        double s = 0;
        for (double u : x)
            for (double v : y) s += std::exp(-std::fabs(u - v) / tau);
        return s;
    };
    return std::sqrt(std::max(0.0, k(a, a) + k(b, b) - 2 * k(a, b)));
}

}  // namespace

// ---- SPIKE-distance 2013 (SpikeSynchrony.jl), values from seeds-reference/README.md ----

TEST(Spike2013, CaseAExactFractions) {
    const Window w{0, 3};
    EXPECT_NEAR(spike_distance_2013(V{1}, V{2}, w), 67.0 / 216.0, 1e-15);
    const auto p = spike_profile_2013(V{1}, V{2}, w);
    EXPECT_EQ(p.x, (V{0, 1, 2, 3}));
    const V y1{0, 3.0 / 8, 5.0 / 9}, y2{5.0 / 9, 3.0 / 8, 0};
    for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(p.y1[k], y1[k], 1e-15) << k;
        EXPECT_NEAR(p.y2[k], y2[k], 1e-15) << k;
    }
}

TEST(Spike2013, CaseBExactFractions) {
    const Window w{0, 10};
    EXPECT_NEAR(spike_distance_2013(V{2, 5, 8}, V{1, 5, 9}, w), 1087.0 / 5880.0, 1e-15);
    const auto p = spike_profile_2013(V{2, 5, 8}, V{1, 5, 9}, w);
    EXPECT_EQ(p.x, (V{0, 1, 2, 5, 8, 9, 10}));
    const V y1{0, 2.0 / 9, 25.0 / 98, 0, 11.0 / 36, 5.0 / 9};
    const V y2{5.0 / 9, 11.0 / 36, 0, 25.0 / 98, 2.0 / 9, 0};
    for (int k = 0; k < 6; ++k) {
        EXPECT_NEAR(p.y1[k], y1[k], 1e-15) << k;
        EXPECT_NEAR(p.y2[k], y2[k], 1e-15) << k;
    }
    // The MetricSpec entry point and the name "spike2013" reach the same function.
    EXPECT_NEAR(distance({.metric = parse_metric("spike2013")}, V{2, 5, 8}, V{1, 5, 9}, w), 1087.0 / 5880.0, 1e-15);
}

TEST(Spike2013, DiffersFromTheEdgeCorrectedPySpikeValue) {
    // PySpike's edge correction changes case A; the two variants must not be confused.
    EXPECT_GT(std::fabs(spike_distance(V{1}, V{2}, {0, 3}) - 67.0 / 216.0), 1e-3);
}

TEST(Spike2013, SpikesOnTheEdgesAreNotDoubled) {
    // A spike on t_start coincides with the auxiliary spike: same as no spike there.
    EXPECT_NEAR(spike_distance_2013(V{0, 1}, V{2}, {0, 3}), spike_distance_2013(V{1}, V{2}, {0, 3}), 1e-15);
    EXPECT_NEAR(spike_distance_2013(V{1, 3}, V{2, 3}, {0, 3}), spike_distance_2013(V{1}, V{2}, {0, 3}), 1e-15);
    EXPECT_EQ(spike_distance_2013(V{}, V{}, {0, 3}), 0.0);
}

// ---- Victor-Purpura ---------------------------------------------------------------------

TEST(VictorPurpura, HandCalculations) {
    const Window w{0, 100};
    EXPECT_DOUBLE_EQ(victor_purpura_distance(V{10, 20}, V{11, 30}, 0.1, w), 0.1 + 1.0);  // two shifts
    EXPECT_DOUBLE_EQ(victor_purpura_distance(V{10, 20}, V{11, 30}, 0.5, w), 0.5 + 2.0);  // shift + delete/insert
    EXPECT_DOUBLE_EQ(victor_purpura_distance(V{1, 2, 3}, V{}, 1.0, w), 3.0);
    EXPECT_DOUBLE_EQ(victor_purpura_distance(V{}, V{}, 1.0, w), 0.0);
    EXPECT_DOUBLE_EQ(victor_purpura_distance(V{1, 2, 3}, V{50}, 0.0, w), 2.0);  // q = 0: |n - m|
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_DOUBLE_EQ(victor_purpura_distance(V{1, 2, 3}, V{2, 4}, inf, w), 3.0);  // only the shared 2 is kept
}

TEST(VictorPurpura, MatchesExhaustiveRecursion) {
    Rng rng(11, 3);
    for (int rep = 0; rep < 40; ++rep) {
        V a = poisson_train(rng, 0.08, 0, 60), b = poisson_train(rng, 0.08, 0, 60);
        a.resize(std::min<std::size_t>(a.size(), 6));
        b.resize(std::min<std::size_t>(b.size(), 6));
        for (double q : {0.0, 0.05, 0.3, 2.0})
            EXPECT_NEAR(victor_purpura_distance(a, b, q, {0, 60}), vp_brute(a, b, q), 1e-12) << rep << " q=" << q;
    }
}

// ---- van Rossum -------------------------------------------------------------------------

TEST(VanRossum, ClosedForms) {
    const Window w{0, 100};
    // One spike against none: (1/tau) * integral of exp(-2t/tau) = 1/2.
    EXPECT_NEAR(van_rossum_distance(V{5}, V{}, 10, w), std::sqrt(0.5), 1e-15);
    EXPECT_NEAR(van_rossum_distance(V{5}, V{}, 10, w, VanRossumNorm::elephant), 1.0, 1e-15);
    // Two single spikes dt apart: D^2 = 1 - exp(-dt/tau).
    for (double dt : {0.1, 3.0, 10.0, 40.0}) {
        EXPECT_NEAR(van_rossum_distance(V{10}, V{10 + dt}, 10, w), std::sqrt(1 - std::exp(-dt / 10)), 1e-14) << dt;
        EXPECT_NEAR(van_rossum_distance(V{10 + dt}, V{10}, 10, w, VanRossumNorm::elephant),
                    std::sqrt(2 * (1 - std::exp(-dt / 10))), 1e-14)
            << dt;
    }
}

TEST(VanRossum, MatchesElephantsKernelSums) {
    Rng rng(5, 9);
    for (int rep = 0; rep < 30; ++rep) {
        const V a = poisson_train(rng, 0.02, 0, 500), b = poisson_train(rng, 0.03, 0, 500);
        for (double tau : {1.0, 10.0, 100.0}) {
            const double e = vr_elephant_brute(a, b, tau);
            EXPECT_NEAR(van_rossum_distance(a, b, tau, {0, 500}, VanRossumNorm::elephant), e, 1e-9 * (1 + e));
            EXPECT_NEAR(van_rossum_distance(a, b, tau, {0, 500}), e / std::sqrt(2.0), 1e-9 * (1 + e));
        }
    }
}

// ---- properties -------------------------------------------------------------------------

TEST(Properties, SymmetryIdentityBoundsNeverNaN) {
    const SpikeRaster r = random_raster(42, 12, 2000);
    const Window w{0, 2000};
    std::vector<MetricSpec> specs;
    for (auto m :
         {Metric::isi, Metric::spike, Metric::spike_2013, Metric::sync, Metric::victor_purpura, Metric::van_rossum})
        specs.push_back({.metric = m, .q = 0.05, .tau = 20.0});
    specs.push_back({.metric = Metric::van_rossum, .tau = 5.0, .norm = VanRossumNorm::elephant});
    for (const auto& s : specs) {
        for (std::size_t i = 0; i < r.size(); ++i) {
            const auto a = r.train(i);
            EXPECT_EQ(distance(s, a, a, w), 0.0) << metric_name(s.metric) << " identity " << i;
            for (std::size_t j = 0; j < r.size(); ++j) {
                const auto b = r.train(j);
                const double d = distance(s, a, b, w), e = distance(s, b, a, w);
                EXPECT_FALSE(std::isnan(d));
                EXPECT_NEAR(d, e, 1e-13) << metric_name(s.metric) << " symmetry " << i << "," << j;
                EXPECT_GE(d, 0.0);
                if (s.metric == Metric::isi || s.metric == Metric::spike || s.metric == Metric::spike_2013 ||
                    s.metric == Metric::sync) {
                    EXPECT_LE(d, 1.0);
                }
                if (s.metric == Metric::victor_purpura) {
                    EXPECT_LE(d, static_cast<double>(a.size() + b.size()));
                }
                // Distinct non-empty trains are at a positive distance.
                if (i != j && !a.empty() && !b.empty() && s.metric != Metric::sync) {
                    EXPECT_GT(d, 0.0);
                }
            }
        }
    }
}

TEST(Properties, EdgeCasesAreNeverNaN) {
    const Window w{0, 10};
    const std::vector<V> trains{{}, {0}, {10}, {0, 10}, {5}, {0, 5, 10}, {9.999999}, {1e-9}};
    for (auto m :
         {Metric::isi, Metric::spike, Metric::spike_2013, Metric::sync, Metric::victor_purpura, Metric::van_rossum})
        for (const auto& a : trains)
            for (const auto& b : trains) {
                const double d = distance({.metric = m}, a, b, w);
                EXPECT_FALSE(std::isnan(d)) << metric_name(m);
                EXPECT_TRUE(std::isfinite(d)) << metric_name(m);
                if (a == b) {
                    EXPECT_EQ(d, 0.0) << metric_name(m);
                }
            }
}

TEST(Properties, EmptyTrainConventions) {
    const Window w{0, 10};
    EXPECT_EQ(distance({.metric = Metric::sync}, V{}, V{}, w), 0.0);   // SYNC(empty, empty) = 1
    EXPECT_EQ(distance({.metric = Metric::sync}, V{}, V{3}, w), 1.0);  // no spike coincides
    EXPECT_EQ(isi_distance(V{}, V{}, w), 0.0);
    EXPECT_EQ(isi_distance(V{}, V{0, 10}, w), 0.0);  // an empty train is {t_start, t_end}
    EXPECT_EQ(spike_distance(V{}, V{0, 10}, w), 0.0);
}

// ---- many trains ------------------------------------------------------------------------

// The ISI and SPIKE matrix kernels (SSE2 and, where the CPU has them, AVX2 and
// AVX-512VL) give the same numbers to the bit, also for the edge cases: empty trains,
// lone spikes, spikes on t_start and t_end, spike times shared across trains, trains of
// very different lengths (lanes that finish early), and rows of every length modulo
// the group size.
TEST(ManyTrains, EveryKernelIsaGivesTheSameMatrices) {
    const Window w{0, 3000};
    SpikeRaster r = random_raster(11, 14, 3000);
    for (const V& t : {V{}, V{0}, V{3000}, V{0, 3000}, V{1500}, V{0, 1500, 3000}, V{10, 20, 30, 40, 3000}})
        r.push_train(t);
    r.push_train(r.train(1));  // identical to another train: every spike time shared
    for (auto metric : {Metric::isi, Metric::spike}) {
        const MetricSpec spec{.metric = metric};
        detail::set_kernel_isa(detail::KernelIsa::sse2);
        const auto want = distance_matrix(spec, r, w, 1);
        for (std::size_t i = 0; i < r.size(); ++i)
            for (std::size_t j = i + 1; j < r.size(); ++j)
                ASSERT_EQ(want[i * r.size() + j], distance(spec, r.train(i), r.train(j), w)) << i << "," << j;
        for (int isa = 1; isa <= static_cast<int>(detail::best_kernel_isa()); ++isa) {
            detail::set_kernel_isa(static_cast<detail::KernelIsa>(isa));
            EXPECT_EQ(distance_matrix(spec, r, w, 2), want) << metric_name(metric) << ", kernel " << isa;
        }
    }
    detail::set_kernel_isa(detail::best_kernel_isa());
    if (detail::best_kernel_isa() == detail::KernelIsa::sse2) GTEST_SKIP() << "this CPU has no AVX2: SSE2 only";
}

TEST(ManyTrains, ThreadedMatrixIsBitIdentical) {
    const SpikeRaster r = random_raster(3, 30, 3000);
    const Window w{0, 3000};
    for (auto m : {Metric::isi, Metric::spike, Metric::sync, Metric::victor_purpura, Metric::van_rossum}) {
        const MetricSpec s{.metric = m, .q = 0.1};
        const auto one = distance_matrix(s, r, w, 1);
        for (int t : {2, 3, 7}) EXPECT_EQ(one, distance_matrix(s, r, w, t)) << metric_name(m) << " threads " << t;
        for (std::size_t i = 0; i < r.size(); ++i) {
            EXPECT_EQ(one[i * r.size() + i], 0.0);
            // Entry (i, j) is distance(train min(i,j), train max(i,j)) to the bit; swapping the
            // arguments may change the last bit (the symmetry test allows 1e-13).
            for (std::size_t j = 0; j < r.size(); ++j)
                EXPECT_EQ(one[i * r.size() + j], distance(s, r.train(std::min(i, j)), r.train(std::max(i, j)), w));
        }
    }
}

TEST(ManyTrains, PopulationAndMatchedPairs) {
    const SpikeRaster r = random_raster(8, 6, 1000);
    const SpikeRaster q = random_raster(9, 6, 1000);
    const Window w{0, 1000};
    const MetricSpec s{.metric = Metric::spike};
    double sum = 0;
    for (std::size_t i = 0; i < 6; ++i) sum += distance(s, r.train(i), q.train(i), w);
    EXPECT_NEAR(matched_pair_distance(s, r, q, w), sum / 6, 1e-15);
    EXPECT_EQ(matched_pair_distance(s, r, r, w), 0.0);
    const auto m = distance_matrix(s, r, w, 1);
    double pairs = 0;
    sum = 0;
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = i + 1; j < 6; ++j) sum += m[i * 6 + j], ++pairs;
    EXPECT_NEAR(population_distance(s, r, w), sum / pairs, 1e-15);
    // SYNC pools coincidences over pairs instead of averaging the pair values.
    Coincidences total;
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = i + 1; j < 6; ++j) {
            const auto c = coincidences(r.train(i), r.train(j), w);
            total.coincidences += c.coincidences, total.multiplicity += c.multiplicity;
        }
    EXPECT_NEAR(population_distance({.metric = Metric::sync}, r, w), 1 - total.sync(), 1e-15);
    SpikeRaster fewer = q;
    fewer.offsets.pop_back();
    fewer.times.resize(static_cast<std::size_t>(fewer.offsets.back()));
    EXPECT_THROW(matched_pair_distance(s, r, fewer, w), InputError);
    SpikeRaster one;
    one.push_train(V{1, 2});
    EXPECT_THROW(population_distance(s, one, w), InputError);
}

// The multivariate values run on the matrix kernels: the same value for any thread count,
// equal to the mean of the independently computed pair distances, and SYNC pooled exactly
// (integer counts) as the walk of spike_sync.cpp pools them.
TEST(ManyTrains, PopulationOnKernelsAnyThreads) {
    const SpikeRaster r = random_raster(21, 37, 1000);
    const Window w{0, 1000};
    for (const auto m : {Metric::isi, Metric::spike, Metric::victor_purpura}) {
        const MetricSpec s{.metric = m};
        double sum = 0;
        for (std::size_t i = 0; i < r.size(); ++i)
            for (std::size_t j = i + 1; j < r.size(); ++j) sum += distance(s, r.train(i), r.train(j), w);
        const double one = population_distance(s, r, w, 1);
        EXPECT_NEAR(one, sum / (37.0 * 36.0 / 2.0), 1e-13) << metric_name(m);
        EXPECT_EQ(population_distance(s, r, w, 3), one) << metric_name(m);
    }
    for (const double max_tau : {0.0, 5.0}) {
        Coincidences walk;
        for (std::size_t i = 0; i < r.size(); ++i)
            for (std::size_t j = i + 1; j < r.size(); ++j) {
                const auto c = coincidences(r.train(i), r.train(j), w, max_tau);
                walk.coincidences += c.coincidences, walk.multiplicity += c.multiplicity;
            }
        const auto kernel = population_coincidences(r, w, max_tau, 2);
        EXPECT_EQ(kernel.coincidences, walk.coincidences);
        EXPECT_EQ(kernel.multiplicity, walk.multiplicity);
        const auto m = sync_matrix(r, w, max_tau, 2);
        for (std::size_t i = 0; i < r.size(); ++i) {
            EXPECT_EQ(m[i * r.size() + i], 1.0);
            for (std::size_t j = i + 1; j < r.size(); ++j)
                EXPECT_EQ(m[i * r.size() + j], spike_sync(r.train(i), r.train(j), w, max_tau)) << i << " " << j;
        }
    }
}

// ---- validation -------------------------------------------------------------------------

TEST(Validation, BadTrainsGiveClearErrors) {
    const Window w{0, 10};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto message = [&](const V& a) {
        try {
            distance({}, a, V{1}, w);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message(V{3, 2}).find("not sorted"), std::string::npos) << message(V{3, 2});
    EXPECT_NE(message(V{2, 2}).find("duplicate"), std::string::npos);
    EXPECT_NE(message(V{1, nan}).find("not finite"), std::string::npos);
    EXPECT_NE(message(V{1, 11}).find("outside the window"), std::string::npos);
    EXPECT_NE(message(V{-1}).find("outside the window"), std::string::npos);
    EXPECT_THROW(distance({}, V{}, V{}, Window{5, 5}), InputError);
    EXPECT_THROW(distance({}, V{}, V{}, Window{0, nan}), InputError);
    EXPECT_THROW(distance({.metric = Metric::victor_purpura, .q = -1}, V{}, V{}, w), ParameterError);
    EXPECT_THROW(distance({.metric = Metric::van_rossum, .tau = 0}, V{}, V{}, w), ParameterError);
    EXPECT_THROW(parse_metric("spikey"), Error);
    try {
        parse_metric("spikey");
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("isi, spike, spike2013, sync, vp, vr"), std::string::npos);
    }
}

TEST(Validation, CleaningSortsDropsAndMerges) {
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(clean_train(V{5, 1, inf, 3, 3, -2, 12, 10}, {0, 10}), (V{1, 3, 5, 10}));
}

TEST(SpikeText, ReadsPySpikeFormatAndReportsLines) {
    std::istringstream in("# comment\n1 2.5\t3\n\n   \n4e1 50\n");
    const auto t = io::read_spike_text(in, "x.txt");
    ASSERT_EQ(t.raster.size(), 3u);
    EXPECT_EQ(t.raster.to_trains(), (std::vector<V>{{1, 2.5, 3}, {}, {40, 50}}));
    EXPECT_EQ(t.lines, (std::vector<int>{2, 4, 5}));
    std::istringstream bad("1 2\n3 x4\n");
    try {
        io::read_spike_text(bad, "bad.txt");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("bad.txt:2: 'x4' is not a number", 0), 0u) << e.what();
    }
}
