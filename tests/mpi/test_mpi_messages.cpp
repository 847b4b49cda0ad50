// Every MPI message type survives a Boost.Serialization round trip unchanged (the
// binary archive Boost.MPI uses for non-MPI datatypes, and a text archive).
#include <limits>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>

#include "messages.hpp"

using namespace snnfit;

namespace {
template <class Out, class In, class T>
T round_trip(const T& value) {
    std::stringstream ss;
    {
        Out oa(ss);
        oa << value;
    }
    T back{};
    In ia(ss);
    ia >> back;
    return back;
}

template <class T>
void expect_round_trip(const T& v) {
    using namespace boost::archive;
    EXPECT_TRUE((round_trip<binary_oarchive, binary_iarchive>(v) == v));
    EXPECT_TRUE((round_trip<text_oarchive, text_iarchive>(v) == v));
}

opt::Candidate candidate(double x) {
    opt::Candidate c;
    c.x = {x, -x, 1e-300, std::numeric_limits<double>::max()};
    c.seed = 0xfedcba9876543210ULL;
    c.id = 123456789012345;
    c.island = 3;
    c.generation = 77;
    c.index = 12;
    return c;
}
}  // namespace

TEST(MpiMessages, ProblemMessage) {
    mpi::ProblemMessage m;
    m.ok = true;
    m.config_text = "[simulation]\ndt = 0.1 # ünïcode\n";
    m.config_name = "a/b.toml";
    m.overrides = {"simulation.dt=0.05", "populations.E.size=3"};
    m.threads = 4;
    expect_round_trip(m);
    mpi::ProblemMessage failed;  // rank 0 could not build the problem: the status every rank ends with
    failed.status = 1;
    expect_round_trip(failed);
}

TEST(MpiMessages, WorkerReady) {
    expect_round_trip(mpi::WorkerReady{false, "target.h5: no such file"});
}

TEST(MpiMessages, RequestAndReply) {
    mpi::Request req;
    req.first = 40;
    req.candidates = {candidate(0.5), candidate(-2.25)};
    expect_round_trip(req);
    mpi::Reply rep;
    rep.first = 40;
    rep.results = {opt::EvalResult::ok({0.1, 0.2}), opt::EvalResult::invalid("runaway firing"),
                   opt::EvalResult::failed("rank 2: boom")};
    rep.seconds = 0.125;
    expect_round_trip(rep);
    expect_round_trip(mpi::Request{});
}
