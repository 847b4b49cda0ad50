// The messages between the master (rank 0) and the workers, as Boost.Serialization
// structs. Every type here has a round-trip test (tests/unit/test_mpi_messages.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "opt/candidate.hpp"

namespace snnfit::mpi {

enum Tag : int {
    tag_problem = 1,  // master -> all (broadcast): ProblemMessage
    tag_ready = 2,    // worker -> master: WorkerReady (problem built, or why not)
    tag_request = 3,  // master -> worker: Request
    tag_reply = 4,    // worker -> master: Reply
    tag_stop = 5,     // master -> worker: no payload; leave the loop
};

// What every worker needs to build its own fit::Problem: the config as the master read it.
struct ProblemMessage {
    bool ok = false;  // false: rank 0 could not build the problem (it reports); workers just exit
    int status = 2;   // with ok = false: the exit status every rank ends with (README "Exit status")
    std::string config_text;
    std::string config_name;
    std::vector<std::string> overrides;
    int threads = 1;  // evaluation threads per worker

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& ok& status& config_text& config_name& overrides& threads;
    }
    bool operator==(const ProblemMessage&) const = default;
};

struct WorkerReady {
    bool ok = true;
    std::string message;  // why the worker could not build the problem

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& ok& message;
    }
    bool operator==(const WorkerReady&) const = default;
};

// A chunk of one generation's batch: candidates [first, first + size).
struct Request {
    std::int64_t first = 0;
    std::vector<opt::Candidate> candidates;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& first& candidates;
    }
    bool operator==(const Request&) const = default;
};

struct Reply {
    std::int64_t first = 0;
    std::vector<opt::EvalResult> results;
    double seconds = 0.0;  // compute time of the chunk on the worker (for chunk sizing)

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& first& results& seconds;
    }
    bool operator==(const Reply&) const = default;
};

}  // namespace snnfit::mpi
