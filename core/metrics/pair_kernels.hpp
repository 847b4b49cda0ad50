// Fast kernels behind distance() and distance_matrix() for the ISI-distance, the
// SPIKE-distance and SPIKE-synchronization. Each train is prepared once (its ISI step
// function, its coincidence windows, its SPIKE segments) so that a pair is one
// branch-free merge, with both trains of the pair as the two halves of an SSE2 vector;
// the matrix runs two or five pairs of a row interleaved (independent dependency
// chains), with the same arithmetic per pair as the single-pair call, so both give
// bit-identical numbers. Values equal PySpike 0.7's up to rounding (the tests hold them
// to 1e-12).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "metrics/spike_train.hpp"

namespace snnfit::metrics::detail {

// ISI step function: interval k runs from the previous step's `end` (t_start for k = 0)
// to `end`, with value nu and 1/nu; the last step ends on t_end (the merge's sentinel).
struct IsiTrain {
    // {end, nu} and {-, inv_nu} are the two aligned 16-byte halves the kernel loads.
    struct alignas(32) Step {
        double end, nu, pad, inv_nu;  // inv_nu = 1 / nu (0 where nu == 0)
    };
    std::vector<Step> steps;
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
// per segment, so that the kernel reads a segment with four aligned 16-byte loads.
struct SpikeTrainSegments {
    struct alignas(64) Segment {
        // The merge key: the spike ending the segment, t_end after the last spike (a
        // sentinel: the merge takes only spikes before t_end). nn_prev, nn_next: the
        // spikes around the segment for nearest-neighbour distances, the auxiliary ones
        // (aux_lo, aux_hi) before the first and after the last spike.
        double s_next, nn_prev;
        // The kernel works with u = t + tn: v = u u1 - tp2 is u - 2 t_p (u1 = 1), except in
        // segment 0, where it is len2 (u1 = 0, tp2 = -len2); len2 = 2 (t_f - t_p).
        double nn_next, u1;
        double tp2, len2;
        double isi, pad;
    };
    std::vector<Segment> seg;
    double aux_lo = 0, aux_hi = 0;
    std::size_t n = 0;
    std::size_t c0 = 0;       // first segment in the window (1 when a spike sits on t_start)
    bool dtf_at_end = false;  // a single spike on t_start: the last segment ends on t_end itself
};
void prepare_spike(std::span<const double> spikes, const Window& w, SpikeTrainSegments& out);

double isi_pair(const IsiTrain& a, const IsiTrain& b, const Window& w);
double sync_pair(const SyncTrain& a, const SyncTrain& b);  // SPIKE-synchronization (similarity)
double spike_pair(const SpikeTrainSegments& a, const SpikeTrainSegments& b, const Window& w);

// Several pairs (a, b[0..lanes-1]) interleaved; out[k] is bit-identical to *_pair(a, *b[k]).
// The lane counts are the fastest measured on bench/distances (register pressure).
inline constexpr int kIsiLanes = 5, kSyncLanes = 5, kSpikeLanes = 2;
void isi_pair_lanes(const IsiTrain& a, const IsiTrain* const b[kIsiLanes], const Window& w, double out[kIsiLanes]);
void sync_pair_lanes(const SyncTrain& a, const SyncTrain* const b[kSyncLanes], double out[kSyncLanes]);
void spike_pair_lanes(const SpikeTrainSegments& a, const SpikeTrainSegments* const b[kSpikeLanes], const Window& w,
                      double out[kSpikeLanes]);

}  // namespace snnfit::metrics::detail
