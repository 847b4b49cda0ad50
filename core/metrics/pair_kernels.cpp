#include "metrics/pair_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace snnfit::metrics::detail {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
using Span = std::span<const double>;

// min/max for the hot loops: the operands are never NaN, so these compile to one
// instruction where std::fmin/fmax are library calls.
inline double lo(double x, double y) {
    return y < x ? y : x;
}
inline double hi(double x, double y) {
    return x < y ? y : x;
}

// PySpike substitutes the auxiliary train {t_start, t_end} for an empty train.
Span non_empty(Span s, const Window& w, double (&aux)[2]) {
    aux[0] = w.t_start, aux[1] = w.t_end;
    return s.empty() ? Span(aux) : s;
}
}  // namespace

// ---- ISI ----------------------------------------------------------------------------------

void prepare_isi(Span spikes, const Window& w, IsiTrain& out) {
    double aux[2];
    const Span s = non_empty(spikes, w, aux);
    const std::size_t n = s.size();
    out.steps.clear();
    out.steps.reserve(n + 1);
    auto step = [&](double end, double nu) { out.steps.push_back({end, nu, nu > 0.0 ? 1.0 / nu : 0.0}); };
    // Edge correction of the first ISI (before the first spike) ...
    if (s[0] > w.t_start) step(s[0], n > 1 ? std::fmax(s[0] - w.t_start, s[1] - s[0]) : s[0] - w.t_start);
    double prev = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        // ... and of the last one (after the last spike).
        const double nu = i + 1 < n ? s[i + 1] - s[i] : (n > 1 ? std::fmax(w.t_end - s[i], prev) : w.t_end - s[i]);
        prev = nu;
        step(i + 1 < n ? s[i + 1] : kInf, nu);
    }
}

namespace {
template <int L>
void isi_lanes(const IsiTrain& a, const IsiTrain* const* b, const Window& w, double* out) {
    const double t_end = w.t_end;
    std::size_t i[L], j[L];
    double t[L], sum[L];
    for (int k = 0; k < L; ++k) i[k] = j[k] = 0, t[k] = w.t_start, sum[k] = 0.0;
    for (bool any = true; any;) {
        any = false;
#pragma GCC unroll 4
        for (int k = 0; k < L; ++k) {
            const IsiTrain::Step& p = a.steps[i[k]];
            const IsiTrain::Step& q = b[k]->steps[j[k]];
            const double x = p.end, y = q.end;
            const double tn = lo(lo(x, y), t_end);
            // |nu1 - nu2| / max(nu1, nu2), with 1 / max = the smaller reciprocal: no
            // division in the loop (relative error 2^-52), exactly 0 for equal ISIs, and 0
            // when both are zero (two lone spikes on t_end, an interval of zero length).
            const double r = (hi(p.nu, q.nu) - lo(p.nu, q.nu)) * lo(p.inv_nu, q.inv_nu);
            sum[k] += r * (tn - t[k]);
            const bool live = tn < t_end;
            i[k] += static_cast<std::size_t>((x <= y) & live);
            j[k] += static_cast<std::size_t>((y <= x) & live);
            t[k] = tn;
            any |= live;
        }
    }
    for (int k = 0; k < L; ++k) out[k] = sum[k] / (w.t_end - w.t_start);
}
}  // namespace

double isi_pair(const IsiTrain& a, const IsiTrain& b, const Window& w) {
    const IsiTrain* bb[1] = {&b};
    double out;
    isi_lanes<1>(a, bb, w, &out);
    return out;
}

void isi_pair_lanes(const IsiTrain& a, const IsiTrain* const b[kIsiLanes], const Window& w, double out[kIsiLanes]) {
    isi_lanes<kIsiLanes>(a, b, w, out);
}

// ---- SPIKE-synchronization ------------------------------------------------------------------

void prepare_sync(Span spikes, const Window& w, double max_tau, SyncTrain& out) {
    const std::size_t n = spikes.size();
    out.n = n;
    out.spikes.assign(n + 2, {0.0, kInf});
    out.spikes[0].s = -kInf;
    out.spikes[n + 1].s = kInf;
    const double interval = w.t_end - w.t_start;
    for (std::size_t k = 0; k < n; ++k) {
        double m = interval;
        if (k + 1 < n) m = std::fmin(m, spikes[k + 1] - spikes[k]);
        if (k > 0) m = std::fmin(m, spikes[k] - spikes[k - 1]);
        m *= 0.5;
        if (max_tau > 0.0) m = std::fmin(m, max_tau);
        out.spikes[k + 1] = {spikes[k], m};
    }
}

namespace {
// PySpike's coincidence_value walks the merged spikes and calls a spike coincident with
// the last spike of the other train when closer than tau = the smaller of both trains'
// windows (PySpike's get_tau); a shared spike time counts as two coincident spikes.
// Here a branch-free merge only records, for each spike, the last spike of the other
// train before it; the coincidence tests then run without a carried dependency.
template <int L>
void sync_lanes(const SyncTrain& a, const SyncTrain* const* b, double* out) {
    thread_local std::vector<std::uint32_t> rank_buf[2 * kSyncLanes];
    std::uint32_t* ra[L];
    std::uint32_t* rb[L];
    for (int k = 0; k < L; ++k) {
        auto& bufa = rank_buf[2 * k];
        auto& bufb = rank_buf[2 * k + 1];
        if (bufa.size() < a.n + 2) bufa.resize(a.n + 2);
        if (bufb.size() < b[k]->n + 2) bufb.resize(b[k]->n + 2);
        ra[k] = bufa.data(), rb[k] = bufb.data();
    }
    std::uint32_t i[L], j[L];
    for (int k = 0; k < L; ++k) i[k] = j[k] = 0;
    for (bool any = true; any;) {
        any = false;
#pragma GCC unroll 4
        for (int k = 0; k < L; ++k) {
            const double x = a.spikes[i[k] + 1].s, y = b[k]->spikes[j[k] + 1].s;
            const bool live = lo(x, y) < kInf;
            // Rewritten until the spike is taken, so the last write is the right one.
            ra[k][i[k] + 1] = j[k];
            rb[k][j[k] + 1] = i[k];
            i[k] += static_cast<std::uint32_t>((x <= y) & live);
            j[k] += static_cast<std::uint32_t>((y <= x) & live);
            any |= live;
        }
    }
    for (int k = 0; k < L; ++k) {
        const SyncTrain& bk = *b[k];
        std::size_t c = 0;
        // Spike m of a (index m + 1): r = the last spike of b before it (0 = none, then
        // s = -inf and the test fails); a spike of b at the same time makes it shared.
        for (std::size_t m = 1; m <= a.n; ++m) {
            const auto& p = a.spikes[m];
            const std::uint32_t r = ra[k][m];
            const bool shared = bk.spikes[r + 1].s == p.s;
            c += static_cast<std::size_t>(shared | (p.s - bk.spikes[r].s < lo(p.tau, bk.spikes[r].tau)));
        }
        for (std::size_t m = 1; m <= bk.n; ++m) {
            const auto& p = bk.spikes[m];
            const std::uint32_t r = rb[k][m];
            const bool shared = a.spikes[r + 1].s == p.s;
            c += static_cast<std::size_t>(!shared & (p.s - a.spikes[r].s < lo(p.tau, a.spikes[r].tau)));
        }
        const double mp = static_cast<double>(a.n + bk.n);
        out[k] = mp > 0.0 ? 2.0 * static_cast<double>(c) / mp : 1.0;
    }
}
}  // namespace

double sync_pair(const SyncTrain& a, const SyncTrain& b) {
    const SyncTrain* bb[1] = {&b};
    double out;
    sync_lanes<1>(a, bb, &out);
    return out;
}

void sync_pair_lanes(const SyncTrain& a, const SyncTrain* const b[kSyncLanes], double out[kSyncLanes]) {
    sync_lanes<kSyncLanes>(a, b, out);
}

// ---- SPIKE-distance --------------------------------------------------------------------------

void prepare_spike(Span spikes, const Window& w, SpikeTrainSegments& out) {
    double aux[2];
    const Span s = non_empty(spikes, w, aux);
    const std::size_t n = s.size();
    out.n = n;
    out.s.assign(n + 2, 0.0);
    out.s[0] = -kInf;
    for (std::size_t k = 0; k < n; ++k) out.s[k + 1] = s[k];
    out.s[n + 1] = kInf;
    // PySpike's auxiliary spikes: one ISI before the first / after the last spike.
    out.aux_lo = n > 1 ? std::fmin(w.t_start, 2 * s[0] - s[1]) : w.t_start;
    out.aux_hi = n > 1 ? std::fmax(w.t_end, 2 * s[n - 1] - s[n - 2]) : w.t_end;
    out.seg.assign(n + 1, {});
    auto set = [&](std::size_t c, double tp, double tf, double isi) { out.seg[c] = {2 * tp, 2 * tf, isi}; };
    set(0, out.aux_lo, s[0], n > 1 ? std::fmax(s[0] - w.t_start, s[1] - s[0]) : s[0] - w.t_start);
    for (std::size_t c = 1; c < n; ++c) set(c, s[c - 1], s[c], s[c] - s[c - 1]);
    set(n, s[n - 1], out.aux_hi, n > 1 ? std::fmax(w.t_end - s[n - 1], s[n - 1] - s[n - 2]) : w.t_end - s[n - 1]);
    out.c0 = s[0] == w.t_start ? 1 : 0;
    out.dtf_at_end = n == 1 && s[0] == w.t_start;
    if (out.dtf_at_end) set(1, s[0], w.t_end, w.t_end - s[0]);
}

namespace {

// Per-pair distances of every spike to the nearest spike (auxiliary ones included) of the
// other train, laid out so that segment c has dt_p = d[c] and dt_f = d[c + 1].
struct PairBuffers {
    std::vector<double> da, db;
};

template <int L>
void spike_lanes(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, const Window& w, double* out) {
    thread_local PairBuffers buf[kSpikeLanes];
    double* da[L];
    double* db[L];
    for (int k = 0; k < L; ++k) {
        if (buf[k].da.size() < a.n + 2) buf[k].da.resize(a.n + 2);
        if (buf[k].db.size() < b[k]->n + 2) buf[k].db.resize(b[k]->n + 2);
        da[k] = buf[k].da.data(), db[k] = buf[k].db.data();
    }
    // Pass 1: nearest-neighbour distances by one merge. A slot is rewritten until its
    // spike is taken, so the last write is the right one.
    {
        std::size_t i[L], j[L];
        for (int k = 0; k < L; ++k) i[k] = j[k] = 0;
        for (bool any = true; any;) {
            any = false;
#pragma GCC unroll 4
            for (int k = 0; k < L; ++k) {
                const SpikeTrainSegments& bk = *b[k];
                const double x = a.s[i[k] + 1], y = bk.s[j[k] + 1];
                const bool live = lo(x, y) < kInf;
                da[k][i[k] + 1] = lo(x - hi(bk.s[j[k]], bk.aux_lo), lo(y, bk.aux_hi) - x);
                db[k][j[k] + 1] = lo(y - hi(a.s[i[k]], a.aux_lo), lo(x, a.aux_hi) - y);
                i[k] += static_cast<std::size_t>((x <= y) & live);
                j[k] += static_cast<std::size_t>((y <= x) & live);
                any |= live;
            }
        }
#pragma GCC unroll 4
        for (int k = 0; k < L; ++k) {
            const SpikeTrainSegments& bk = *b[k];
            da[k][0] = da[k][1];
            db[k][0] = db[k][1];
            // After the last spike dt_f = dt_p, except for a lone spike on t_start, whose
            // last segment ends on t_end itself (PySpike then measures from t_end).
            da[k][a.n + 1] = a.dtf_at_end ? std::fmin(w.t_end - bk.s[bk.n], bk.aux_hi - w.t_end) : da[k][a.n];
            db[k][bk.n + 1] = bk.dtf_at_end ? std::fmin(w.t_end - a.s[a.n], a.aux_hi - w.t_end) : db[k][bk.n];
        }
    }
    // Pass 2: integrate the piecewise-linear profile over the merged intervals.
    std::size_t ca[L], cb[L];
    double t[L], sum[L];
    for (int k = 0; k < L; ++k) ca[k] = a.c0, cb[k] = b[k]->c0, t[k] = w.t_start, sum[k] = 0.0;
    const double t_end = w.t_end;
    for (bool any = true; any;) {
        any = false;
#pragma GCC unroll 4
        for (int k = 0; k < L; ++k) {
            const SpikeTrainSegments& bk = *b[k];
            const std::size_t p = ca[k], q = cb[k];
            const double x = a.s[p + 1], y = bk.s[q + 1];
            const double tn = lo(lo(x, y), t_end);
            const auto& ga = a.seg[p];
            const auto& gb = bk.seg[q];
            const double ia = ga.isi, ib = gb.isi;
            // With N_i(x) = dt_p (t_f - x) + dt_f (x - t_p), S_i = N_i / isi_i and
            // S = (S_1 isi_2 + S_2 isi_1) / (0.5 (isi_1 + isi_2)^2), the trapezoid over
            // [t, tn] is (N_1(t) + N_1(tn)) isi_2^2 + (N_2(t) + N_2(tn)) isi_1^2, times
            // (tn - t) / ((isi_1 + isi_2)^2 isi_1 isi_2): one division per interval.
            const double u = t[k] + tn;
            const double na = da[k][p] * (ga.tf2 - u) + da[k][p + 1] * (u - ga.tp2);
            const double nb = db[k][q] * (gb.tf2 - u) + db[k][q + 1] * (u - gb.tp2);
            const double den = (ia + ib) * (ia + ib) * ia * ib;
            // den == 0 only on an interval of zero length (two lone spikes on t_end).
            const double scale = den > 0.0 ? (tn - t[k]) / den : 0.0;
            sum[k] += (na * ib * ib + nb * ia * ia) * scale;
            const bool live = tn < t_end;
            ca[k] += static_cast<std::size_t>((x <= y) & live);
            cb[k] += static_cast<std::size_t>((y <= x) & live);
            t[k] = tn;
            any |= live;
        }
    }
    for (int k = 0; k < L; ++k) out[k] = sum[k] / (w.t_end - w.t_start);
}

}  // namespace

double spike_pair(const SpikeTrainSegments& a, const SpikeTrainSegments& b, const Window& w) {
    const SpikeTrainSegments* bb[1] = {&b};
    double out;
    spike_lanes<1>(a, bb, w, &out);
    return out;
}

void spike_pair_lanes(const SpikeTrainSegments& a, const SpikeTrainSegments* const b[kSpikeLanes], const Window& w,
                      double out[kSpikeLanes]) {
    spike_lanes<kSpikeLanes>(a, b, w, out);
}

}  // namespace snnfit::metrics::detail
