#include "metrics/spike_sync.hpp"

#include <cmath>

namespace snnfit::metrics {

namespace {

using Span = std::span<const double>;

// PySpike's get_tau: half the smallest ISI adjacent to spike i of s1 and spike j of s2
// (the window length when there is none), capped by max_tau when that is positive.
inline double get_tau(Span s1, Span s2, long i, long j, double interval, double max_tau) {
    double m = interval;
    const long n1 = static_cast<long>(s1.size()) - 1, n2 = static_cast<long>(s2.size()) - 1;
    if (i < n1 && i > -1) m = std::fmin(m, s1[i + 1] - s1[i]);
    if (j < n2 && j > -1) m = std::fmin(m, s2[j + 1] - s2[j]);
    if (i > 0) m = std::fmin(m, s1[i] - s1[i - 1]);
    if (j > 0) m = std::fmin(m, s2[j] - s2[j - 1]);
    m *= 0.5;
    if (max_tau > 0.0) m = std::fmin(m, max_tau);
    return m;
}

// Walks the merged spikes like coincidence_value_cython / coincidence_profile_cython.
// The sink sees single(t, coincident_with_previous_event) and shared(t) for a spike
// time present in both trains.
template <class Sink>
void sync_walk(Span s1, Span s2, const Window& w, double max_tau, Sink& sink) {
    const long n1 = static_cast<long>(s1.size()), n2 = static_cast<long>(s2.size());
    const double interval = w.t_end - w.t_start;
    long i = -1, j = -1;
    while (i + j < n1 + n2 - 2) {
        if (i < n1 - 1 && (j == n2 - 1 || s1[i + 1] < s2[j + 1])) {
            ++i;
            const double tau = get_tau(s1, s2, i, j, interval, max_tau);
            sink.single(s1[i], j > -1 && s1[i] - s2[j] < tau);
        } else if (j < n2 - 1 && (i == n1 - 1 || s1[i + 1] > s2[j + 1])) {
            ++j;
            const double tau = get_tau(s1, s2, i, j, interval, max_tau);
            sink.single(s2[j], i > -1 && s2[j] - s1[i] < tau);
        } else {
            ++i;
            ++j;
            sink.shared(s1[i]);
        }
    }
}

struct CountSink {
    Coincidences c;
    void single(double, bool coincident) {
        c.multiplicity += 1;
        if (coincident) c.coincidences += 2;  // this spike and the previous one
    }
    void shared(double) { c.multiplicity += 2, c.coincidences += 2; }
};

struct ProfileSink {
    DiscreteProfile p;
    void single(double t, bool coincident) {
        p.x.push_back(t);
        p.y.push_back(coincident ? 1.0 : 0.0);
        p.mp.push_back(1.0);
        if (coincident) p.y[p.y.size() - 2] = 1.0;
    }
    void shared(double t) { p.x.push_back(t), p.y.push_back(2.0), p.mp.push_back(2.0); }
};

}  // namespace

namespace detail {
Coincidences coincidences_unchecked(Span a, Span b, const Window& w, double max_tau) {
    CountSink s;
    sync_walk(a, b, w, max_tau, s);
    return s.c;
}
}  // namespace detail

namespace {
void check_pair(Span a, Span b, const Window& w) {
    check_window(w);
    check_train(a, w, "first spike train");
    check_train(b, w, "second spike train");
}
}  // namespace

Coincidences coincidences(Span a, Span b, const Window& w, double max_tau) {
    check_pair(a, b, w);
    return detail::coincidences_unchecked(a, b, w, max_tau);
}

double spike_sync(Span a, Span b, const Window& w, double max_tau) {
    return coincidences(a, b, w, max_tau).sync();
}

DiscreteProfile sync_profile(Span a, Span b, const Window& w, double max_tau) {
    check_pair(a, b, w);
    ProfileSink s;
    s.p.x.push_back(w.t_start);  // placeholder edge point, values fixed below
    s.p.y.push_back(0.0);
    s.p.mp.push_back(1.0);
    sync_walk(a, b, w, max_tau, s);
    auto& p = s.p;
    p.x.push_back(w.t_end);
    if (p.x.size() > 2) {
        p.y.push_back(p.y.back());
        p.mp.push_back(p.mp.back());
        p.y[0] = p.y[1];
        p.mp[0] = p.mp[1];
    } else {  // both trains empty: PySpike marks the two edge points as synchronous
        p.y = {1.0, 1.0};
        p.mp = {1.0, 1.0};
    }
    return std::move(s.p);
}

}  // namespace snnfit::metrics
