#include "metrics/van_rossum.hpp"

#include <cmath>

#include <fmt/core.h>

#include "common/error.hpp"

namespace snnfit::metrics {

namespace detail {
double van_rossum_unchecked(std::span<const double> a, std::span<const double> b, double tau, VanRossumNorm norm) {
    // d(t) = f(t) - g(t) decays as exp(-(t - t_k)/tau) between merged spike times and
    // jumps by +1 (spike of a) or -1 (spike of b). Then
    //   (1/tau) * integral of d^2 = sum over intervals of d_k^2 / 2 * (1 - exp(-2 dt / tau)),
    // the last interval running to infinity. Identical trains give d == 0 exactly.
    std::size_t i = 0, j = 0;
    double d = 0.0, t = 0.0, sum = 0.0;
    bool started = false;
    while (i < a.size() || j < b.size()) {
        const bool from_a = j == b.size() || (i < a.size() && a[i] <= b[j]);
        const double tn = from_a ? a[i] : b[j];
        if (started && d != 0.0) {
            const double x = (tn - t) / tau;
            sum += 0.5 * d * d * -std::expm1(-2.0 * x);
            d *= std::exp(-x);
        } else if (started) {
            d = 0.0;
        }
        started = true;
        t = tn;
        if (from_a)
            d += 1.0, ++i;
        else
            d -= 1.0, ++j;
    }
    sum += 0.5 * d * d;
    if (norm == VanRossumNorm::elephant) sum *= 2.0;
    return std::sqrt(sum);
}
}  // namespace detail

double van_rossum_distance(std::span<const double> a, std::span<const double> b, double tau, const Window& w,
                           VanRossumNorm norm) {
    if (!(tau > 0.0) || !std::isfinite(tau))
        throw InputError(fmt::format("van Rossum time constant tau = {} must be positive and finite", tau));
    check_window(w);
    check_train(a, w, "first spike train");
    check_train(b, w, "second spike train");
    return detail::van_rossum_unchecked(a, b, tau, norm);
}

}  // namespace snnfit::metrics
