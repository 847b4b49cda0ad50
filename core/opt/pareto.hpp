// Pareto ranking of objective vectors (all minimised): non-dominated sorting and
// crowding distance as in NSGA-II (Deb et al. 2002), and the 2-D hypervolume that
// the tests and benchmarks measure fronts with.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

// a <= b in every objective and < in at least one.
bool dominates(std::span<const double> a, std::span<const double> b);

// Front index of each member (0 = non-dominated), by Deb's fast non-dominated sort.
std::vector<std::size_t> pareto_ranks(const std::vector<Individual>& pop);

// Crowding distance of each member within its own front: infinite at a front's
// extremes of any objective, else the sum over objectives of the normalised gap
// between its neighbours.
std::vector<double> crowding_distances(const std::vector<Individual>& pop, const std::vector<std::size_t>& ranks);

// Member indices best first by the crowded comparison: lower rank, then larger
// crowding distance, then lower index (so ties are decided the same way everywhere).
std::vector<std::size_t> pareto_order(const std::vector<Individual>& pop);

// The non-dominated members among those evaluated ok, each id once (migrants are
// copies), ordered by objectives (lexicographically), then id.
std::vector<Individual> pareto_front(const std::vector<Individual>& pop);

// Hypervolume dominated by 2-D points with respect to the reference point (both
// minimised); points not strictly better than the reference in both count nothing.
double hypervolume_2d(std::vector<std::array<double, 2>> points, std::array<double, 2> reference);

}  // namespace snnfit::opt
