// Test helper: a value written to a Boost binary archive and read back (what a
// checkpoint or an MPI message does to it).
#pragma once

#include <sstream>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

template <class T>
T binary_round_trip(const T& value) {
    std::stringstream ss;
    {
        boost::archive::binary_oarchive out(ss);
        out << value;
    }
    T back;
    boost::archive::binary_iarchive in(ss);
    in >> back;
    return back;
}
