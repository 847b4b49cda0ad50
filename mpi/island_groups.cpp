#include "island_groups.hpp"

#include <fmt/format.h>
#include <boost/mpi/collectives.hpp>

#include "common/error.hpp"

namespace snnfit::mpi {

int group_size(int world_size, int option) {
    if (option == 0) return world_size <= kAutoGroupSize ? world_size : kAutoGroupSize;
    if (option < 1 || option > world_size)
        throw InputError(fmt::format("--group-size {}: expected 1 to {} ranks per group (the ranks of this run), "
                                     "or 0 for automatic",
                                     option, world_size));
    return option;
}

std::vector<opt::GroupMessage> SubMasterGroups::allgather(const opt::GroupMessage& mine) {
    std::vector<opt::GroupMessage> all;
    boost::mpi::all_gather(comm_, mine, all);
    return all;
}

std::vector<opt::GroupMessage> SubMasterGroups::gather(const opt::GroupMessage& mine) {
    std::vector<opt::GroupMessage> all;
    if (comm_.rank() == 0)
        boost::mpi::gather(comm_, mine, all, 0);
    else
        boost::mpi::gather(comm_, mine, 0);
    return all;
}

}  // namespace snnfit::mpi
