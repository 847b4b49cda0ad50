#include "metrics/pair_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <emmintrin.h>

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
    auto step = [&](double end, double nu) { out.steps.push_back({end, nu, 0.0, nu > 0.0 ? 1.0 / nu : 0.0}); };
    // Edge correction of the first ISI (before the first spike) ...
    if (s[0] > w.t_start) step(s[0], n > 1 ? std::fmax(s[0] - w.t_start, s[1] - s[0]) : s[0] - w.t_start);
    double prev = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        // ... and of the last one (after the last spike).
        const double nu = i + 1 < n ? s[i + 1] - s[i] : (n > 1 ? std::fmax(w.t_end - s[i], prev) : w.t_end - s[i]);
        prev = nu;
        step(i + 1 < n ? s[i + 1] : w.t_end, nu);  // the last step ends on t_end: the merge's sentinel
    }
}

namespace {
// Both trains of a pair are the halves of an SSE2 vector (baseline x86-64): the merge
// compares {x, y} with {y, x}, and the steps advance by movemask(take).
template <int L>
void isi_lanes(const IsiTrain& a, const IsiTrain* const* b, const Window& w, double* out) {
    const char* pa[L];
    const char* pb[L];
    __m128d t[L], sum[L];
    for (int k = 0; k < L; ++k) {
        pa[k] = reinterpret_cast<const char*>(a.steps.data());
        pb[k] = reinterpret_cast<const char*>(b[k]->steps.data());
        t[k] = _mm_set1_pd(w.t_start), sum[k] = _mm_setzero_pd();
    }
    const __m128d below_end = _mm_set1_pd(std::nextafter(w.t_end, -kInf));
    const __m128d abs_mask = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffff));
    for (bool any = true; any;) {
        any = false;
#pragma GCC unroll 8
        for (int k = 0; k < L; ++k) {
            const __m128d p0 = _mm_load_pd(reinterpret_cast<const double*>(pa[k]));  // {end, nu}
            const __m128d q0 = _mm_load_pd(reinterpret_cast<const double*>(pb[k]));
            const __m128d p1 = _mm_load_pd(reinterpret_cast<const double*>(pa[k]) + 2);  // {-, inv_nu}
            const __m128d q1 = _mm_load_pd(reinterpret_cast<const double*>(pb[k]) + 2);
            const __m128d xy = _mm_unpacklo_pd(p0, q0), yx = _mm_unpacklo_pd(q0, p0);
            const __m128d tn = _mm_min_pd(xy, yx);  // both halves; every end is <= t_end
            // Upper half: |nu1 - nu2| / max(nu1, nu2), with 1 / max = the smaller
            // reciprocal: no division in the loop (relative error 2^-52), exactly 0 for
            // equal ISIs, and 0 when both are zero (two lone spikes on t_end, an interval
            // of zero length). The lower half is not used.
            const __m128d r = _mm_and_pd(p0 - q0, abs_mask) * _mm_min_pd(p1, q1);
            sum[k] += r * (tn - t[k]);
            // x <= y and x < t_end, as x <= min(y, the double below t_end).
            const __m128d take = _mm_cmple_pd(xy, _mm_min_pd(yx, below_end));
            const int m = _mm_movemask_pd(take);
            const auto mm = static_cast<std::size_t>(m);
            pa[k] += (mm & 1) * sizeof(IsiTrain::Step);
            pb[k] += (mm & 2) * (sizeof(IsiTrain::Step) / 2);
            t[k] = tn;
            any |= m != 0;  // tn < t_end: the earlier step ends before t_end and is taken
        }
    }
    for (int k = 0; k < L; ++k) out[k] = _mm_cvtsd_f64(_mm_unpackhi_pd(sum[k], sum[k])) / (w.t_end - w.t_start);
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
// Here one branch-free merge tests each spike when it is taken, against the other
// train's previous spike (the current one) and next one (a shared time when equal);
// both trains of a pair are the halves of an SSE2 vector.
template <int L>
void sync_lanes(const SyncTrain& a, const SyncTrain* const* b, double* out) {
    const char* pa[L];
    const char* pb[L];
    __m128i c[L];
    for (int k = 0; k < L; ++k) {
        pa[k] = reinterpret_cast<const char*>(a.spikes.data());
        pb[k] = reinterpret_cast<const char*>(b[k]->spikes.data());
        c[k] = _mm_setzero_si128();
    }
    const __m128d finite_max = _mm_set1_pd(std::numeric_limits<double>::max());
    // The a half of a shared spike counts (once), the b half does not.
    const __m128d shared_counts = _mm_castsi128_pd(_mm_set_epi64x(0, -1));
    constexpr std::size_t kSize = sizeof(SyncTrain::Spike);
    for (bool any = true; any;) {
        any = false;
#pragma GCC unroll 8
        for (int k = 0; k < L; ++k) {
            const double* ap = reinterpret_cast<const double*>(pa[k]);
            const double* bp = reinterpret_cast<const double*>(pb[k]);
            const __m128d a0 = _mm_load_pd(ap), a1 = _mm_load_pd(ap + 2);  // {s, tau}: previous, next
            const __m128d b0 = _mm_load_pd(bp), b1 = _mm_load_pd(bp + 2);
            const __m128d xy = _mm_unpacklo_pd(a1, b1), yx = _mm_unpacklo_pd(b1, a1);
            // The previous spike of the other train: -inf (tau inf) before its first one.
            const __m128d prev = _mm_unpacklo_pd(b0, a0);
            const __m128d tau = _mm_min_pd(_mm_unpackhi_pd(a1, b1), _mm_unpackhi_pd(b0, a0));
            const __m128d near = _mm_cmplt_pd(xy - prev, tau);
            const __m128d shared = _mm_cmpeq_pd(xy, yx);
            const __m128d coinc = _mm_or_pd(_mm_and_pd(shared, shared_counts), _mm_andnot_pd(shared, near));
            const __m128d take = _mm_cmple_pd(xy, _mm_min_pd(yx, finite_max));  // x <= y, x < inf
            c[k] = _mm_sub_epi64(c[k], _mm_castpd_si128(_mm_and_pd(take, coinc)));
            const int m = _mm_movemask_pd(take);
            const auto mm = static_cast<std::size_t>(m);
            pa[k] += (mm & 1) * kSize;
            pb[k] += (mm & 2) * (kSize / 2);
            any |= m != 0;
        }
    }
    for (int k = 0; k < L; ++k) {
        const auto cc =
            static_cast<std::size_t>(_mm_cvtsi128_si64(c[k]) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(c[k], c[k])));
        const double mp = static_cast<double>(a.n + b[k]->n);
        out[k] = mp > 0.0 ? 2.0 * static_cast<double>(cc) / mp : 1.0;
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
    // PySpike's auxiliary spikes: one ISI before the first / after the last spike.
    out.aux_lo = n > 1 ? std::fmin(w.t_start, 2 * s[0] - s[1]) : w.t_start;
    out.aux_hi = n > 1 ? std::fmax(w.t_end, 2 * s[n - 1] - s[n - 2]) : w.t_end;
    out.seg.assign(n + 1, {});
    for (std::size_t c = 0; c <= n; ++c) {
        out.seg[c].s_next = c < n ? s[c] : w.t_end;
        out.seg[c].nn_prev = c > 0 ? s[c - 1] : out.aux_lo;
        out.seg[c].nn_next = c < n ? s[c] : out.aux_hi;
    }
    auto set = [&](std::size_t c, double tp, double tf, double isi) {
        // Segment 0: v = len2 (see spike_lanes).
        auto& g = out.seg[c];
        g.len2 = 2 * tf - 2 * tp, g.isi = isi;
        g.u1 = c == 0 ? 0.0 : 1.0, g.tp2 = c == 0 ? -g.len2 : 2 * tp;
    };
    set(0, out.aux_lo, s[0], n > 1 ? std::fmax(s[0] - w.t_start, s[1] - s[0]) : s[0] - w.t_start);
    for (std::size_t c = 1; c < n; ++c) set(c, s[c - 1], s[c], s[c] - s[c - 1]);
    set(n, s[n - 1], out.aux_hi, n > 1 ? std::fmax(w.t_end - s[n - 1], s[n - 1] - s[n - 2]) : w.t_end - s[n - 1]);
    out.c0 = s[0] == w.t_start ? 1 : 0;
    out.dtf_at_end = n == 1 && s[0] == w.t_start;
    if (out.dtf_at_end) set(1, s[0], w.t_end, w.t_end - s[0]);
}

namespace {

// SSE2 (baseline x86-64) pairs {a side, b side}: the SPIKE kernel does the same
// arithmetic for both trains of a pair, so it runs them as the two halves of a vector.
using V2 = __m128d;
inline V2 v2(double for_a, double for_b) {
    return _mm_set_pd(for_b, for_a);
}
inline V2 vlo(V2 x, V2 y) {  // y < x ? y : x, like lo()
    return _mm_min_pd(y, x);
}

// One merge does both of PySpike's passes. The profile on an interval of segment p of a
// is linear in a's two unknown endpoint distances da[p], da[p + 1] (each spike's
// distance to the nearest spike of b): the interval's share of the integral is
// da[p] (len2 - v) f + da[p + 1] v f with v = (t + tn) - 2 t_p and f its weight. So the
// kernel sums W = sum f and V = sum v f over the open segment and closes it when the
// merge takes a's next spike, which is the moment that spike's nearest-neighbour distance
// is known (the other train's previous and next spikes are the current ones):
// da[p] (len2 W - V) + da[p + 1] V. Likewise for b. Segment 0 (da[0] = da[1]) has
// v = len2 (u1 = 0), so it closes with da[1] V whatever da[0] is taken to be (0).
template <int L>
void spike_lanes(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, const Window& w, double* out) {
    using Seg = SpikeTrainSegments::Segment;
    const Seg* ra[L];
    const Seg* rb[L];
    V2 t[L], sum[L], wv[L], vv[L], pv[L];
    for (int k = 0; k < L; ++k) {
        const SpikeTrainSegments& bk = *b[k];
        ra[k] = a.seg.data() + a.c0, rb[k] = bk.seg.data() + bk.c0;
        t[k] = _mm_set1_pd(w.t_start);
        sum[k] = wv[k] = vv[k] = _mm_setzero_pd();
        // The distance of a spike on t_start (taken by the first merge step, the other
        // train still before its first spike), the left end of segment 1.
        const double x = a.seg[0].s_next, y = bk.seg[0].s_next;
        pv[k] = v2(a.c0 ? lo(x - bk.aux_lo, bk.seg[0].nn_next - x) : 0.0,
                   bk.c0 ? lo(y - a.aux_lo, a.seg[0].nn_next - y) : 0.0);
    }
    // den > 0 is never below the least subnormal, so max(den, that) changes den == 0 only,
    // which happens only on an interval of zero length (two lone spikes on t_end, an ISI of
    // zero), where (tn - t) / den is then 0 instead of NaN.
    const V2 below_end = _mm_set1_pd(std::nextafter(w.t_end, -kInf)),
             den_min = _mm_set1_pd(std::numeric_limits<double>::denorm_min());
    for (bool any = true; any;) {
        any = false;
#pragma GCC unroll 4
        for (int k = 0; k < L; ++k) {
            const Seg& ga = *ra[k];
            const Seg& gb = *rb[k];
            const V2 a0 = _mm_load_pd(&ga.s_next), b0 = _mm_load_pd(&gb.s_next);
            const V2 a1 = _mm_load_pd(&ga.nn_next), b1 = _mm_load_pd(&gb.nn_next);
            const V2 a2 = _mm_load_pd(&ga.tp2), b2 = _mm_load_pd(&gb.tp2);
            const V2 a3 = _mm_load_pd(&ga.isi), b3 = _mm_load_pd(&gb.isi);
            const V2 xy = _mm_unpacklo_pd(a0, b0), yx = _mm_unpacklo_pd(b0, a0);  // the next spikes {x, y}
            const V2 tn = _mm_min_pd(xy, yx);  // both halves; every s_next is <= t_end
            // With N_i(x) = dt_p (t_f - x) + dt_f (x - t_p), S_i = N_i / isi_i and
            // S = (S_1 isi_2 + S_2 isi_1) / (0.5 (isi_1 + isi_2)^2), the trapezoid over
            // [t, tn] is (N_1(t) + N_1(tn)) isi_2^2 + (N_2(t) + N_2(tn)) isi_1^2, times
            // (tn - t) / ((isi_1 + isi_2)^2 isi_1 isi_2): one division per interval.
            const V2 u = t[k] + tn;
            const V2 ii = _mm_unpacklo_pd(a3, b3), iw = _mm_unpacklo_pd(b3, a3);  // {isi_a, isi_b}, swapped
            const V2 is = ii + iw;
            const V2 den = is * is * (ii * iw);
            const V2 scale = (tn - t[k]) / _mm_max_pd(den, den_min);
            const V2 f = iw * iw * scale;
            const V2 w1 = wv[k] + f;
            const V2 v1 = vv[k] + (u * _mm_unpackhi_pd(a1, b1) - _mm_unpacklo_pd(a2, b2)) * f;
            // The distances of x and y to the other train's previous and next spikes (or
            // auxiliary spikes), final when they are taken.
            const V2 d = vlo(xy - _mm_unpackhi_pd(b0, a0), _mm_unpacklo_pd(b1, a1) - xy);
            const V2 take = _mm_cmple_pd(xy, _mm_min_pd(yx, below_end));  // x <= y, x < t_end
            const V2 e = pv[k] * (_mm_unpackhi_pd(a2, b2) * w1 - v1) + d * v1;
            sum[k] += _mm_and_pd(take, e);
            pv[k] = _mm_or_pd(_mm_and_pd(take, d), _mm_andnot_pd(take, pv[k]));
            wv[k] = _mm_andnot_pd(take, w1), vv[k] = _mm_andnot_pd(take, v1);
            const unsigned m = static_cast<unsigned>(_mm_movemask_pd(take));
            const auto mm = static_cast<std::size_t>(m);
            ra[k] = reinterpret_cast<const Seg*>(reinterpret_cast<const char*>(ra[k]) + (mm & 1) * sizeof(Seg));
            rb[k] = reinterpret_cast<const Seg*>(reinterpret_cast<const char*>(rb[k]) + (mm & 2) * (sizeof(Seg) / 2));
            t[k] = tn;
            any |= m != 0;  // some spike before t_end is taken while tn < t_end
        }
    }
    // Close the open segments at t_end. Before the last spike the next spike lies on
    // t_end (the merge stopped there) and its distance is the usual one; after it
    // dt_f = dt_p, except for a lone spike on t_start, whose last segment ends on t_end
    // itself (PySpike then measures from t_end).
    const double t_end = w.t_end;
    for (int k = 0; k < L; ++k) {
        const SpikeTrainSegments& bk = *b[k];
        const Seg& ga = *ra[k];
        const Seg& gb = *rb[k];
        const double x = ga.s_next, y = gb.s_next;
        const double dpa = pv[k][0], dpb = pv[k][1];
        const double dx = &ga != &a.seg[a.n] ? lo(x - gb.nn_prev, gb.nn_next - x)
                          : a.dtf_at_end     ? std::fmin(t_end - bk.seg[bk.n].nn_prev, bk.aux_hi - t_end)
                                             : dpa;
        const double dy = &gb != &bk.seg[bk.n] ? lo(y - ga.nn_prev, ga.nn_next - y)
                          : bk.dtf_at_end      ? std::fmin(t_end - a.seg[a.n].nn_prev, a.aux_hi - t_end)
                                               : dpb;
        const double ea = dpa * (ga.len2 * wv[k][0] - vv[k][0]) + dx * vv[k][0];
        const double eb = dpb * (gb.len2 * wv[k][1] - vv[k][1]) + dy * vv[k][1];
        out[k] = (((sum[k][0] + sum[k][1]) + ea) + eb) / (w.t_end - w.t_start);
    }
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
