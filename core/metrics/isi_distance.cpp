#include "metrics/isi_distance.hpp"

#include <algorithm>
#include <cmath>

namespace snnfit::metrics {

namespace {

// Walks the merged spike events of both trains like PySpike's isi_distance_cython and
// reports the ISI value that holds from t_start and after every event. An empty train
// is replaced by the auxiliary train {t_start, t_end} (PySpike's get_spikes_non_empty).
// |nu1 - nu2| / max(nu1, nu2); 0 when both intervals are empty (two single spikes on
// t_end), where PySpike would produce 0/0 on an interval of zero length.
inline double isi_ratio(double nu1, double nu2) {
    const double m = std::fmax(nu1, nu2);
    return m > 0.0 ? std::fabs(nu1 - nu2) / m : 0.0;
}

template <class Sink>
void isi_walk(std::span<const double> a, std::span<const double> b, const Window& w, Sink& sink) {
    const double aux[2] = {w.t_start, w.t_end};
    const std::span<const double> s1 = a.empty() ? std::span<const double>(aux) : a;
    const std::span<const double> s2 = b.empty() ? std::span<const double>(aux) : b;
    const double t_start = w.t_start, t_end = w.t_end;
    const long n1 = static_cast<long>(s1.size()), n2 = static_cast<long>(s2.size());
    long i1, i2;
    double nu1, nu2;
    if (s1[0] > t_start) {
        nu1 = n1 > 1 ? std::fmax(s1[0] - t_start, s1[1] - s1[0]) : s1[0] - t_start;
        i1 = -1;
    } else {
        nu1 = n1 > 1 ? s1[1] - s1[0] : t_end - s1[0];
        i1 = 0;
    }
    if (s2[0] > t_start) {
        nu2 = n2 > 1 ? std::fmax(s2[0] - t_start, s2[1] - s2[0]) : s2[0] - t_start;
        i2 = -1;
    } else {
        nu2 = n2 > 1 ? s2[1] - s2[0] : t_end - s2[0];
        i2 = 0;
    }
    sink.start(t_start, isi_ratio(nu1, nu2));
    // The last ISI of a train is edge-corrected: max(distance to t_end, previous ISI).
    auto next_nu = [&](std::span<const double> s, long n, long i, double nu) {
        if (i < n - 1) return s[i + 1] - s[i];
        return n > 1 ? std::fmax(t_end - s[i], nu) : t_end - s[i];
    };
    while (i1 + i2 < n1 + n2 - 2) {
        double t;
        if (i1 < n1 - 1 && (i2 == n2 - 1 || s1[i1 + 1] < s2[i2 + 1])) {
            ++i1;
            t = s1[i1];
            nu1 = next_nu(s1, n1, i1, nu1);
        } else if (i2 < n2 - 1 && (i1 == n1 - 1 || s1[i1 + 1] > s2[i2 + 1])) {
            ++i2;
            t = s2[i2];
            nu2 = next_nu(s2, n2, i2, nu2);
        } else {  // a spike at the same time in both trains: one event
            ++i1;
            ++i2;
            t = s1[i1];
            nu1 = next_nu(s1, n1, i1, nu1);
            nu2 = next_nu(s2, n2, i2, nu2);
        }
        sink.event(t, isi_ratio(nu1, nu2));
    }
    sink.finish(t_end);
}

struct IntegralSink {
    double value = 0.0, current = 0.0, last_t = 0.0;
    void start(double t, double v) { last_t = t, current = v; }
    void event(double t, double v) {
        value += current * (t - last_t);
        current = v;
        last_t = t;
    }
    void finish(double t_end) {
        if (t_end > last_t) value += current * (t_end - last_t);
    }
};

struct ProfileSink {
    PiecewiseConstProfile p;
    void start(double t, double v) { p.x.push_back(t), p.y.push_back(v); }
    void event(double t, double v) { p.x.push_back(t), p.y.push_back(v); }
    void finish(double t_end) {
        if (p.x.back() == t_end)
            p.y.pop_back();  // a spike on t_end ends the profile; nothing holds after it
        else
            p.x.push_back(t_end);
    }
};

}  // namespace

namespace detail {
double isi_distance_unchecked(std::span<const double> a, std::span<const double> b, const Window& w) {
    IntegralSink s;
    isi_walk(a, b, w, s);
    return s.value / (w.t_end - w.t_start);
}
}  // namespace detail

double isi_distance(std::span<const double> a, std::span<const double> b, const Window& w) {
    check_window(w);
    check_train(a, w, "first spike train");
    check_train(b, w, "second spike train");
    return detail::isi_distance_unchecked(a, b, w);
}

PiecewiseConstProfile isi_profile(std::span<const double> a, std::span<const double> b, const Window& w) {
    check_window(w);
    check_train(a, w, "first spike train");
    check_train(b, w, "second spike train");
    ProfileSink s;
    s.p.x.reserve(a.size() + b.size() + 2);
    s.p.y.reserve(a.size() + b.size() + 2);
    isi_walk(a, b, w, s);
    return std::move(s.p);
}

}  // namespace snnfit::metrics
