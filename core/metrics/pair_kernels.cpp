#include "metrics/pair_kernels.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include <emmintrin.h>
#if defined(__x86_64__) && defined(__GNUC__)
#define SNNFIT_X86_DISPATCH 1
#include <immintrin.h>
#else
#define SNNFIT_X86_DISPATCH 0
#endif

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

// For the AVX2 kernels' integer merge: s as an unsigned integer of the same order (-0 as
// +0; spike times are never NaN), and the largest key at the records the merge never
// takes (those at t_end), whose pointer step is 0; returns the first such record.
std::uint64_t ordered_key(double s) {
    const auto b = std::bit_cast<std::uint64_t>(s + 0.0);
    return b >> 63 ? ~b : b | (std::uint64_t{1} << 63);
}
template <class Rec, class Time>
std::size_t set_merge_keys(std::vector<Rec>& recs, double t_end, Time time) {
    std::size_t stop = recs.size() - 1;
    for (std::size_t c = recs.size(); c-- > 0;) {
        const double x = time(recs[c]);
        const bool taken = x < t_end;
        recs[c].key = taken ? ordered_key(x) : std::numeric_limits<std::uint64_t>::max();
        recs[c].step = taken ? sizeof(Rec) : 0;
        if (!taken) stop = c;
    }
    return stop;
}

KernelIsa cpu_isa() {
#if SNNFIT_X86_DISPATCH
    __builtin_cpu_init();  // g_isa is initialised by a constructor, maybe before libgcc's
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi")) return KernelIsa::sse2;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) return KernelIsa::avx512vl;
    return KernelIsa::avx2;
#endif
    return KernelIsa::sse2;
}
std::atomic<KernelIsa> g_isa{cpu_isa()};
}  // namespace

KernelIsa kernel_isa() {
    return g_isa.load(std::memory_order_relaxed);
}

KernelIsa best_kernel_isa() {
    static const KernelIsa best = cpu_isa();
    return best;
}

void set_kernel_isa(KernelIsa isa) {
    g_isa.store(std::min(isa, best_kernel_isa()), std::memory_order_relaxed);
}

// ---- ISI ----------------------------------------------------------------------------------

void prepare_isi(Span spikes, const Window& w, IsiTrain& out) {
    double aux[2];
    const Span s = non_empty(spikes, w, aux);
    const std::size_t n = s.size();
    out.steps.clear();
    out.steps.reserve(n + 1);
    auto step = [&](double end, double nu) { out.steps.push_back({end, nu, 0.0, nu > 0.0 ? 1.0 / nu : 0.0, 0, 0}); };
    // Edge correction of the first ISI (before the first spike) ...
    if (s[0] > w.t_start) step(s[0], n > 1 ? std::fmax(s[0] - w.t_start, s[1] - s[0]) : s[0] - w.t_start);
    double prev = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        // ... and of the last one (after the last spike).
        const double nu = i + 1 < n ? s[i + 1] - s[i] : (n > 1 ? std::fmax(w.t_end - s[i], prev) : w.t_end - s[i]);
        prev = nu;
        step(i + 1 < n ? s[i + 1] : w.t_end, nu);  // the last step ends on t_end: the merge's sentinel
    }
    out.stop = set_merge_keys(out.steps, w.t_end, [](const IsiTrain::Step& g) { return g.end; });
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
    // Coincident spikes, as PySpike counts them (an exact integer in a double).
    for (int k = 0; k < L; ++k) {
        const auto cc =
            static_cast<std::size_t>(_mm_cvtsi128_si64(c[k]) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(c[k], c[k])));
        out[k] = 2.0 * static_cast<double>(cc);
    }
}

double sync_of(double coincident, const SyncTrain& a, const SyncTrain& b) {
    const double mp = static_cast<double>(a.n + b.n);
    return mp > 0.0 ? coincident / mp : 1.0;
}
}  // namespace

double sync_coincidences(const SyncTrain& a, const SyncTrain& b) {
    const SyncTrain* bb[1] = {&b};
    double out;
    sync_lanes<1>(a, bb, &out);
    return out;
}

double sync_pair(const SyncTrain& a, const SyncTrain& b) {
    return sync_of(sync_coincidences(a, b), a, b);
}

void sync_coincidence_pairs(const SyncTrain& a, const SyncTrain* const* b, std::size_t count, double* out) {
    // Five pairs per call: the fastest measured (register pressure).
    std::size_t k = 0;
    for (; k + 5 <= count; k += 5) sync_lanes<5>(a, b + k, out + k);
    for (; k < count; ++k) out[k] = sync_coincidences(a, *b[k]);
}

void sync_pairs(const SyncTrain& a, const SyncTrain* const* b, std::size_t count, double* out) {
    sync_coincidence_pairs(a, b, count, out);
    for (std::size_t k = 0; k < count; ++k) out[k] = sync_of(out[k], a, *b[k]);
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
        auto& g = out.seg[c];
        g.nn_prev = (c > 0 ? s[c - 1] : out.aux_lo) + 0.0;  // + 0.0: -0 as +0, like the keys
        g.nn_next = (c < n ? s[c] : out.aux_hi) + 0.0;
        // The rest follows from t_p = nn_prev and t_f = nn_next, computed as the AVX2 kernel
        // does. The ISI is PySpike's, edge correction included: t_f - aux_lo is
        // max(t_f - t_start, s_1 - s_0), and aux_hi - t_p likewise (up to rounding).
        g.s_next = g.nn_next < w.t_end ? g.nn_next : w.t_end;
        g.isi = g.nn_next - g.nn_prev;
        g.tp2 = g.nn_prev + g.nn_prev;
        g.len2 = (g.nn_next + g.nn_next) - g.tp2;
    }
    out.c0 = s[0] == w.t_start ? 1 : 0;
    out.dtf_at_end = n == 1 && s[0] == w.t_start;  // then aux_hi = t_end: segment 1 ends there
    // The merge takes the spikes before t_end; it stops at the first record it does not take.
    out.stop = set_merge_keys(out.seg, w.t_end, [](const SpikeTrainSegments::Segment& g) { return g.s_next; });
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

using Seg = SpikeTrainSegments::Segment;

// The distance of a's first spike to the nearest spike of b, as the merge measures it
// when it takes that spike (or closes its segment at t_end): against b's record current
// then, the first whose spike is not before it. PySpike's first segment has dt_p = dt_f,
// so this is the distance at both ends of segment 0 (or, for a spike on t_start, at the
// left end of segment 1).
double first_distance(const SpikeTrainSegments& a, const SpikeTrainSegments& b) {
    const double x = a.seg[0].s_next;
    std::size_t q = 0;
    while (b.seg[q].s_next < x) ++q;  // ends on b's record after its last spike, at t_end >= x
    return lo(x - b.seg[q].nn_prev, b.seg[q].nn_next - x);
}

// {a side, b side} of a pair's state at the end of the merge.
struct SideSums {
    double a, b;
};

// The end of a pair: close the open segments at t_end. Before the last spike the next
// spike lies on t_end (the merge stopped there) and its distance is the usual one; after
// it dt_f = dt_p, except for a lone spike on t_start, whose last segment ends on t_end
// itself (PySpike then measures from t_end).
double close_spike_pair(const SpikeTrainSegments& a, const SpikeTrainSegments& b, const Seg& ga, const Seg& gb,
                        const Window& w, SideSums pv, SideSums vv, SideSums sum) {
    const double t_end = w.t_end;
    const double x = ga.s_next, y = gb.s_next;
    const double dx = &ga != &a.seg[a.n] ? lo(x - gb.nn_prev, gb.nn_next - x)
                      : a.dtf_at_end     ? std::fmin(t_end - b.seg[b.n].nn_prev, b.aux_hi - t_end)
                                         : pv.a;
    const double dy = &gb != &b.seg[b.n] ? lo(y - ga.nn_prev, ga.nn_next - y)
                      : b.dtf_at_end     ? std::fmin(t_end - a.seg[a.n].nn_prev, a.aux_hi - t_end)
                                         : pv.b;
    const double ea = (dx - pv.a) * vv.a;
    const double eb = (dy - pv.b) * vv.b;
    return (((sum.a + sum.b) + ea) + eb) / (w.t_end - w.t_start);
}

// One merge does both of PySpike's passes. The profile on an interval of segment p of a
// is linear in a's two endpoint distances da[p], da[p + 1] (each spike's distance to the
// nearest spike of b): the interval's share of the integral is
// da[p] len2 f + (da[p + 1] - da[p]) v f with v = (t + tn) - 2 t_p and f its weight. da[p]
// is known while the segment is open, so the first term is summed as the merge goes; the
// kernel keeps V = sum v f and closes the segment with (da[p + 1] - da[p]) V when the
// merge takes a's next spike, which is the moment that spike's nearest-neighbour distance
// is known (the other train's previous and next spikes are the current ones). Likewise
// for b. Segment 0 has da[0] = da[1], known from the start (first_distance).
//
// Each step takes one spike: a's when x <= y, b's when y < x (a spike time both trains
// share is two steps, a's first; the second step's interval has length 0 and adds
// exactly 0, and the spike's distance is 0 either way, so the sums are those of taking
// both at once). A pair thus takes (a.stop - a.c0) + (b.stop - b.c0) steps, and one more
// for the interval that ends on t_end.
template <int L>
void spike_lanes(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, const Window& w, double* out) {
    const Seg* ra[L];
    const Seg* rb[L];
    V2 t[L], sum[L], vv[L], pv[L];
    for (int k = 0; k < L; ++k) {
        const SpikeTrainSegments& bk = *b[k];
        ra[k] = a.seg.data() + a.c0, rb[k] = bk.seg.data() + bk.c0;
        t[k] = _mm_set1_pd(w.t_start);
        sum[k] = vv[k] = _mm_setzero_pd();
        pv[k] = v2(first_distance(a, bk), first_distance(bk, a));
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
            const V2 a0 = _mm_load_pd(&ga.nn_prev), b0 = _mm_load_pd(&gb.nn_prev);  // {nn_prev, nn_next}
            const V2 a1 = _mm_load_pd(&ga.isi), b1 = _mm_load_pd(&gb.isi);          // {isi, s_next}
            const V2 a2 = _mm_load_pd(&ga.tp2), b2 = _mm_load_pd(&gb.tp2);          // {tp2, len2}
            const V2 xy = _mm_unpackhi_pd(a1, b1), yx = _mm_unpackhi_pd(b1, a1);    // the next spikes {x, y}
            const V2 tn = _mm_min_pd(xy, yx);  // both halves; every s_next is <= t_end
            // With N_i(x) = dt_p (t_f - x) + dt_f (x - t_p), S_i = N_i / isi_i and
            // S = (S_1 isi_2 + S_2 isi_1) / (0.5 (isi_1 + isi_2)^2), the trapezoid over
            // [t, tn] is (N_1(t) + N_1(tn)) isi_2^2 + (N_2(t) + N_2(tn)) isi_1^2, times
            // (tn - t) / ((isi_1 + isi_2)^2 isi_1 isi_2): one division per interval.
            const V2 u = t[k] + tn;
            const V2 ii = _mm_unpacklo_pd(a1, b1), iw = _mm_unpacklo_pd(b1, a1);  // {isi_a, isi_b}, swapped
            const V2 is = ii + iw;
            const V2 den = is * is * (ii * iw);
            const V2 scale = (tn - t[k]) / _mm_max_pd(den, den_min);
            const V2 f = iw * iw * scale;
            const V2 v1 = vv[k] + (u - _mm_unpacklo_pd(a2, b2)) * f;
            // The distances of x and y to the other train's previous and next spikes (or
            // auxiliary spikes), final when they are taken.
            const V2 d = vlo(xy - _mm_unpacklo_pd(b0, a0), _mm_unpackhi_pd(b0, a0) - xy);
            // {x <= y, y <= x} below t_end, then y's only when x's is not: {x <= y, y < x}.
            const V2 le = _mm_cmple_pd(xy, _mm_min_pd(yx, below_end));
            const V2 take = _mm_andnot_pd(_mm_unpacklo_pd(_mm_setzero_pd(), le), le);
            sum[k] += pv[k] * _mm_unpackhi_pd(a2, b2) * f;
            sum[k] += _mm_and_pd(take, (d - pv[k]) * v1);
            pv[k] = _mm_or_pd(_mm_and_pd(take, d), _mm_andnot_pd(take, pv[k]));
            vv[k] = _mm_andnot_pd(take, v1);
            const unsigned m = static_cast<unsigned>(_mm_movemask_pd(take));
            const auto mm = static_cast<std::size_t>(m);
            ra[k] = reinterpret_cast<const Seg*>(reinterpret_cast<const char*>(ra[k]) + (mm & 1) * sizeof(Seg));
            rb[k] = reinterpret_cast<const Seg*>(reinterpret_cast<const char*>(rb[k]) + (mm & 2) * (sizeof(Seg) / 2));
            t[k] = tn;
            any |= m != 0;  // some spike before t_end is taken while tn < t_end
        }
    }
    for (int k = 0; k < L; ++k)
        out[k] = close_spike_pair(a, *b[k], *ra[k], *rb[k], w, {pv[k][0], pv[k][1]}, {vv[k][0], vv[k][1]},
                                  {sum[k][0], sum[k][1]});
}

#if SNNFIT_X86_DISPATCH
// The same kernel on AVX2, four pairs per vector, a vector per side: {a_0 .. a_3} and
// {b_0 .. b_3}, so the quantities both sides share (tn, the interval's scale) are
// computed once per pair and no side needs the other's values swapped in. Lane by lane
// it does the SSE2 kernel's arithmetic in the same order (and no FMA), so both give
// bit-identical numbers. The merge runs in integer registers on the records' ordered
// keys, a short dependency chain from one step's loads to the next's, and the pointer
// steps are 0 at the records the merge stops on, so a pair that has finished idles
// until the others do (its intervals then have length 0 and add exactly 0).
#pragma GCC push_options
#pragma GCC target("avx2,bmi")
#ifdef __clang__  // clang ignores the GCC target pragma (the libFuzzer build, tests/fuzz)
#pragma clang attribute push(__attribute__((target("avx2,bmi"))), apply_to = function)
#endif

using V4 = __m256d;

// Four records' 16-byte chunks {f, g} at `field` (in doubles): {t02, t13} below, then
// {f_0 .. f_3} = unpacklo and {g_0 .. g_3} = unpackhi.
template <class Rec>
[[gnu::always_inline]] inline void chunks4(const Rec* const* r, int field, V4& t02, V4& t13) {
    auto at = [&](int k) { return reinterpret_cast<const double*>(r[k]) + field; };
    t02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_load_pd(at(0))), _mm_load_pd(at(2)), 1);
    t13 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_load_pd(at(1))), _mm_load_pd(at(3)), 1);
}
template <class Rec>
[[gnu::always_inline]] inline void transpose4(const Rec* const* r, int field, V4& f, V4& g) {
    V4 t02, t13;
    chunks4(r, field, t02, t13);
    f = _mm256_unpacklo_pd(t02, t13), g = _mm256_unpackhi_pd(t02, t13);
}

// One merge step on the records' keys: b's record advances when its key is below a's,
// else a's (by a step of 0 at the record the merge stops on). take_b = all ones when
// kb < ka: cmp + sbb (compilers spell it in three).
template <class Rec>
[[gnu::always_inline]] inline void merge_step(const Rec*& ra, const Rec*& rb) {
    std::uint64_t take_b;
    asm("cmp %[ka], %[kb]\n\tsbb %[m], %[m]" : [m] "=r"(take_b) : [ka] "r"(ra->key), [kb] "m"(rb->key) : "cc");
    const std::uint64_t step_b = take_b & rb->step, step_a = ~take_b & ra->step;
    rb = reinterpret_cast<const Rec*>(reinterpret_cast<const char*>(rb) + step_b);
    ra = reinterpret_cast<const Rec*>(reinterpret_cast<const char*>(ra) + step_a);
}

// The ISI kernel on AVX2: four pairs per vector, one vector per side, the merge on the
// keys. Lane by lane the arithmetic of isi_lanes' upper half (its lower half is unused).
// A time both trains share is two steps here, one in isi_lanes: the second interval has
// length 0 and adds exactly 0.
[[gnu::always_inline]] inline void isi_side(const IsiTrain& a, const IsiTrain* const* b, const Window& w, double* out) {
    using Step = IsiTrain::Step;
    const Step* ra[4];
    const Step* rb[4];
    std::size_t steps = 0;
    for (int k = 0; k < 4; ++k) {
        ra[k] = a.steps.data(), rb[k] = b[k]->steps.data();
        steps = std::max(steps, a.stop + b[k]->stop + 1);  // + the interval to t_end
    }
    V4 t = _mm256_set1_pd(w.t_start), sum = _mm256_setzero_pd();
    const V4 abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffff));
    for (std::size_t step = 0; step < steps; ++step) {
        V4 xa, nua, xb, nub, p02, p13, q02, q13;
        transpose4(ra, 0, xa, nua), transpose4(rb, 0, xb, nub);  // {end, nu}
        chunks4(ra, 2, p02, p13), chunks4(rb, 2, q02, q13);      // {-, inv_nu}
        const V4 inva = _mm256_unpackhi_pd(p02, p13), invb = _mm256_unpackhi_pd(q02, q13);
        const V4 tn = _mm256_min_pd(xa, xb);
        const V4 r = _mm256_and_pd(nua - nub, abs_mask) * _mm256_min_pd(inva, invb);
        sum += r * (tn - t);
        t = tn;
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) merge_step(ra[k], rb[k]);
    }
    alignas(32) double st[4];
    _mm256_store_pd(st, sum);
    for (int k = 0; k < 4; ++k) out[k] = st[k] / (w.t_end - w.t_start);
}

[[gnu::always_inline]] inline void spike_side(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b,
                                              const Window& w, double* out) {
    const Seg* ra[4];
    const Seg* rb[4];
    alignas(32) double init[2][4];
    std::size_t steps = 0;
    for (int k = 0; k < 4; ++k) {
        const SpikeTrainSegments& bk = *b[k];
        ra[k] = a.seg.data() + a.c0, rb[k] = bk.seg.data() + bk.c0;
        steps = std::max(steps, (a.stop - a.c0) + (bk.stop - bk.c0) + 1);  // + the interval to t_end
        init[0][k] = first_distance(a, bk), init[1][k] = first_distance(bk, a);
    }
    V4 t = _mm256_set1_pd(w.t_start), sa = _mm256_setzero_pd(), sb = sa, va = sa, vb = sa;
    V4 pa = _mm256_load_pd(init[0]), pb = _mm256_load_pd(init[1]);
    const V4 below_end = _mm256_set1_pd(std::nextafter(w.t_end, -kInf)), end = _mm256_set1_pd(w.t_end),
             den_min = _mm256_set1_pd(std::numeric_limits<double>::denorm_min());
    for (std::size_t step = 0; step < steps; ++step) {
        // Only {nn_prev, nn_next} is loaded; the rest is computed from it as prepare_spike
        // does (the shuffles that gather the records are what bounds this loop).
        V4 npa, nna, npb, nnb;
        transpose4(ra, 0, npa, nna), transpose4(rb, 0, npb, nnb);
        const V4 xa = _mm256_min_pd(nna, end), xb = _mm256_min_pd(nnb, end);
        const V4 ia = nna - npa, ib = nnb - npb;
        const V4 tpa = npa + npa, tpb = npb + npb;
        const V4 lena = (nna + nna) - tpa, lenb = (nnb + nnb) - tpb;
        const V4 tn = _mm256_min_pd(xa, xb);
        const V4 u = t + tn;
        const V4 is = ia + ib;
        const V4 den = is * is * (ia * ib);
        const V4 scale = (tn - t) / _mm256_max_pd(den, den_min);
        const V4 fa = ib * ib * scale, fb = ia * ia * scale;
        const V4 v1a = va + (u - tpa) * fa, v1b = vb + (u - tpb) * fb;
        const V4 da = _mm256_min_pd(nnb - xa, xa - npb), db = _mm256_min_pd(nna - xb, xb - npa);
        const V4 ta = _mm256_cmp_pd(xa, _mm256_min_pd(xb, below_end), _CMP_LE_OQ);  // x <= y, x < t_end
        const V4 tb = _mm256_cmp_pd(xb, xa, _CMP_LT_OQ);                            // y < x (<= t_end)
        sa += pa * lena * fa, sb += pb * lenb * fb;
        sa += _mm256_and_pd(ta, (da - pa) * v1a), sb += _mm256_and_pd(tb, (db - pb) * v1b);
        pa = _mm256_blendv_pd(pa, da, ta), pb = _mm256_blendv_pd(pb, db, tb);
        va = _mm256_andnot_pd(ta, v1a), vb = _mm256_andnot_pd(tb, v1b);
        t = tn;
        // The same decisions on the keys: b's spike when y < x, else a's.
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) merge_step(ra[k], rb[k]);
    }
    alignas(32) double st[6][4];
    _mm256_store_pd(st[0], pa), _mm256_store_pd(st[1], pb), _mm256_store_pd(st[2], va), _mm256_store_pd(st[3], vb);
    _mm256_store_pd(st[4], sa), _mm256_store_pd(st[5], sb);
    for (int k = 0; k < 4; ++k)
        out[k] = close_spike_pair(a, *b[k], *ra[k], *rb[k], w, {st[0][k], st[1][k]}, {st[2][k], st[3][k]},
                                  {st[4][k], st[5][k]});
}
#ifdef __clang__
#pragma clang attribute pop
#endif
#pragma GCC pop_options

// Groups of four pairs (the last one filled up with copies of its last pair), on AVX2 as
// is, and compiled for AVX-512VL, where the same 256-bit code gets 32 vector registers
// instead of 16 (no spills).
template <class Train, class Group>
[[gnu::always_inline]] inline void in_groups(const Train* const* b, std::size_t count, double* out, Group group) {
    for (std::size_t k = 0; k < count; k += 4) {
        const Train* bb[4];
        double o[4];
        for (std::size_t q = 0; q < 4; ++q) bb[q] = b[std::min(k + q, count - 1)];
        group(bb, o);
        for (std::size_t q = 0; q < 4 && k + q < count; ++q) out[k + q] = o[q];
    }
}
#define SNNFIT_AVX2 __attribute__((target("avx2,bmi")))
#define SNNFIT_AVX512VL __attribute__((target("avx2,bmi,avx512f,avx512vl")))
SNNFIT_AVX2 void pairs_avx2(const IsiTrain& a, const IsiTrain* const* b, std::size_t count, const Window& w,
                            double* out) {
    in_groups(b, count, out, [&](const IsiTrain* const* bb, double* o) SNNFIT_AVX2 { isi_side(a, bb, w, o); });
}
SNNFIT_AVX512VL void pairs_avx512vl(const IsiTrain& a, const IsiTrain* const* b, std::size_t count, const Window& w,
                                    double* out) {
    in_groups(b, count, out, [&](const IsiTrain* const* bb, double* o) SNNFIT_AVX512VL { isi_side(a, bb, w, o); });
}
SNNFIT_AVX2 void pairs_avx2(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, std::size_t count,
                            const Window& w, double* out) {
    in_groups(b, count, out,
              [&](const SpikeTrainSegments* const* bb, double* o) SNNFIT_AVX2 { spike_side(a, bb, w, o); });
}
SNNFIT_AVX512VL void pairs_avx512vl(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, std::size_t count,
                                    const Window& w, double* out) {
    in_groups(b, count, out,
              [&](const SpikeTrainSegments* const* bb, double* o) SNNFIT_AVX512VL { spike_side(a, bb, w, o); });
}
#undef SNNFIT_AVX2
#undef SNNFIT_AVX512VL
#endif

// A row of pairs on the best kernel the CPU has (or the one set_kernel_isa chose), else
// on the SSE2 one.
template <class Train, class Baseline>
void pairs(const Train& a, const Train* const* b, std::size_t count, const Window& w, double* out, Baseline baseline) {
    switch (kernel_isa()) {
#if SNNFIT_X86_DISPATCH
        case KernelIsa::avx512vl:
            return pairs_avx512vl(a, b, count, w, out);
        case KernelIsa::avx2:
            return pairs_avx2(a, b, count, w, out);
#endif
        default:
            return baseline();
    }
}

}  // namespace

double spike_pair(const SpikeTrainSegments& a, const SpikeTrainSegments& b, const Window& w) {
    const SpikeTrainSegments* bb[1] = {&b};
    double out;
    spike_lanes<1>(a, bb, w, &out);
    return out;
}

void spike_pairs(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, std::size_t count, const Window& w,
                 double* out) {
    pairs(a, b, count, w, out, [&] {
        // Two pairs per call: the fastest measured (register pressure).
        std::size_t k = 0;
        for (; k + 2 <= count; k += 2) spike_lanes<2>(a, b + k, w, out + k);
        if (k < count) out[k] = spike_pair(a, *b[k], w);
    });
}

void isi_pairs(const IsiTrain& a, const IsiTrain* const* b, std::size_t count, const Window& w, double* out) {
    pairs(a, b, count, w, out, [&] {
        // Five pairs per call: the fastest measured (register pressure).
        std::size_t k = 0;
        for (; k + 5 <= count; k += 5) isi_lanes<5>(a, b + k, w, out + k);
        for (; k < count; ++k) out[k] = isi_pair(a, *b[k], w);
    });
}

}  // namespace snnfit::metrics::detail
