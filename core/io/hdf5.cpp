#include "io/hdf5.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/memory.hpp"

namespace snnfit::io::h5 {

namespace {

// Chunks of at most 64 Ki elements: small enough that a damaged chunk is found by
// its checksum without reading the file whole, large enough to write fast.
constexpr hsize_t kChunk = 1 << 16;

Handle dataset_create_plist(const std::vector<hsize_t>& dims) {
    Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    std::vector<hsize_t> chunk(dims.size());
    hsize_t budget = kChunk;
    for (std::size_t i = dims.size(); i-- > 0;) {
        chunk[i] = std::max<hsize_t>(1, std::min(dims[i], budget));
        budget = std::max<hsize_t>(1, budget / chunk[i]);
    }
    H5Pset_chunk(plist.get(), static_cast<int>(dims.size()), chunk.data());
    H5Pset_fletcher32(plist.get());
    return plist;
}

template <class T>
hid_t mem_type();
template <>
hid_t mem_type<double>() {
    return H5T_NATIVE_DOUBLE;
}
template <>
hid_t mem_type<std::int64_t>() {
    return H5T_NATIVE_INT64;
}

}  // namespace

// fsync of a directory, best effort (some file systems refuse it).
static void sync_directory(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    (void)::fsync(fd);
    ::close(fd);
}

// Writes `data` to PATH (truncating it) and syncs it to disk; any failure (ENOSPC,
// EIO, a quota) is an InputError naming the file and the reason.
static void write_all(const std::string& path, const std::vector<char>& data) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw InputError(fmt::format("{}: cannot create the file: {}", path, std::strerror(errno)));
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            throw InputError(fmt::format("{}: cannot write the file: {}", path, std::strerror(err)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        throw InputError(fmt::format("{}: cannot sync the file to disk: {}", path, std::strerror(err)));
    }
    if (::close(fd) != 0) throw InputError(fmt::format("{}: cannot close the file: {}", path, std::strerror(errno)));
}

void silence_errors() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Handle& Handle::operator=(Handle&& o) noexcept {
    if (this != &o) {
        reset();
        id_ = o.id_;
        close_ = o.close_;
        o.id_ = H5I_INVALID_HID;
    }
    return *this;
}

void Handle::reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = H5I_INVALID_HID;
}

// ------------------------------------------------------------------ Group

std::string Group::child(const std::string& name) const {
    return path_ == "/" ? "/" + name : path_ + "/" + name;
}

void Group::fail(const std::string& object, const std::string& what) const {
    throw InputError(fmt::format("{}: {}: {}", file_, object.empty() ? path_ : child(object), what));
}

bool Group::has(const std::string& name) const {
    // Walk the path one link at a time: H5Lexists fails on a missing intermediate.
    std::string partial;
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto slash = name.find('/', start);
        const std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        partial += (partial.empty() ? "" : "/") + part;
        if (H5Lexists(h_.get(), partial.c_str(), H5P_DEFAULT) <= 0) return false;
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return true;
}

Group Group::create_group(const std::string& name) {
    Handle g(H5Gcreate2(h_.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    if (g.get() < 0) fail(name, "cannot create group");
    return Group(std::move(g), file_, child(name));
}

Group Group::open_group(const std::string& name) const {
    if (!has(name)) fail(name, "missing group");
    Handle g(H5Gopen2(h_.get(), name.c_str(), H5P_DEFAULT), H5Gclose);
    if (g.get() < 0) fail(name, "not a group");
    return Group(std::move(g), file_, child(name));
}

std::vector<std::string> Group::members() const {
    std::vector<std::string> out;
    H5G_info_t info;
    if (H5Gget_info(h_.get(), &info) < 0) fail("", "cannot list the group");
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t len = H5Lget_name_by_idx(h_.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (len < 0) continue;
        std::string name(static_cast<std::size_t>(len), '\0');
        H5Lget_name_by_idx(h_.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
        out.push_back(name);
    }
    return out;
}

namespace {
template <class T>
void write_nd(Group& g, const std::string& name, const T* data, const std::vector<hsize_t>& dims) {
    std::vector<hsize_t> maxdims(dims.size(), H5S_UNLIMITED);
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxdims.data()), H5Sclose);
    Handle plist = dataset_create_plist(dims);
    Handle ds(H5Dcreate2(g.id(), name.c_str(), mem_type<T>(), space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT),
              H5Dclose);
    if (ds.get() < 0) g.fail(name, "cannot create dataset");
    hsize_t total = 1;
    for (auto d : dims) total *= d;
    if (total > 0 && H5Dwrite(ds.get(), mem_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        g.fail(name, "cannot write dataset");
}
}  // namespace

void Group::write(const std::string& name, std::span<const double> data) {
    write_nd(*this, name, data.data(), {data.size()});
}

void Group::write(const std::string& name, std::span<const std::int64_t> data) {
    write_nd(*this, name, data.data(), {data.size()});
}

void Group::write_matrix(const std::string& name, std::span<const double> data, std::size_t rows, std::size_t cols) {
    if (data.size() != rows * cols) throw InternalError("write_matrix: size mismatch");
    write_nd(*this, name, data.data(), {rows, cols});
}

void Group::write_matrix(const std::string& name, std::span<const std::int64_t> data, std::size_t rows,
                         std::size_t cols) {
    if (data.size() != rows * cols) throw InternalError("write_matrix: size mismatch");
    write_nd(*this, name, data.data(), {rows, cols});
}

void Group::write_string(const std::string& name, const std::string& text) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle ds(H5Dcreate2(h_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              H5Dclose);
    if (ds.get() < 0) fail(name, "cannot create dataset");
    const char* p = text.c_str();
    if (H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0) fail(name, "cannot write dataset");
}

void Group::write_strings(const std::string& name, const std::vector<std::string>& texts) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    const hsize_t n = texts.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Handle ds(H5Dcreate2(h_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              H5Dclose);
    if (ds.get() < 0) fail(name, "cannot create dataset");
    std::vector<const char*> p;
    for (const auto& t : texts) p.push_back(t.c_str());
    if (n > 0 && H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()) < 0)
        fail(name, "cannot write dataset");
}

std::vector<std::string> Group::read_strings(const std::string& name) const {
    std::vector<hsize_t> dims;
    Handle ds = open_dataset(name, dims);
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (dims.size() != 1 || H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0)
        fail(name, "expected a 1-D dataset of variable-length strings");
    Handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mt.get(), H5T_VARIABLE);
    H5Tset_cset(mt.get(), H5Tget_cset(type.get()));
    std::vector<char*> p(dims[0], nullptr);
    if (dims[0] > 0 && H5Dread(ds.get(), mt.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()) < 0)
        fail(name, "cannot read the strings");
    std::vector<std::string> out;
    for (char* c : p) {
        out.emplace_back(c ? c : "");
        H5free_memory(c);
    }
    return out;
}

Handle Group::open_dataset(const std::string& name, std::vector<hsize_t>& dims) const {
    if (!has(name)) fail(name, "missing dataset");
    Handle ds(H5Dopen2(h_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (ds.get() < 0) fail(name, "not a dataset");
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) fail(name, "unreadable dataspace");
    dims.assign(static_cast<std::size_t>(rank), 0);
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    // The dimensions are whatever the file declares: a forged 2^40-element dataset in a
    // 1 kB file must be refused before the buffer for it is allocated. Every type read
    // here takes 8 bytes in memory (double, int64, a string's pointer).
    double elements = 1;
    for (const auto d : dims) elements *= static_cast<double>(d);
    if (auto excess = memory_excess(8 * elements); !excess.empty())
        fail(name, fmt::format("a dataset of {:.3g} elements {}", elements, excess));
    // No filter we or h5py write compresses a thousand-fold: storage this far below the
    // declared size is a damaged or forged file (unwritten chunks would read as zeros).
    const double stored = static_cast<double>(H5Dget_storage_size(ds.get()));
    if (8 * elements > 1e6 && 1000 * stored < 8 * elements)
        fail(name, fmt::format("declares {:.3g} elements but the file holds only {} of data for it (damaged file?)",
                               elements, format_bytes(stored)));
    return ds;
}

namespace {
template <class T>
std::vector<T> read_all(const Group& g, Handle& ds, const std::string& name, std::size_t n) {
    std::vector<T> out(n);
    if (n > 0 && H5Dread(ds.get(), mem_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        g.fail(name, "cannot read the dataset (corrupt data or checksum mismatch)");
    return out;
}
}  // namespace

std::vector<double> Group::read_doubles(const std::string& name) const {
    std::vector<hsize_t> dims;
    Handle ds = open_dataset(name, dims);
    if (dims.size() != 1) fail(name, fmt::format("expected a 1-D dataset, found {}-D", dims.size()));
    return read_all<double>(*this, ds, name, dims[0]);
}

std::vector<std::int64_t> Group::read_int64s(const std::string& name) const {
    std::vector<hsize_t> dims;
    Handle ds = open_dataset(name, dims);
    if (dims.size() != 1) fail(name, fmt::format("expected a 1-D dataset, found {}-D", dims.size()));
    // HDF5 would convert 2.7 to 2 without a word.
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_INTEGER) fail(name, "expected integers, found another type (floats?)");
    return read_all<std::int64_t>(*this, ds, name, dims[0]);
}

std::vector<double> Group::read_matrix(const std::string& name, std::size_t& rows, std::size_t& cols) const {
    std::vector<hsize_t> dims;
    Handle ds = open_dataset(name, dims);
    if (dims.size() != 2) fail(name, fmt::format("expected a 2-D dataset, found {}-D", dims.size()));
    rows = dims[0];
    cols = dims[1];
    return read_all<double>(*this, ds, name, rows * cols);
}

std::string Group::read_string(const std::string& name) const {
    std::vector<hsize_t> dims;
    Handle ds = open_dataset(name, dims);
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) fail(name, "expected a string dataset");
    if (H5Tis_variable_str(type.get()) > 0) {
        Handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mt.get(), H5T_VARIABLE);
        H5Tset_cset(mt.get(), H5Tget_cset(type.get()));  // no conversion path between ASCII and UTF-8
        char* p = nullptr;
        if (H5Dread(ds.get(), mt.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0) fail(name, "cannot read the string");
        std::string s = p ? p : "";
        H5free_memory(p);
        return s;
    }
    const std::size_t size = H5Tget_size(type.get());
    std::string s(size, '\0');
    if (H5Dread(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, s.data()) < 0)
        fail(name, "cannot read the string");
    s.resize(std::strlen(s.c_str()));
    return s;
}

void Group::set_attr(const std::string& name, const std::string& value) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    if (H5Aexists(h_.get(), name.c_str()) > 0) H5Adelete(h_.get(), name.c_str());
    Handle a(H5Acreate2(h_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    const char* p = value.c_str();
    if (a.get() < 0 || H5Awrite(a.get(), type.get(), &p) < 0) fail("", "cannot write attribute " + name);
}

void Group::set_attr(const std::string& name, const std::vector<std::string>& values) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    const hsize_t n = values.size();
    Handle space(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), H5Sclose);
    if (H5Aexists(h_.get(), name.c_str()) > 0) H5Adelete(h_.get(), name.c_str());
    Handle a(H5Acreate2(h_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    std::vector<const char*> p;
    for (const auto& v : values) p.push_back(v.c_str());
    if (a.get() < 0 || (n && H5Awrite(a.get(), type.get(), p.data()) < 0)) fail("", "cannot write attribute " + name);
}

namespace {
template <class T>
void set_num_attr(Group& g, const std::string& name, T value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    if (H5Aexists(g.id(), name.c_str()) > 0) H5Adelete(g.id(), name.c_str());
    Handle a(H5Acreate2(g.id(), name.c_str(), mem_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (a.get() < 0 || H5Awrite(a.get(), mem_type<T>(), &value) < 0) g.fail("", "cannot write attribute " + name);
}
template <class T>
T get_num_attr(const Group& g, const std::string& name) {
    if (H5Aexists(g.id(), name.c_str()) <= 0) g.fail("", "missing attribute " + name);
    Handle a(H5Aopen(g.id(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (a.get() < 0) g.fail("", "cannot open attribute " + name);
    // A file from another tool may hold an array here; reading it into one value would overrun.
    Handle space(H5Aget_space(a.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) g.fail("", "attribute " + name + " is not a single number");
    Handle type(H5Aget_type(a.get()), H5Tclose);
    const auto cls = H5Tget_class(type.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) g.fail("", "attribute " + name + " is not a number");
    T value{};
    if ( H5Aread(a.get(), mem_type<T>(), &value) < 0) g.fail("", "cannot read attribute " + name);
    return value;
}
}  // namespace

void Group::set_attr(const std::string& name, std::int64_t value) {
    set_num_attr(*this, name, value);
}
void Group::set_attr(const std::string& name, double value) {
    set_num_attr(*this, name, value);
}

void Group::set_dataset_attr(const std::string& dataset, const std::string& name, const std::string& value) {
    Handle ds(H5Dopen2(h_.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (ds.get() < 0) fail(dataset, "missing dataset");
    Group g(std::move(ds), file_, child(dataset));
    g.set_attr(name, value);
}

void Group::set_dataset_attr(const std::string& dataset, const std::string& name,
                             const std::vector<std::string>& values) {
    Handle ds(H5Dopen2(h_.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (ds.get() < 0) fail(dataset, "missing dataset");
    Group g(std::move(ds), file_, child(dataset));
    g.set_attr(name, values);
}

Group Group::dataset_attrs(const std::string& dataset) const {
    if (!has(dataset)) fail(dataset, "missing dataset");
    Handle ds(H5Dopen2(h_.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (ds.get() < 0) fail(dataset, "not a dataset");
    return Group(std::move(ds), file_, child(dataset));
}

bool Group::has_attr(const std::string& name) const {
    return H5Aexists(h_.get(), name.c_str()) > 0;
}

std::string Group::attr_string(const std::string& name) const {
    if (!has_attr(name)) fail("", "missing attribute " + name);
    Handle a(H5Aopen(h_.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
    Handle type(H5Aget_type(a.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) fail("", "attribute " + name + " is not a string");
    if (H5Tis_variable_str(type.get()) > 0) {
        Handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mt.get(), H5T_VARIABLE);
        H5Tset_cset(mt.get(), H5Tget_cset(type.get()));  // no conversion path between ASCII and UTF-8
        char* p = nullptr;
        if (H5Aread(a.get(), mt.get(), &p) < 0) fail("", "cannot read attribute " + name);
        std::string s = p ? p : "";
        H5free_memory(p);
        return s;
    }
    std::string s(H5Tget_size(type.get()), '\0');
    if (H5Aread(a.get(), type.get(), s.data()) < 0) fail("", "cannot read attribute " + name);
    s.resize(std::strlen(s.c_str()));
    return s;
}

std::int64_t Group::attr_int(const std::string& name) const {
    return get_num_attr<std::int64_t>(*this, name);
}
double Group::attr_double(const std::string& name) const {
    return get_num_attr<double>(*this, name);
}

// ------------------------------------------------------------------ File

File::File(File&& o) noexcept
    : h_(std::move(o.h_)), path_(std::move(o.path_)), tmp_(std::move(o.tmp_)), committed_(o.committed_) {
    o.committed_ = true;
}

File::~File() {
    h_.reset();
    if (!committed_) std::remove(tmp_.c_str());
}

File File::open_read(const std::string& path) {
    silence_errors();
    if (!std::filesystem::exists(path)) throw InputError(path + ": no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path + ": not an HDF5 file (or truncated)");
    File f;
    f.h_ = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (f.h_.get() < 0) throw InputError(path + ": cannot open the HDF5 file (damaged or truncated)");
    f.path_ = path;
    return f;
}

File File::create_atomic(const std::string& path) {
    silence_errors();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(path + ": is a directory; give the name of the HDF5 file to write");
    File f;
    f.path_ = path;
    f.tmp_ = path + ".tmp";
    // The file is built in memory (the core driver, no backing store) and written by
    // commit() with plain write(2): a full disk is then an error of ours, never one inside
    // HDF5, whose file object a failed flush or close leaves behind half-closed, to crash
    // in H5_term_library at exit.
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (fapl.get() < 0 || H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, false) < 0)
        throw InputError(f.tmp_ + ": cannot set up the in-memory HDF5 file");
    f.h_ = Handle(H5Fcreate(f.tmp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), H5Fclose);
    if (f.h_.get() < 0) throw InputError(f.tmp_ + ": cannot create the file");
    // Fail now, not after the whole file is built, when the directory is not writable.
    const int fd = ::open(f.tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        throw InputError(fmt::format("{}: cannot create the file: {} (check the directory exists and is writable)",
                                     f.tmp_, std::strerror(errno)));
    ::close(fd);
    f.committed_ = false;
    return f;
}

Group File::root() {
    Handle g(H5Gopen2(h_.get(), "/", H5P_DEFAULT), H5Gclose);
    if (g.get() < 0) throw InputError(path_ + ": cannot open the root group");
    return Group(std::move(g), path_, "/");
}

void File::commit() {
    if (committed_) return;
    if (H5Fflush(h_.get(), H5F_SCOPE_GLOBAL) < 0) throw InputError(tmp_ + ": cannot flush the file");
    const ssize_t size = H5Fget_file_image(h_.get(), nullptr, 0);
    if (size < 0) throw InputError(tmp_ + ": cannot take the image of the file");
    std::vector<char> image(static_cast<std::size_t>(size));
    if (H5Fget_file_image(h_.get(), image.data(), image.size()) != size)
        throw InputError(tmp_ + ": cannot take the image of the file");
    h_.reset();  // in memory: nothing to fail
    write_all(tmp_, image);
    // The data must be on disk before the rename makes it the file of record, and the
    // rename itself must be on disk before the caller deletes older files: otherwise a
    // power loss can leave an empty "newest" file behind.
    std::error_code ec;
    std::filesystem::rename(tmp_, path_, ec);
    if (ec) throw InputError(fmt::format("{}: cannot rename to {}: {}", tmp_, path_, ec.message()));
    const auto parent = std::filesystem::path(path_).parent_path();
    sync_directory(parent.empty() ? std::string(".") : parent.string());
    committed_ = true;
}

}  // namespace snnfit::io::h5
