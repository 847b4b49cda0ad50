// The project's exception types. Every error a user can cause (bad config, bad data
// file, bad command line) is an snnfit::Error whose what() is one line naming the
// file, key or line and what was expected; InternalError is reserved for bugs.
#pragma once

#include <stdexcept>
#include <string>

namespace snnfit {

// Base of every user-facing error: what() is a complete one-line message.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A config file, or a --set override, that is unreadable, malformed or invalid.
class ConfigError : public Error {
public:
    ConfigError(std::string file, int line, std::string key, const std::string& what);
    const std::string& file() const { return file_; }
    int line() const { return line_; }  // 0 when unknown
    const std::string& key() const { return key_; }

private:
    std::string file_;
    int line_;
    std::string key_;
};

// A data file (spike trains, HDF5 checkpoint, target) that is missing, corrupt or malformed.
class InputError : public Error {
public:
    using Error::Error;
};

// A model or parameter value that is inconsistent (NEST-style validation on commit).
class ParameterError : public Error {
public:
    using Error::Error;
};

// A broken invariant inside snnfit: a bug, never the user's fault.
class InternalError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace snnfit
