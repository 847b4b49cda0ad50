// CMA-ES (Hansen 2016, "The CMA Evolution Strategy: A Tutorial"): (mu/mu_w, lambda) with
// rank-one and rank-mu covariance updates and cumulative step-size adaptation (CSA).
// It searches the box scaled to [0, 1]^d. Bounds: a sample outside the box is redrawn
// up to kResamples times, then clipped; the update uses the point actually evaluated.
// population() is the last generation's lambda evaluated samples: immigrants land there
// (and so in the best-so-far), but the search distribution follows only its own samples.
#pragma once

#include <cstdint>

#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

class CmaEs : public PopulationAlgorithm {
public:
    static constexpr int kResamples = 10;

    CmaEs(IslandSettings s, Bounds b);

    std::vector<std::vector<double>> ask(Rng& rng) override;
    void tell(std::vector<Individual> evaluated, Rng& rng) override;
    // generation, sigma, mean (d), p_c (d), p_sigma (d), C (d x d, row-major); empty
    // before the first generation. B and D are recomputed from C, deterministically.
    std::vector<double> operator_state() const override;
    void set_operator_state(std::span<const double> state) override;

    double sigma() const { return sigma_; }
    const std::vector<double>& mean() const { return mean_; }

private:
    void decompose();

    std::size_t n_, lambda_, mu_;
    std::vector<double> weights_;
    double mueff_, cc_, cs_, c1_, cmu_, damps_, chi_n_;

    std::int64_t generation_ = 0;  // completed updates; 0 = not initialised yet
    bool initialised_ = false;
    double sigma_ = 0.0;
    std::vector<double> mean_, pc_, ps_, c_;  // c_: n x n
    std::vector<double> b_mat_, d_;           // eigenvectors (columns) and sqrt of eigenvalues of C

    std::vector<std::vector<double>> asked_;  // the last ask()'s points in [0, 1]^d
};

}  // namespace snnfit::opt
