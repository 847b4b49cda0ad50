// `snnfit run` across MPI ranks: rank 0 reads and checks the config and writes every
// file; the ranks form island groups (one up to 64 ranks), each a sub-master running its
// share of the islands and workers that build the same problem from the config text rank
// 0 broadcasts and evaluate chunks of candidates until told to stop.
#pragma once

#include <string>
#include <vector>

#include "fit/run.hpp"

namespace snnfit::mpi {

// True when this process was started by an MPI launcher (mpirun, mpiexec, srun with
// PMI/PMIx) with more than one rank.
bool launched_with_several_ranks();

// Runs the fit; returns the process exit status. Errors are printed once, by rank 0,
// in the one-line form of every snnfit error; workers are always stopped first.
// group_size: ranks per island group (mpi/island_groups: group_size; 0 = automatic).
int run_distributed(const std::string& config_path, const std::vector<std::string>& overrides,
                    const fit::RunOptions& options, int threads, int group_size = 0);

}  // namespace snnfit::mpi
