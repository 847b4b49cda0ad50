// One memory budget for every allocation whose size comes from outside input (a
// population size, a recording, a dataset a file declares, a count on the command
// line): the size is estimated first and refused with a message naming the key and the
// estimate, instead of the process dying of std::bad_alloc half-way.
#pragma once

#include <cstdint>
#include <string>

namespace snnfit {

// The budget in bytes: SNNFIT_MEMORY_LIMIT when set (bytes, or a number with a K, M, G
// or T suffix, powers of 1024), else 3/4 of the smallest of physical memory, the
// address-space limit (ulimit -v) and the cgroup's memory.max.
std::uint64_t memory_budget();

// "" when `bytes` fits the budget, else the end of a message: "needs about 7.5 GiB, more
// than the memory budget of 3 GiB (3/4 of physical memory; SNNFIT_MEMORY_LIMIT sets it)".
std::string memory_excess(double bytes);

// Throws InputError "WHAT needs about ..." when `bytes` does not fit the budget.
void require_memory(double bytes, const std::string& what);

// 1536 -> "1.5 KiB".
std::string format_bytes(double bytes);

}  // namespace snnfit
