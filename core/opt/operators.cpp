#include "opt/operators.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.hpp"

namespace snnfit::opt {

Selector::Selector(const IslandSettings& s, std::span<const double> fitness)
    : kind_(s.selection), tournament_size_(std::max<std::size_t>(1, s.tournament_size)) {
    const std::size_t n = fitness.size();
    if (n == 0) throw InternalError("Selector: empty population");
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::size_t a, std::size_t b) { return fitness[a] < fitness[b]; });
    rank_.resize(n);
    for (std::size_t r = 0; r < n; ++r) rank_[order_[r]] = r;

    switch (kind_) {
        case Selection::tournament:
            break;
        case Selection::rank: {
            // Baker's linear ranking: expected copies s for the best, 2 - s for the worst.
            const double sp = s.rank_pressure;
            cumulative_.resize(n);
            double sum = 0.0;
            for (std::size_t r = 0; r < n; ++r) {
                const double w =
                    n == 1 ? 1.0 : sp - 2.0 * (sp - 1.0) * static_cast<double>(r) / static_cast<double>(n - 1);
                sum += w;
                cumulative_[r] = sum;
            }
            break;
        }
        case Selection::proportionate: {
            // Minimisation by windowing: weight = worst - f, so the worst never breeds;
            // when all are equal, selection is uniform.
            const double worst = fitness[order_.back()];
            cumulative_.resize(n);
            double sum = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                sum += worst - fitness[i];
                cumulative_[i] = sum;
            }
            if (!(sum > 0.0)) {
                for (std::size_t i = 0; i < n; ++i) cumulative_[i] = static_cast<double>(i + 1);
            }
            break;
        }
        case Selection::truncation:
            truncated_ = std::clamp<std::size_t>(
                static_cast<std::size_t>(std::llround(s.truncation * static_cast<double>(n))), 1, n);
            break;
    }
}

std::size_t Selector::pick(Rng& rng) const {
    const std::size_t n = order_.size();
    switch (kind_) {
        case Selection::tournament: {
            std::size_t best = rng.below(n);
            for (std::size_t k = 1; k < tournament_size_; ++k) {
                const std::size_t c = rng.below(n);
                if (rank_[c] < rank_[best]) best = c;
            }
            return best;
        }
        case Selection::rank:
        case Selection::proportionate: {
            const double u = rng.uniform() * cumulative_.back();
            auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
            std::size_t j = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()), n - 1);
            return kind_ == Selection::rank ? order_[j] : j;
        }
        case Selection::truncation:
            return order_[rng.below(truncated_)];
    }
    return 0;
}

double Selector::probability(std::size_t i) const {
    const std::size_t n = order_.size();
    const double r = static_cast<double>(rank_.at(i));
    switch (kind_) {
        case Selection::tournament: {
            const double k = static_cast<double>(tournament_size_), nn = static_cast<double>(n);
            return std::pow((nn - r) / nn, k) - std::pow((nn - r - 1.0) / nn, k);
        }
        case Selection::rank: {
            const std::size_t j = rank_[i];
            return (cumulative_[j] - (j == 0 ? 0.0 : cumulative_[j - 1])) / cumulative_.back();
        }
        case Selection::proportionate:
            return (cumulative_[i] - (i == 0 ? 0.0 : cumulative_[i - 1])) / cumulative_.back();
        case Selection::truncation:
            return rank_[i] < truncated_ ? 1.0 / static_cast<double>(truncated_) : 0.0;
    }
    return 0.0;
}

void uniform_crossover(Rng& rng, std::span<double> a, std::span<double> b, double gene_prob) {
    for (std::size_t j = 0; j < a.size(); ++j)
        if (rng.uniform() < gene_prob) std::swap(a[j], b[j]);
}

void blend_crossover(Rng& rng, std::span<double> a, std::span<double> b, double alpha) {
    for (std::size_t j = 0; j < a.size(); ++j) {
        const double lo = std::min(a[j], b[j]), hi = std::max(a[j], b[j]);
        const double ext = alpha * (hi - lo);
        a[j] = rng.uniform(lo - ext, hi + ext);
        b[j] = rng.uniform(lo - ext, hi + ext);
    }
}

void sbx_crossover(Rng& rng, std::span<double> a, std::span<double> b, double eta, double gene_prob) {
    const double inv = 1.0 / (eta + 1.0);
    for (std::size_t j = 0; j < a.size(); ++j) {
        if (!(rng.uniform() < gene_prob)) continue;
        const double u = rng.uniform();
        const double beta = u <= 0.5 ? std::pow(2.0 * u, inv) : std::pow(1.0 / (2.0 * (1.0 - u)), inv);
        const double x1 = a[j], x2 = b[j];
        const double c1 = 0.5 * ((1.0 + beta) * x1 + (1.0 - beta) * x2);
        const double c2 = 0.5 * ((1.0 - beta) * x1 + (1.0 + beta) * x2);
        // Which child gets which value is a coin flip, as in Deb's reference code, DEAP and
        // pagmo: otherwise each child would stay next to "its" parent in every gene.
        const bool swap = rng.uniform() < 0.5;
        a[j] = swap ? c2 : c1;
        b[j] = swap ? c1 : c2;
    }
}

void intermediate_crossover(Rng& rng, std::span<double> a, std::span<double> b, double extension) {
    const double t = rng.uniform(-extension, 1.0 + extension);
    for (std::size_t j = 0; j < a.size(); ++j) {
        const double x1 = a[j], x2 = b[j];
        a[j] = x1 + t * (x2 - x1);
        b[j] = x2 + t * (x1 - x2);
    }
}

void gaussian_mutation(Rng& rng, std::span<double> x, const Bounds& b, double sigma, double gene_prob) {
    for (std::size_t j = 0; j < x.size(); ++j)
        if (rng.uniform() < gene_prob) x[j] += sigma * (b.hi[j] - b.lo[j]) * rng.normal();
}

void polynomial_mutation(Rng& rng, std::span<double> x, const Bounds& b, double eta, double gene_prob) {
    const double pow_ = 1.0 / (eta + 1.0);
    for (std::size_t j = 0; j < x.size(); ++j) {
        if (!(rng.uniform() < gene_prob)) continue;
        const double lo = b.lo[j], hi = b.hi[j], width = hi - lo;
        if (!(width > 0.0)) continue;
        const double y = std::clamp(x[j], lo, hi);
        const double d1 = (y - lo) / width, d2 = (hi - y) / width;
        const double u = rng.uniform();
        double dq;
        if (u <= 0.5) {
            const double val = 2.0 * u + (1.0 - 2.0 * u) * std::pow(1.0 - d1, eta + 1.0);
            dq = std::pow(val, pow_) - 1.0;
        } else {
            const double val = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(1.0 - d2, eta + 1.0);
            dq = 1.0 - std::pow(val, pow_);
        }
        x[j] = std::clamp(y + dq * width, lo, hi);
    }
}

void reset_mutation(Rng& rng, std::span<double> x, const Bounds& b, double gene_prob) {
    for (std::size_t j = 0; j < x.size(); ++j)
        if (rng.uniform() < gene_prob) x[j] = rng.uniform(b.lo[j], b.hi[j]);
}

void apply_bounds(std::span<double> x, const Bounds& b, BoundsPolicy policy) {
    for (std::size_t j = 0; j < x.size(); ++j) {
        const double lo = b.lo[j], hi = b.hi[j];
        double v = x[j];
        if (!std::isfinite(v)) {
            x[j] = 0.5 * (lo + hi);
            continue;
        }
        if (v >= lo && v <= hi) continue;
        const double width = hi - lo;
        if (policy == BoundsPolicy::clip || !(width > 0.0)) {
            x[j] = std::clamp(v, lo, hi);
            continue;
        }
        // Reflection: fold the line onto [lo, hi] with period 2 width.
        double t = std::fmod(v - lo, 2.0 * width);
        if (t < 0.0) t += 2.0 * width;
        if (t > width) t = 2.0 * width - t;
        x[j] = std::clamp(lo + t, lo, hi);
    }
}

double mutation_probability(const IslandSettings& s, std::size_t dim) {
    return s.mutation_prob ? *s.mutation_prob : 1.0 / static_cast<double>(std::max<std::size_t>(1, dim));
}

void vary(Rng& rng, std::vector<double>& a, std::vector<double>& b, const IslandSettings& s, const Bounds& box,
          double mutation_probox) {
    if (s.crossover != Crossover::none && rng.uniform() < s.crossover_prob) {
        switch (s.crossover) {
            case Crossover::uniform:
                uniform_crossover(rng, a, b, s.crossover_gene_prob);
                break;
            case Crossover::blend:
                blend_crossover(rng, a, b, s.blend_alpha);
                break;
            case Crossover::sbx:
                sbx_crossover(rng, a, b, s.sbx_eta, s.crossover_gene_prob);
                break;
            case Crossover::intermediate:
                intermediate_crossover(rng, a, b, s.intermediate_extension);
                break;
            case Crossover::none:
                break;
        }
    }
    for (auto* child : {&a, &b}) {
        switch (s.mutation) {
            case Mutation::gaussian:
                gaussian_mutation(rng, *child, box, s.gaussian_sigma, mutation_probox);
                break;
            case Mutation::polynomial:
                polynomial_mutation(rng, *child, box, s.polynomial_eta, mutation_probox);
                break;
            case Mutation::reset:
                reset_mutation(rng, *child, box, mutation_probox);
                break;
            case Mutation::none:
                break;
        }
        apply_bounds(*child, box, s.bounds);
    }
}

std::vector<std::vector<double>> random_population(Rng& rng, std::size_t n, const Bounds& box) {
    std::vector<std::vector<double>> out(n, std::vector<double>(box.dim()));
    for (auto& x : out)
        for (std::size_t j = 0; j < box.dim(); ++j) x[j] = rng.uniform(box.lo[j], box.hi[j]);
    return out;
}

}  // namespace snnfit::opt
