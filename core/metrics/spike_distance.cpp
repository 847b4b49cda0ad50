#include "metrics/spike_distance.hpp"

#include <algorithm>
#include <cmath>

namespace snnfit::metrics {

namespace {

using Span = std::span<const double>;

// PySpike's get_min_dist: the distance from `t` to the nearest of {lo, s[start..], hi},
// scanning forward from `start` while the distance decreases.
inline double min_dist(double t, Span s, long start, double lo, double hi) {
    double d = std::fabs(t - lo);
    for (long k = std::max(start, 0L); k < static_cast<long>(s.size()); ++k) {
        const double dk = std::fabs(t - s[k]);
        if (dk > d) return d;
        d = dk;
    }
    const double de = std::fabs(hi - t);
    return de > d ? d : de;
}

// S = (S1 isi2 + S2 isi1) / (2 <isi>^2). Both ISIs are zero only after two single
// spikes on t_end, on an interval of zero length; 0 there instead of PySpike's 0/0.
inline double spike_value(double s1, double s2, double isi1, double isi2) {
    const double den = 0.5 * (isi1 + isi2) * (isi1 + isi2);
    return den > 0.0 ? (s1 * isi2 + s2 * isi1) / den : 0.0;
}

// A port of the state machine of PySpike 0.7's spike_distance_cython / spike_profile_cython.
// The sink sees start(t_start, y), event(t, y_end_of_previous_interval, y_start_of_next)
// and finish(t_end, y_end_of_last_interval).
template <class Sink>
void spike_walk(Span a, Span b, const Window& w, Sink& sink) {
    const double aux[2] = {w.t_start, w.t_end};
    const Span t1 = a.empty() ? Span(aux) : a;
    const Span t2 = b.empty() ? Span(aux) : b;
    const double t_start = w.t_start, t_end = w.t_end;
    const long n1 = static_cast<long>(t1.size()), n2 = static_cast<long>(t2.size());
    // Auxiliary spikes one ISI before the first / after the last spike (edge correction).
    const double aux1_lo = n1 > 1 ? std::fmin(t_start, 2 * t1[0] - t1[1]) : t_start;
    const double aux1_hi = n1 > 1 ? std::fmax(t_end, 2 * t1[n1 - 1] - t1[n1 - 2]) : t_end;
    const double aux2_lo = n2 > 1 ? std::fmin(t_start, 2 * t2[0] - t2[1]) : t_start;
    const double aux2_hi = n2 > 1 ? std::fmax(t_end, 2 * t2[n2 - 1] - t2[n2 - 2]) : t_end;
    double t_p1 = t1[0] == t_start ? t_start : aux1_lo;
    double t_p2 = t2[0] == t_start ? t_start : aux2_lo;
    double t_f1, t_f2, dt_p1, dt_p2, dt_f1, dt_f2, isi1, isi2, s1, s2;
    long i1, i2;
    if (t1[0] > t_start) {
        t_f1 = t1[0];
        dt_f1 = min_dist(t_f1, t2, 0, aux2_lo, aux2_hi);
        isi1 = n1 > 1 ? std::fmax(t_f1 - t_start, t1[1] - t1[0]) : t_f1 - t_start;
        dt_p1 = dt_f1;
        s1 = dt_p1;
        i1 = -1;
    } else {
        t_f1 = n1 > 1 ? t1[1] : t_end;
        dt_f1 = min_dist(t_f1, t2, 0, aux2_lo, aux2_hi);
        dt_p1 = min_dist(t_p1, t2, 0, aux2_lo, aux2_hi);
        isi1 = t_f1 - t1[0];
        s1 = dt_p1;
        i1 = 0;
    }
    if (t2[0] > t_start) {
        t_f2 = t2[0];
        dt_f2 = min_dist(t_f2, t1, 0, aux1_lo, aux1_hi);
        dt_p2 = dt_f2;
        isi2 = n2 > 1 ? std::fmax(t_f2 - t_start, t2[1] - t2[0]) : t_f2 - t_start;
        s2 = dt_p2;
        i2 = -1;
    } else {
        t_f2 = n2 > 1 ? t2[1] : t_end;
        dt_f2 = min_dist(t_f2, t1, 0, aux1_lo, aux1_hi);
        dt_p2 = min_dist(t_p2, t1, 0, aux1_lo, aux1_hi);
        isi2 = t_f2 - t2[0];
        s2 = dt_p2;
        i2 = 0;
    }
    sink.start(t_start, spike_value(s1, s2, isi1, isi2));
    // The last ISI is edge-corrected; "Eero's correction": s keeps dt_p unscaled.
    const double last_isi1 = n1 > 1 ? std::fmax(t_end - t1[n1 - 1], t1[n1 - 1] - t1[n1 - 2]) : t_end - t1[n1 - 1];
    const double last_isi2 = n2 > 1 ? std::fmax(t_end - t2[n2 - 1], t2[n2 - 1] - t2[n2 - 2]) : t_end - t2[n2 - 1];
    while (i1 + i2 < n1 + n2 - 2) {
        if (i1 < n1 - 1 && (t_f1 < t_f2 || i2 == n2 - 1)) {
            ++i1;
            s1 = dt_f1 * (t_f1 - t_p1) / isi1;
            dt_p1 = dt_f1;
            t_p1 = t_f1;
            t_f1 = i1 < n1 - 1 ? t1[i1 + 1] : aux1_hi;
            const double t_curr = t_p1;
            s2 = (dt_p2 * (t_f2 - t_p1) + dt_f2 * (t_p1 - t_p2)) / isi2;
            const double y_end = spike_value(s1, s2, isi1, isi2);
            if (i1 < n1 - 1) {
                dt_f1 = min_dist(t_f1, t2, i2, aux2_lo, aux2_hi);
                isi1 = t_f1 - t_p1;
            } else {
                dt_f1 = dt_p1;
                isi1 = last_isi1;
            }
            s1 = dt_p1;
            sink.event(t_curr, y_end, spike_value(s1, s2, isi1, isi2));
        } else if (i2 < n2 - 1 && (t_f1 > t_f2 || i1 == n1 - 1)) {
            ++i2;
            s2 = dt_f2 * (t_f2 - t_p2) / isi2;
            dt_p2 = dt_f2;
            t_p2 = t_f2;
            t_f2 = i2 < n2 - 1 ? t2[i2 + 1] : aux2_hi;
            const double t_curr = t_p2;
            s1 = (dt_p1 * (t_f1 - t_p2) + dt_f1 * (t_p2 - t_p1)) / isi1;
            const double y_end = spike_value(s1, s2, isi1, isi2);
            if (i2 < n2 - 1) {
                dt_f2 = min_dist(t_f2, t1, i1, aux1_lo, aux1_hi);
                isi2 = t_f2 - t_p2;
            } else {
                dt_f2 = dt_p2;
                isi2 = last_isi2;
            }
            s2 = dt_p2;
            sink.event(t_curr, y_end, spike_value(s1, s2, isi1, isi2));
        } else {  // t_f1 == t_f2: a shared spike time, one event where S drops to 0
            ++i1;
            ++i2;
            t_p1 = t_f1;
            t_p2 = t_f2;
            dt_p1 = 0.0;
            dt_p2 = 0.0;
            const double t_curr = t_f1;
            if (i1 < n1 - 1) {
                t_f1 = t1[i1 + 1];
                dt_f1 = min_dist(t_f1, t2, i2, aux2_lo, aux2_hi);
                isi1 = t_f1 - t_p1;
            } else {
                t_f1 = aux1_hi;
                dt_f1 = dt_p1;
                isi1 = last_isi1;
            }
            if (i2 < n2 - 1) {
                t_f2 = t2[i2 + 1];
                dt_f2 = min_dist(t_f2, t1, i1, aux1_lo, aux1_hi);
                isi2 = t_f2 - t_p2;
            } else {
                t_f2 = aux2_hi;
                dt_f2 = dt_p2;
                isi2 = last_isi2;
            }
            sink.event(t_curr, 0.0, 0.0);
        }
    }
    sink.finish(t_end, spike_value(dt_f1, dt_f2, isi1, isi2));
}

struct IntegralSink {
    double value = 0.0, y_start = 0.0, t_last = 0.0;
    void start(double t, double y) { t_last = t, y_start = y; }
    void event(double t, double y_end, double y_next) {
        value += 0.5 * (y_start + y_end) * (t - t_last);
        y_start = y_next;
        t_last = t;
    }
    void finish(double t_end, double y_end) {
        if (t_end > t_last) value += 0.5 * (y_start + y_end) * (t_end - t_last);
    }
};

struct ProfileSink {
    PiecewiseLinProfile p;
    void start(double t, double y) { p.x.push_back(t), p.y1.push_back(y); }
    void event(double t, double y_end, double y_next) {
        p.y2.push_back(y_end);
        p.x.push_back(t);
        p.y1.push_back(y_next);
    }
    void finish(double t_end, double y_end) {
        if (p.x.back() == t_end) {
            p.y1.pop_back();
        } else {
            p.x.push_back(t_end);
            p.y2.push_back(y_end);
        }
    }
};

// ---- the 2013 definition -------------------------------------------------------------

// A train with auxiliary spikes on both window edges, without copying it.
struct Augmented {
    Span s;
    double lo, hi;
    long skip_lo, n;  // skip_lo = 1 when s[0] == lo (no doubled auxiliary spike)
    Augmented(Span spikes, const Window& w) : s(spikes), lo(w.t_start), hi(w.t_end) {
        skip_lo = (!s.empty() && s.front() == lo) ? 1 : 0;
        const long skip_hi = (!s.empty() && s.back() == hi && static_cast<long>(s.size()) > skip_lo) ? 1 : 0;
        n = static_cast<long>(s.size()) + 2 - skip_lo - skip_hi;
    }
    double operator[](long k) const {
        if (k == 0) return lo;
        if (k == n - 1) return hi;
        return s[static_cast<std::size_t>(k - 1 + skip_lo)];
    }
};

// Distance from a nondecreasing sequence of query times to the nearest spike of `t`.
struct NearestCursor {
    const Augmented* t;
    long k = 0;  // t[k] <= query < t[k+1] (or k == n-1)
    double operator()(double q) {
        while (k + 1 < t->n && (*t)[k + 1] <= q) ++k;
        double d = std::fabs(q - (*t)[k]);
        if (k + 1 < t->n) d = std::fmin(d, (*t)[k + 1] - q);
        return d;
    }
};

template <class Sink>
void spike_walk_2013(Span a, Span b, const Window& w, Sink& sink) {
    const Augmented A(a, w), B(b, w);
    NearestCursor pa{&B}, fa{&B}, pb{&A}, fb{&A};
    long ia = 0, ib = 0;  // index of the previous spike of each train
    double t = w.t_start;
    bool first = true;
    while (t < w.t_end) {
        const double tpa = A[ia], tfa = A[ia + 1], tpb = B[ib], tfb = B[ib + 1];
        const double t_next = std::fmin(tfa, tfb);
        const double isi_a = tfa - tpa, isi_b = tfb - tpb;
        const double dpa = pa(tpa), dfa = fa(tfa), dpb = pb(tpb), dfb = fb(tfb);
        auto value_at = [&](double x) {
            const double sa = (dpa * (tfa - x) + dfa * (x - tpa)) / isi_a;
            const double sb = (dpb * (tfb - x) + dfb * (x - tpb)) / isi_b;
            return spike_value(sa, sb, isi_a, isi_b);
        };
        const double y_start = value_at(t), y_end = value_at(t_next);
        if (first)
            sink.start(t, y_start), first = false;
        else
            sink.next_start(y_start);
        sink.end(t_next, y_end);
        if (tfa == t_next) ++ia;
        if (tfb == t_next) ++ib;
        t = t_next;
    }
}

struct IntegralSink2013 {
    double value = 0.0, y_start = 0.0, t_last = 0.0;
    void start(double t, double y) { t_last = t, y_start = y; }
    void next_start(double y) { y_start = y; }
    void end(double t, double y) {
        value += 0.5 * (y_start + y) * (t - t_last);
        t_last = t;
    }
};

struct ProfileSink2013 {
    PiecewiseLinProfile p;
    void start(double t, double y) { p.x.push_back(t), p.y1.push_back(y); }
    void next_start(double y) { p.y1.push_back(y); }
    void end(double t, double y) { p.x.push_back(t), p.y2.push_back(y); }
};

void check_pair(Span a, Span b, const Window& w) {
    check_window(w);
    check_train(a, w, "first spike train");
    check_train(b, w, "second spike train");
}

}  // namespace

namespace detail {
double spike_distance_unchecked(Span a, Span b, const Window& w) {
    IntegralSink s;
    spike_walk(a, b, w, s);
    return s.value / (w.t_end - w.t_start);
}
double spike_distance_2013_unchecked(Span a, Span b, const Window& w) {
    IntegralSink2013 s;
    spike_walk_2013(a, b, w, s);
    return s.value / (w.t_end - w.t_start);
}
}  // namespace detail

double spike_distance(Span a, Span b, const Window& w) {
    check_pair(a, b, w);
    return detail::spike_distance_unchecked(a, b, w);
}

PiecewiseLinProfile spike_profile(Span a, Span b, const Window& w) {
    check_pair(a, b, w);
    ProfileSink s;
    spike_walk(a, b, w, s);
    return std::move(s.p);
}

double spike_distance_2013(Span a, Span b, const Window& w) {
    check_pair(a, b, w);
    return detail::spike_distance_2013_unchecked(a, b, w);
}

PiecewiseLinProfile spike_profile_2013(Span a, Span b, const Window& w) {
    check_pair(a, b, w);
    ProfileSink2013 s;
    spike_walk_2013(a, b, w, s);
    return std::move(s.p);
}

}  // namespace snnfit::metrics
