// `snnfit run` across MPI ranks: rank 0 reads and checks the config, runs the islands
// and writes every file; ranks 1..N-1 build the same problem from the config text it
// broadcasts and evaluate chunks of candidates until told to stop.
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
int run_distributed(const std::string& config_path, const std::vector<std::string>& overrides,
                    const fit::RunOptions& options, int threads);

}  // namespace snnfit::mpi
