// Test helper: the message of the snnfit::Error a call throws (a failure if none).
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "common/error.hpp"

template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const snnfit::Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "no snnfit::Error thrown";
    return "";
}
