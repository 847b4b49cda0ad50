// Island groups over MPI: MPI_COMM_WORLD split into groups of R consecutive ranks, the
// first of each a sub-master running its share of the islands (opt::IslandGroups over
// the communicator of sub-masters), the others its workers.
#pragma once

#include <string>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include "opt/island_groups.hpp"

namespace snnfit::mpi {

// Ranks per group for `world_size` ranks and the --group-size option (0 = automatic: one
// group up to kAutoGroupSize ranks, groups of kAutoGroupSize above). Throws
// snnfit::InputError when the option does not fit the rank count.
constexpr int kAutoGroupSize = 64;
int group_size(int world_size, int option);
inline int group_count(int world_size, int size) { return (world_size + size - 1) / size; }

class SubMasterGroups : public opt::IslandGroups {
public:
    // `sub_masters`: world ranks 0, R, 2R, ... in that order.
    explicit SubMasterGroups(boost::mpi::communicator sub_masters) : comm_(std::move(sub_masters)) {}
    int group() const override { return comm_.rank(); }
    int groups() const override { return comm_.size(); }
    std::vector<opt::GroupMessage> allgather(const opt::GroupMessage& mine) override;
    std::vector<opt::GroupMessage> gather(const opt::GroupMessage& mine) override;

private:
    boost::mpi::communicator comm_;
};

}  // namespace snnfit::mpi
