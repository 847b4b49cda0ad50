// Fast kernels behind distance() and distance_matrix() for the ISI-distance, the
// SPIKE-distance and SPIKE-synchronization. Each train is prepared once (its ISI step
// function, its coincidence windows, its SPIKE segments) so that a pair is one
// branch-free merge, with both trains of the pair as the two halves of an SSE2 vector;
// the matrix runs several pairs of a row interleaved (independent dependency chains) -
// for ISI and SPIKE, four pairs per AVX2 vector where the CPU has it - with the same
// arithmetic per pair as the single-pair call, so both give bit-identical numbers. Values equal
// PySpike 0.7's up to rounding (the tests hold them to 1e-12).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "metrics/spike_train.hpp"

namespace snnfit::metrics::detail {

// ISI step function: interval k runs from the previous step's `end` (t_start for k = 0)
// to `end`, with value nu and 1/nu; the last step ends on t_end (the merge's sentinel).
struct IsiTrain {
    // {end, nu} and {-, inv_nu} are the two aligned 16-byte chunks the kernels load;
    // key and step drive the AVX2 kernel's integer merge (see SpikeTrainSegments).
    struct alignas(16) Step {
        double end, nu, pad, inv_nu;  // inv_nu = 1 / nu (0 where nu == 0)
        std::uint64_t key, step;
    };
    std::vector<Step> steps;
    std::size_t stop = 0;  // the first step the merge does not take (end == t_end)
};
void prepare_isi(std::span<const double> spikes, const Window& w, IsiTrain& out);

// Spikes between sentinels (-inf, s..., +inf), each with its coincidence window
// half-width 0.5 * min(window length, adjacent ISIs), capped by max_tau when > 0.
struct SyncTrain {
    struct alignas(16) Spike {
        double s, tau;
    };
    std::vector<Spike> spikes;
    std::size_t n = 0;
};
void prepare_sync(std::span<const double> spikes, const Window& w, double max_tau, SyncTrain& out);

// SPIKE segments c = 0..n between consecutive (auxiliary) spikes: previous and
// following spike time and ISI, PySpike's edge correction included; one 64-byte record
// per segment, read with aligned 16-byte loads.
struct SpikeTrainSegments {
    struct alignas(64) Segment {
        // nn_prev, nn_next: the spikes around the segment, t_p and t_f (the auxiliary ones,
        // aux_lo and aux_hi, before the first and after the last spike), for
        // nearest-neighbour distances.
        double nn_prev, nn_next;
        // isi, edge-corrected in the first and last segment; the merge key s_next: the spike
        // ending the segment, t_end after the last spike (min(nn_next, t_end)).
        double isi, s_next;
        // tp2 = 2 t_p and len2 = 2 (t_f - t_p). The SSE2 kernel loads isi, s_next, tp2
        // and len2; the AVX2 kernel computes them from nn_prev and nn_next (as
        // prepare_spike does, so bit-identically), to spare the shuffles of loading them.
        double tp2, len2;
        // For the wide kernels' integer merge: s_next as an integer of the same order, and
        // the pointer step (sizeof(Segment)); UINT64_MAX and 0 at the records the merge
        // never takes (a spike on t_end, and the record after the last spike).
        std::uint64_t key, step;
    };
    std::vector<Segment> seg;
    double aux_lo = 0, aux_hi = 0;
    std::size_t n = 0;
    std::size_t c0 = 0;       // first segment in the window (1 when a spike sits on t_start)
    std::size_t stop = 0;     // the first record the merge does not take (s_next == t_end)
    bool dtf_at_end = false;  // a single spike on t_start: the last segment ends on t_end itself
};
void prepare_spike(std::span<const double> spikes, const Window& w, SpikeTrainSegments& out);

// The instruction set of the ISI and SPIKE matrix kernels: chosen at start-up as the best the CPU
// has (the build itself targets baseline x86-64, SSE2; AVX-512VL runs the AVX2 kernel
// with 32 vector registers). All give bit-identical numbers; set_kernel_isa selects a
// lower one for the tests and benchmarks that compare them (one the CPU lacks is
// lowered to the best it has).
enum class KernelIsa { sse2, avx2, avx512vl };
KernelIsa kernel_isa();
KernelIsa best_kernel_isa();
void set_kernel_isa(KernelIsa isa);

double isi_pair(const IsiTrain& a, const IsiTrain& b, const Window& w);
double sync_pair(const SyncTrain& a, const SyncTrain& b);  // SPIKE-synchronization (similarity)
// The coincident spikes of the pair (PySpike's coincidence count; SYNC = it / (a.n + b.n)).
double sync_coincidences(const SyncTrain& a, const SyncTrain& b);
double spike_pair(const SpikeTrainSegments& a, const SpikeTrainSegments& b, const Window& w);

// The pairs (a, b[k]), k < count (a row of the matrix), their lanes interleaved:
// out[k] is bit-identical to isi_pair / sync_pair / spike_pair(a, *b[k]).
void sync_pairs(const SyncTrain& a, const SyncTrain* const* b, std::size_t count, double* out);
void sync_coincidence_pairs(const SyncTrain& a, const SyncTrain* const* b, std::size_t count, double* out);
void isi_pairs(const IsiTrain& a, const IsiTrain* const* b, std::size_t count, const Window& w, double* out);
void spike_pairs(const SpikeTrainSegments& a, const SpikeTrainSegments* const* b, std::size_t count, const Window& w,
                 double* out);

}  // namespace snnfit::metrics::detail
