#include "metrics/distance.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

#include <fmt/core.h>

#include "common/error.hpp"
#include "common/parallel.hpp"
#include "metrics/isi_distance.hpp"
#include "metrics/pair_kernels.hpp"
#include "metrics/spike_distance.hpp"
#include "metrics/spike_sync.hpp"
#include "metrics/victor_purpura.hpp"

namespace snnfit::metrics {

namespace {
struct Named {
    std::string_view name;
    Metric metric;
};
constexpr Named kMetrics[] = {{"isi", Metric::isi},   {"spike", Metric::spike},       {"spike2013", Metric::spike_2013},
                              {"sync", Metric::sync}, {"vp", Metric::victor_purpura}, {"vr", Metric::van_rossum}};
}  // namespace

Metric parse_metric(std::string_view name) {
    for (const auto& m : kMetrics)
        if (m.name == name) return m.metric;
    throw Error(
        fmt::format("unknown spike-train metric '{}' (expected one of: isi, spike, spike2013, sync, vp, vr)", name));
}

std::string_view metric_name(Metric m) {
    for (const auto& k : kMetrics)
        if (k.metric == m) return k.name;
    throw InternalError("metric_name: unknown Metric value");
}

namespace detail {

void check_spec(const MetricSpec& spec) {
    if (spec.metric == Metric::victor_purpura && !(spec.q >= 0.0))
        throw ParameterError(fmt::format("Victor-Purpura cost q = {} must be >= 0", spec.q));
    if (spec.metric == Metric::van_rossum && (!(spec.tau > 0.0) || !std::isfinite(spec.tau)))
        throw ParameterError(fmt::format("van Rossum time constant tau = {} must be positive and finite", spec.tau));
    if (std::isnan(spec.max_tau)) throw ParameterError("SPIKE-synchronization max_tau must not be NaN");
}

double distance_unchecked(const MetricSpec& spec, std::span<const double> a, std::span<const double> b,
                          const Window& w) {
    // The ISI, SPIKE and SYNC kernels work on prepared trains; the buffers are reused
    // per thread, so a call does not allocate once they have grown.
    switch (spec.metric) {
        case Metric::isi: {
            thread_local IsiTrain pa, pb;
            prepare_isi(a, w, pa), prepare_isi(b, w, pb);
            return isi_pair(pa, pb, w);
        }
        case Metric::spike: {
            thread_local SpikeTrainSegments pa, pb;
            prepare_spike(a, w, pa), prepare_spike(b, w, pb);
            return spike_pair(pa, pb, w);
        }
        case Metric::sync: {
            thread_local SyncTrain pa, pb;
            prepare_sync(a, w, spec.max_tau, pa), prepare_sync(b, w, spec.max_tau, pb);
            return 1.0 - sync_pair(pa, pb);
        }
        case Metric::spike_2013:
            return spike_distance_2013_unchecked(a, b, w);
        case Metric::victor_purpura:
            return victor_purpura_unchecked(a, b, spec.q);
        case Metric::van_rossum:
            return van_rossum_unchecked(a, b, spec.tau, spec.norm);
    }
    throw InternalError("distance: unknown Metric value");
}

}  // namespace detail

double distance(const MetricSpec& spec, std::span<const double> a, std::span<const double> b, const Window& w) {
    detail::check_spec(spec);
    check_window(w);
    check_train(a, w, "first spike train");
    check_train(b, w, "second spike train");
    return detail::distance_unchecked(spec, a, b, w);
}

double matched_pair_distance(const MetricSpec& spec, const SpikeRaster& a, const SpikeRaster& b, const Window& w) {
    const std::vector<Window> windows(a.size(), w);
    return matched_pair_distance(spec, a, b, windows);
}

double matched_pair_distance(const MetricSpec& spec, const SpikeRaster& a, const SpikeRaster& b,
                             std::span<const Window> windows) {
    if (a.size() != b.size())
        throw InputError(fmt::format("matched-pair distance: {} trains against {} (the neuron counts must agree)",
                                     a.size(), b.size()));
    if (a.size() == 0) throw InputError("matched-pair distance: no spike trains");
    if (windows.size() != a.size())
        throw InputError(fmt::format("matched-pair distance: {} windows for {} pairs", windows.size(), a.size()));
    detail::check_spec(spec);
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        check_window(windows[i]);
        check_train(a.train(i), windows[i], fmt::format("first raster, train {}", i));
        check_train(b.train(i), windows[i], fmt::format("second raster, train {}", i));
        sum += detail::distance_unchecked(spec, a.train(i), b.train(i), windows[i]);
    }
    return sum / static_cast<double>(a.size());
}

namespace {

// Row i against columns j > i in one call of a kernel that groups the pairs itself;
// sink(i, values, count) receives the row's values, pair (i, i + 1 + k) in values[k].
template <class Prepared, class Row, class Sink>
void whole_rows(const std::vector<Prepared>& p, std::atomic<std::size_t>& next_row, Row row, Sink sink) {
    const std::size_t n = p.size();
    std::vector<const Prepared*> b(n);
    std::vector<double> out(n);
    for (std::size_t i; (i = next_row.fetch_add(1)) < n;) {
        const std::size_t count = n - 1 - i;
        for (std::size_t k = 0; k < count; ++k) b[k] = &p[i + 1 + k];
        row(p[i], b.data(), count, out.data());
        sink(i, out.data(), count);
    }
}

// `work` on every thread of a team of at most n threads; it takes rows from a shared counter.
template <class Work>
void run_threads(int threads, std::size_t n, Work work) {
    ThreadTeam team(static_cast<int>(std::min<std::size_t>(
        static_cast<std::size_t>(threads > 0 ? threads : hardware_threads()), std::max<std::size_t>(n, 1))));
    team.for_each(static_cast<std::size_t>(team.threads()), [&](std::size_t) { work(); });
}

// Every pair i < j of the raster through the fast kernels of ISI, SPIKE and SYNC (each
// train prepared once); the sink gets whole rows, as whole_rows. For SYNC the values
// are the pairs' coincidence counts. Returns false for a metric without a row kernel.
template <class Sink>
bool kernel_rows(const MetricSpec& spec, const SpikeRaster& r, const Window& w, int threads, Sink sink) {
    using namespace detail;
    const std::size_t n = r.size();
    // Rows are handed out dynamically (row i holds n-1-i pairs); every entry is computed
    // by the same arithmetic whichever thread takes it.
    std::atomic<std::size_t> next_row{0};
    switch (spec.metric) {
        case Metric::isi: {
            std::vector<IsiTrain> p(n);
            for (std::size_t i = 0; i < n; ++i) prepare_isi(r.train(i), w, p[i]);
            run_threads(threads, n, [&] {
                whole_rows(
                    p, next_row,
                    [&](const IsiTrain& a, const IsiTrain* const* b, std::size_t c, double* o) {
                        isi_pairs(a, b, c, w, o);
                    },
                    sink);
            });
            return true;
        }
        case Metric::spike: {
            std::vector<SpikeTrainSegments> p(n);
            for (std::size_t i = 0; i < n; ++i) prepare_spike(r.train(i), w, p[i]);
            run_threads(threads, n, [&] {
                whole_rows(
                    p, next_row,
                    [&](const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, std::size_t c, double* o) {
                        spike_pairs(a, b, c, w, o);
                    },
                    sink);
            });
            return true;
        }
        case Metric::sync: {
            std::vector<SyncTrain> p(n);
            for (std::size_t i = 0; i < n; ++i) prepare_sync(r.train(i), w, spec.max_tau, p[i]);
            run_threads(threads, n, [&] {
                whole_rows(
                    p, next_row,
                    [&](const SyncTrain& a, const SyncTrain* const* b, std::size_t c, double* o) {
                        sync_coincidence_pairs(a, b, c, o);
                    },
                    sink);
            });
            return true;
        }
        default:
            return false;
    }
}

void check_population(const MetricSpec& spec, const SpikeRaster& r, const Window& w) {
    if (r.size() < 2)
        throw InputError(fmt::format("population distance needs at least two spike trains, got {}", r.size()));
    detail::check_spec(spec);
    check_window(w);
    check_raster(r, w);
}

}  // namespace

Coincidences population_coincidences(const SpikeRaster& r, const Window& w, double max_tau, int threads) {
    const MetricSpec spec{.metric = Metric::sync, .max_tau = max_tau};
    check_population(spec, r, w);
    // Per-row sums of exact integers: the total does not depend on the order.
    std::vector<double> row_sum(r.size(), 0.0);
    kernel_rows(spec, r, w, threads, [&](std::size_t i, const double* v, std::size_t c) {
        double s = 0.0;
        for (std::size_t k = 0; k < c; ++k) s += v[k];
        row_sum[i] = s;
    });
    Coincidences total;
    for (double s : row_sum) total.coincidences += s;
    // Every spike is in n - 1 pairs.
    total.multiplicity = static_cast<double>(r.spike_count()) * static_cast<double>(r.size() - 1);
    return total;
}

double population_distance(const MetricSpec& spec, const SpikeRaster& r, const Window& w, int threads) {
    if (spec.metric == Metric::sync) return 1.0 - population_coincidences(r, w, spec.max_tau, threads).sync();
    check_population(spec, r, w);
    // The sum of each row, then of the rows in order: the same for any thread count.
    std::vector<double> row_sum(r.size(), 0.0);
    const auto sink = [&](std::size_t i, const double* v, std::size_t c) {
        double s = 0.0;
        for (std::size_t k = 0; k < c; ++k) s += v[k];
        row_sum[i] = s;
    };
    if (!kernel_rows(spec, r, w, threads, sink)) {
        std::vector<double> row(r.size());
        for (std::size_t i = 0; i < r.size(); ++i) {
            for (std::size_t j = i + 1; j < r.size(); ++j)
                row[j - i - 1] = detail::distance_unchecked(spec, r.train(i), r.train(j), w);
            sink(i, row.data(), r.size() - 1 - i);
        }
    }
    double sum = 0.0;
    for (double s : row_sum) sum += s;
    const double pairs = 0.5 * static_cast<double>(r.size()) * static_cast<double>(r.size() - 1);
    return sum / pairs;
}

std::vector<double> sync_matrix(const SpikeRaster& r, const Window& w, double max_tau, int threads) {
    const MetricSpec spec{.metric = Metric::sync, .max_tau = max_tau};
    detail::check_spec(spec);
    check_window(w);
    check_raster(r, w);
    const std::size_t n = r.size();
    std::vector<double> m(n * n, 1.0);
    std::vector<double> count(n);
    for (std::size_t i = 0; i < n; ++i) count[i] = static_cast<double>(r.train(i).size());
    kernel_rows(spec, r, w, threads, [&](std::size_t i, const double* v, std::size_t c) {
        for (std::size_t k = 0; k < c; ++k) {
            const std::size_t j = i + 1 + k;
            const double mp = count[i] + count[j];
            m[i * n + j] = m[j * n + i] = mp > 0.0 ? v[k] / mp : 1.0;
        }
    });
    return m;
}

std::vector<double> distance_matrix(const MetricSpec& spec, const SpikeRaster& r, const Window& w, int threads) {
    const std::size_t n = r.size();
    if (spec.metric == Metric::sync) {
        auto m = sync_matrix(r, w, spec.max_tau, threads);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) m[i * n + j] = i == j ? 0.0 : 1.0 - m[i * n + j];
        return m;
    }
    detail::check_spec(spec);
    check_window(w);
    check_raster(r, w);
    std::vector<double> m(n * n, 0.0);
    // Every entry is bit-identical for any number of threads, and equal to distance() of the pair.
    const auto sink = [&](std::size_t i, const double* v, std::size_t c) {
        for (std::size_t k = 0; k < c; ++k) m[i * n + i + 1 + k] = m[(i + 1 + k) * n + i] = v[k];
    };
    if (kernel_rows(spec, r, w, threads, sink)) return m;
    std::atomic<std::size_t> next_row{0};
    run_threads(threads, n, [&] {
        for (std::size_t i; (i = next_row.fetch_add(1)) < n;)
            for (std::size_t j = i + 1; j < n; ++j) {
                const double d = detail::distance_unchecked(spec, r.train(i), r.train(j), w);
                m[i * n + j] = m[j * n + i] = d;
            }
    });
    return m;
}

}  // namespace snnfit::metrics
