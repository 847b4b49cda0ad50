// Fast kernels behind distance() and distance_matrix() for the ISI-distance, the
// SPIKE-distance and SPIKE-synchronization. Each train is prepared once (its ISI step
// function, its coincidence windows, its SPIKE segments) so that a pair is one
// branch-free merge; the matrix runs four pairs of a row interleaved (independent
// dependency chains), with the same arithmetic per pair as the single-pair call, so
// both give bit-identical numbers. Values equal PySpike 0.7's to rounding (1e-15).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "metrics/spike_train.hpp"

namespace snnfit::metrics::detail {

// ISI step function: value nu[k] on [t[k], t[k+1]); t[0] = t_start, then the spikes
// after t_start, then a +inf sentinel.
struct IsiTrain {
    std::vector<double> t, nu, inv_nu;  // inv_nu = 1 / nu (0 where nu == 0)
};
void prepare_isi(std::span<const double> spikes, const Window& w, IsiTrain& out);

// Spikes between sentinels (-inf, s..., +inf) and each spike's coincidence window
// half-width 0.5 * min(window length, adjacent ISIs), capped by max_tau when > 0.
struct SyncTrain {
    std::vector<double> s, tau;
    std::size_t n = 0;
};
void prepare_sync(std::span<const double> spikes, const Window& w, double max_tau, SyncTrain& out);

// SPIKE segments c = 0..n between consecutive (auxiliary) spikes: previous and
// following spike time and ISI, PySpike's edge correction included.
struct SpikeTrainSegments {
    struct Segment {
        double tp2, tf2, isi;  // 2 t_p, 2 t_f (the kernel works with t + tn) and the ISI
    };
    std::vector<double> s;  // -inf, spikes, +inf
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

// Four pairs (a, b[0..3]) at once; out[k] is bit-identical to the *_pair(a, *b[k]) value.
void isi_pair4(const IsiTrain& a, const IsiTrain* const b[4], const Window& w, double out[4]);
void sync_pair4(const SyncTrain& a, const SyncTrain* const b[4], double out[4]);
void spike_pair4(const SpikeTrainSegments& a, const SpikeTrainSegments* const b[4], const Window& w, double out[4]);

}  // namespace snnfit::metrics::detail
