#include "opt/cmaes.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "common/error.hpp"

namespace snnfit::opt {

namespace {
// Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi rotations: a few
// dozen lines, exact to rounding, deterministic. a (row-major) is destroyed; v gets the
// eigenvectors as columns, w the eigenvalues.
void jacobi_eigen(std::vector<double> a, std::size_t n, std::vector<double>& v, std::vector<double>& w) {
    v.assign(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) v[i * n + i] = 1.0;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0.0;
        for (std::size_t p = 0; p < n; ++p)
            for (std::size_t q = p + 1; q < n; ++q) off += a[p * n + q] * a[p * n + q];
        if (off < 1e-30) break;
        for (std::size_t p = 0; p < n; ++p)
            for (std::size_t q = p + 1; q < n; ++q) {
                const double apq = a[p * n + q];
                if (std::fabs(apq) < 1e-300) continue;
                const double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
                const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
                for (std::size_t k = 0; k < n; ++k) {  // columns p, q of A
                    const double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (std::size_t k = 0; k < n; ++k) {  // rows p, q of A
                    const double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for (std::size_t k = 0; k < n; ++k) {
                    const double vkp = v[k * n + p], vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
    }
    w.resize(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = a[i * n + i];
}
}  // namespace

CmaEs::CmaEs(IslandSettings s, Bounds b) : PopulationAlgorithm(std::move(s), std::move(b)) {
    n_ = b_.dim();
    lambda_ = s_.population;
    mu_ = lambda_ / 2;
    weights_.resize(mu_);
    for (std::size_t i = 0; i < mu_; ++i)
        weights_[i] = std::log(static_cast<double>(mu_) + 0.5) - std::log(static_cast<double>(i) + 1.0);
    const double sum = std::accumulate(weights_.begin(), weights_.end(), 0.0);
    double sum2 = 0.0;
    for (auto& w : weights_) w /= sum, sum2 += w * w;
    mueff_ = 1.0 / sum2;
    const double n = static_cast<double>(n_);
    cc_ = (4.0 + mueff_ / n) / (n + 4.0 + 2.0 * mueff_ / n);
    cs_ = (mueff_ + 2.0) / (n + mueff_ + 5.0);
    c1_ = 2.0 / ((n + 1.3) * (n + 1.3) + mueff_);
    cmu_ = std::min(1.0 - c1_, 2.0 * (mueff_ - 2.0 + 1.0 / mueff_) / ((n + 2.0) * (n + 2.0) + mueff_));
    damps_ = 1.0 + 2.0 * std::max(0.0, std::sqrt((mueff_ - 1.0) / (n + 1.0)) - 1.0) + cs_;
    chi_n_ = std::sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n));
}

void CmaEs::decompose() {
    std::vector<double> w;
    jacobi_eigen(c_, n_, b_mat_, w);
    d_.resize(n_);
    for (std::size_t i = 0; i < n_; ++i) d_[i] = std::sqrt(std::max(w[i], 1e-300));
}

std::vector<std::vector<double>> CmaEs::ask(Rng& rng) {
    const std::size_t n = n_;
    if (!initialised_) {  // mean uniform in the box, C = I
        mean_.resize(n);
        for (auto& m : mean_) m = rng.uniform();
        sigma_ = s_.cmaes_sigma0;
        pc_.assign(n, 0.0);
        ps_.assign(n, 0.0);
        c_.assign(n * n, 0.0);
        for (std::size_t i = 0; i < n; ++i) c_[i * n + i] = 1.0;
        decompose();
        initialised_ = true;
    }
    asked_.assign(lambda_, std::vector<double>(n));
    std::vector<double> z(n);
    std::vector<std::vector<double>> out(lambda_, std::vector<double>(n));
    for (std::size_t k = 0; k < lambda_; ++k) {
        auto& u = asked_[k];
        for (int attempt = 0; attempt <= kResamples; ++attempt) {
            for (auto& zi : z) zi = rng.normal();
            bool inside = true;
            for (std::size_t i = 0; i < n; ++i) {
                double y = 0.0;
                for (std::size_t j = 0; j < n; ++j) y += b_mat_[i * n + j] * d_[j] * z[j];
                u[i] = mean_[i] + sigma_ * y;
                inside = inside && u[i] >= 0.0 && u[i] <= 1.0;
            }
            if (inside) break;
        }
        for (std::size_t i = 0; i < n; ++i) {
            u[i] = std::isfinite(u[i]) ? std::clamp(u[i], 0.0, 1.0) : 0.5;
            out[k][i] = b_.lo[i] + (b_.hi[i] - b_.lo[i]) * u[i];
        }
    }
    return out;
}

void CmaEs::tell(std::vector<Individual> evaluated, Rng& /*rng*/) {
    const std::size_t n = n_;
    if (evaluated.size() != asked_.size()) throw InternalError("CMA-ES: tell() without the matching ask()");
    std::vector<std::size_t> order(evaluated.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return evaluated[a].fitness < evaluated[b].fitness; });
    const std::vector<double> old = mean_;
    // Steps y_k = (u_k - m_old) / sigma of the mu best.
    std::vector<std::vector<double>> y(mu_, std::vector<double>(n));
    for (std::size_t r = 0; r < mu_; ++r)
        for (std::size_t i = 0; i < n; ++i) y[r][i] = (asked_[order[r]][i] - old[i]) / sigma_;
    std::vector<double> yw(n, 0.0);
    for (std::size_t r = 0; r < mu_; ++r)
        for (std::size_t i = 0; i < n; ++i) yw[i] += weights_[r] * y[r][i];
    for (std::size_t i = 0; i < n; ++i) mean_[i] = old[i] + sigma_ * yw[i];

    // C^{-1/2} y_w = B D^{-1} B^T y_w.
    std::vector<double> t(n, 0.0), cy(n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < n; ++i) t[j] += b_mat_[i * n + j] * yw[i];
        t[j] /= d_[j];
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) cy[i] += b_mat_[i * n + j] * t[j];
    const double a_s = std::sqrt(cs_ * (2.0 - cs_) * mueff_);
    double ps_norm2 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        ps_[i] = (1.0 - cs_) * ps_[i] + a_s * cy[i];
        ps_norm2 += ps_[i] * ps_[i];
    }
    const double ps_norm = std::sqrt(ps_norm2);
    const double g1 = static_cast<double>(generation_ + 1);
    const bool hsig =
        ps_norm / std::sqrt(1.0 - std::pow(1.0 - cs_, 2.0 * g1)) / chi_n_ < 1.4 + 2.0 / (static_cast<double>(n) + 1.0);
    const double a_c = std::sqrt(cc_ * (2.0 - cc_) * mueff_);
    for (std::size_t i = 0; i < n; ++i) pc_[i] = (1.0 - cc_) * pc_[i] + (hsig ? a_c * yw[i] : 0.0);
    const double c1a = c1_ * (hsig ? 1.0 : 1.0 - cc_ * (2.0 - cc_));  // variance lost when p_c is stalled
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= i; ++j) {
            double rank_mu = 0.0;
            for (std::size_t r = 0; r < mu_; ++r) rank_mu += weights_[r] * y[r][i] * y[r][j];
            const double v = (1.0 - c1a - cmu_) * c_[i * n + j] + c1_ * pc_[i] * pc_[j] + cmu_ * rank_mu;
            c_[i * n + j] = c_[j * n + i] = v;
        }
    sigma_ *= std::exp(std::min(1.0, (cs_ / damps_) * (ps_norm / chi_n_ - 1.0)));
    decompose();
    ++generation_;
    population_ = std::move(evaluated);
    asked_.clear();
}

std::vector<double> CmaEs::operator_state() const {
    if (!initialised_) return {};
    std::vector<double> out{static_cast<double>(generation_), sigma_};
    out.insert(out.end(), mean_.begin(), mean_.end());
    out.insert(out.end(), pc_.begin(), pc_.end());
    out.insert(out.end(), ps_.begin(), ps_.end());
    out.insert(out.end(), c_.begin(), c_.end());
    return out;
}

void CmaEs::set_operator_state(std::span<const double> state) {
    const std::size_t n = n_;
    if (state.empty()) {
        initialised_ = false;
        return;
    }
    if (state.size() != 2 + 3 * n + n * n)
        throw InputError("CMA-ES: operator state has " + std::to_string(state.size()) + " numbers, expected " +
                         std::to_string(2 + 3 * n + n * n));
    if (!(state[0] >= 0.0) || !(state[1] > 0.0)) throw InputError("CMA-ES: bad generation or step size in the state");
    generation_ = static_cast<std::int64_t>(state[0]);
    sigma_ = state[1];
    auto it = state.begin() + 2;
    auto take = [&](std::vector<double>& v, std::size_t k) {
        v.assign(it, it + static_cast<std::ptrdiff_t>(k));
        it += static_cast<std::ptrdiff_t>(k);
    };
    take(mean_, n);
    take(pc_, n);
    take(ps_, n);
    take(c_, n * n);
    decompose();
    initialised_ = true;
}

}  // namespace snnfit::opt
