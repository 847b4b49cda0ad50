// Thin RAII wrappers over the HDF5 C API: files written atomically (NAME.tmp, then
// renamed), 1-D and 2-D datasets with the Fletcher-32 checksum filter, string and
// number attributes. Every failure becomes an InputError naming the file and object.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <hdf5.h>

namespace snnfit::io::h5 {

// Owns one hid_t and closes it with the matching H5*close.
class Handle {
public:
    Handle() = default;
    Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
    Handle& operator=(Handle&& o) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }
    hid_t get() const { return id_; }
    void reset();

private:
    hid_t id_ = H5I_INVALID_HID;
    herr_t (*close_)(hid_t) = nullptr;
};

class Group {
public:
    Group(Handle h, std::string file, std::string path)
        : h_(std::move(h)), file_(std::move(file)), path_(std::move(path)) {}
    const std::string& path() const { return path_; }
    const std::string& file() const { return file_; }
    hid_t id() const { return h_.get(); }

    bool has(const std::string& name) const;
    Group create_group(const std::string& name);
    Group open_group(const std::string& name) const;
    std::vector<std::string> members() const;

    void write(const std::string& name, std::span<const double> data);
    void write(const std::string& name, std::span<const std::int64_t> data);
    void write_matrix(const std::string& name, std::span<const double> data, std::size_t rows, std::size_t cols);
    void write_matrix(const std::string& name, std::span<const std::int64_t> data, std::size_t rows, std::size_t cols);
    void write_string(const std::string& name, const std::string& text);
    void write_strings(const std::string& name, const std::vector<std::string>& texts);  // 1-D, UTF-8
    std::vector<double> read_doubles(const std::string& name) const;
    std::vector<std::int64_t> read_int64s(const std::string& name) const;
    // Reads a 2-D dataset; returns data row-major and sets rows, cols.
    std::vector<double> read_matrix(const std::string& name, std::size_t& rows, std::size_t& cols) const;
    std::string read_string(const std::string& name) const;
    std::vector<std::string> read_strings(const std::string& name) const;

    void set_attr(const std::string& name, const std::string& value);
    void set_attr(const std::string& name, const std::vector<std::string>& values);  // 1-D, UTF-8
    void set_attr(const std::string& name, std::int64_t value);
    void set_attr(const std::string& name, double value);
    void set_dataset_attr(const std::string& dataset, const std::string& name, const std::string& value);
    void set_dataset_attr(const std::string& dataset, const std::string& name, const std::vector<std::string>& values);
    // The attributes of a dataset of this group, read through the returned view's
    // has_attr/attr_* (NWB keeps units, conversion and rate on datasets).
    Group dataset_attrs(const std::string& dataset) const;
    bool has_attr(const std::string& name) const;
    std::string attr_string(const std::string& name) const;
    std::int64_t attr_int(const std::string& name) const;
    double attr_double(const std::string& name) const;

    [[noreturn]] void fail(const std::string& object, const std::string& what) const;

private:
    std::string child(const std::string& name) const;
    Handle open_dataset(const std::string& name, std::vector<hsize_t>& dims) const;
    Handle h_;
    std::string file_;
    std::string path_;
};

class File {
public:
    // Opens an existing file for reading; InputError if missing or not HDF5.
    static File open_read(const std::string& path);
    // Creates PATH.tmp; commit() flushes, closes and renames it to PATH, so a crash
    // at any instant leaves the previous PATH intact.
    static File create_atomic(const std::string& path);
    File(File&&) noexcept;
    ~File();  // an uncommitted atomic file is removed
    Group root();
    void commit();
    const std::string& path() const { return path_; }

private:
    File() = default;
    Handle h_;
    std::string path_;
    std::string tmp_;
    bool committed_ = true;
};

// Turns off HDF5's printing of error stacks; snnfit reports errors itself.
void silence_errors();

}  // namespace snnfit::io::h5
