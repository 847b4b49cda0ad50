// The HDF5 layer: atomic writes, checksummed datasets that detect corruption, and
// strict raster reading.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "io/h5_layout.hpp"
#include "io/hdf5.hpp"
#include "io/spike_files.hpp"

namespace fs = std::filesystem;
using namespace snnfit;

namespace {
fs::path temp_dir() {
    auto d = fs::temp_directory_path() / ("snnfit_h5_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(d);
    return d;
}

template <class F>
std::string input_error_of(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no InputError";
    return "";
}
}  // namespace

TEST(Hdf5, RasterRoundTripsThroughSecondsExactlyForMsGrid) {
    const auto dir = temp_dir();
    const auto path = (dir / "r.h5").string();
    SpikeRaster r = SpikeRaster::from_trains({{1.5, 20.25, 300.0}, {}, {0.0, 999.75}});
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        io::write_header(root, "test");
        auto g = root.create_group("spikes");
        io::write_raster(g, r);
        f.commit();
    }
    auto f = io::h5::File::open_read(path);
    auto root = f.root();
    EXPECT_EQ(io::check_header(root), "test");
    const auto back = io::read_raster(root.open_group("spikes"));
    EXPECT_EQ(back.offsets, r.offsets);
    ASSERT_EQ(back.times.size(), r.times.size());
    // These times are dyadic in ms, so ms -> s -> ms is exact.
    EXPECT_EQ(back.times, r.times);
    EXPECT_EQ(root.open_group("spikes").read_doubles("times").at(1), 0.02025);
}

TEST(Hdf5, StringsAndAttributesRoundTrip) {
    const auto dir = temp_dir();
    const auto path = (dir / "s.h5").string();
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        root.write_strings("names", {"a", "τ_w", ""});
        root.write_string("text", "line 1\nline 2");
        root.set_attr("x", 2.5);
        root.set_attr("n", std::int64_t{-3});
        f.commit();
    }
    auto f = io::h5::File::open_read(path);
    auto root = f.root();
    EXPECT_EQ(root.read_strings("names"), (std::vector<std::string>{"a", "τ_w", ""}));
    EXPECT_EQ(root.read_string("text"), "line 1\nline 2");
    EXPECT_EQ(root.attr_double("x"), 2.5);
    EXPECT_EQ(root.attr_int("n"), -3);
}

TEST(Hdf5, UncommittedAtomicFileLeavesNoTraceAndKeepsThePrevious) {
    const auto dir = temp_dir();
    const auto path = (dir / "c.h5").string();
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        root.set_attr("generation", std::int64_t{1});
        f.commit();
    }
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        root.set_attr("generation", std::int64_t{2});
        // destroyed without commit: as if the process died mid-write
    }
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    auto f = io::h5::File::open_read(path);
    EXPECT_EQ(f.root().attr_int("generation"), 1);
}

TEST(Hdf5, ChecksumDetectsAFlippedByte) {
    const auto dir = temp_dir();
    const auto path = (dir / "k.h5").string();
    std::vector<double> data(100000);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = 1.0 + static_cast<double>(i);
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        root.write("x", data);
        f.commit();
    }
    // Flip one byte in the middle of the data (the file is ~800 kB of data).
    {
        std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
        io.seekg(400000);
        char c;
        io.read(&c, 1);
        c = static_cast<char>(c ^ 0x5a);
        io.seekp(400000);
        io.write(&c, 1);
    }
    auto f = io::h5::File::open_read(path);
    const auto msg = input_error_of([&] { f.root().read_doubles("x"); });
    EXPECT_NE(msg.find("checksum"), std::string::npos) << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

TEST(Hdf5, NotHdf5AndTruncatedFilesAreClearErrors) {
    const auto dir = temp_dir();
    const auto text = (dir / "t.h5").string();
    std::ofstream(text) << "not hdf5\n";
    EXPECT_EQ(input_error_of([&] { io::h5::File::open_read(text); }), text + ": not an HDF5 file (or truncated)");
    EXPECT_EQ(input_error_of([&] { io::h5::File::open_read((dir / "none.h5").string()); }),
              (dir / "none.h5").string() + ": no such file");
    const auto path = (dir / "trunc.h5").string();
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        root.write("x", std::vector<double>(50000, 1.0));
        f.commit();
    }
    fs::resize_file(path, fs::file_size(path) / 2);
    const auto msg = input_error_of([&] {
        auto f = io::h5::File::open_read(path);
        f.root().read_doubles("x");
    });
    EXPECT_EQ(msg.rfind(path, 0), 0u) << msg;
}

TEST(Hdf5, HeaderRejectsForeignAndNewerFiles) {
    const auto dir = temp_dir();
    const auto path = (dir / "h.h5").string();
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        root.set_attr("format_version", io::kFormatVersion + 1);
        root.set_attr("kind", std::string("checkpoint"));
        f.commit();
    }
    auto f = io::h5::File::open_read(path);
    EXPECT_NE(input_error_of([&] { io::check_header(f.root()); }).find("is newer than this snnfit reads"),
              std::string::npos);
    const auto plain = (dir / "p.h5").string();
    {
        auto g = io::h5::File::create_atomic(plain);
        g.commit();
    }
    auto p = io::h5::File::open_read(plain);
    EXPECT_NE(input_error_of([&] { io::check_header(p.root()); }).find("not an snnfit file"), std::string::npos);
}

TEST(Hdf5, BadRasterIsNamed) {
    const auto dir = temp_dir();
    const auto path = (dir / "b.h5").string();
    {
        auto f = io::h5::File::create_atomic(path);
        auto root = f.root();
        auto g = root.create_group("r");
        g.write("times", std::vector<double>{0.2, 0.1});
        g.write("offsets", std::vector<std::int64_t>{0, 2});
        auto h = root.create_group("s");
        h.write("times", std::vector<double>{0.1});
        h.write("offsets", std::vector<std::int64_t>{0, 2});
        f.commit();
    }
    auto f = io::h5::File::open_read(path);
    EXPECT_EQ(input_error_of([&] { io::read_raster(f.root().open_group("r")); }),
              path + ": /r/times: spike times of neuron 0 are not sorted");
    EXPECT_EQ(input_error_of([&] { io::read_raster(f.root().open_group("s")); }),
              path + ": /s/offsets: last offset 2 differs from the number of spike times 1");
    EXPECT_EQ(input_error_of([&] { io::read_spike_h5(path, "nothere"); }), path + ": /nothere: missing group");
}

TEST(SpikeFiles, PySpikeTextScalesTimes) {
    const auto dir = temp_dir();
    const auto path = (dir / "s.txt").string();
    std::ofstream(path) << "1 2.5 3\n# comment\n\n  \n4,5\n";
    const auto r = io::read_spike_text_file(path, 1000.0);
    ASSERT_EQ(r.raster.size(), 3u);
    EXPECT_EQ(r.raster.to_trains()[0], (std::vector<double>{1000, 2500, 3000}));
    EXPECT_EQ(r.raster.train(1).size(), 0u);  // a line of blanks is an empty train, as in PySpike
    EXPECT_EQ(r.raster.to_trains()[2], (std::vector<double>{4000, 5000}));
    EXPECT_EQ(r.lines, (std::vector<int>{1, 4, 5}));
    EXPECT_EQ(input_error_of([&] { io::read_spike_text_file((dir / "none.txt").string()); }),
              (dir / "none.txt").string() + ": cannot open the file (missing or unreadable)");
}

TEST(SpikeFiles, CsvOfNeuronAndTime) {
    const auto dir = temp_dir();
    const auto path = (dir / "s.csv").string();
    std::ofstream(path) << "neuron,time\n2,5.0\n0,3.0\n0,1.0\n";
    const auto r = io::read_spike_csv(path, 4);
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r.to_trains()[0], (std::vector<double>{1.0, 3.0}));
    EXPECT_EQ(r.train(1).size(), 0u);
    EXPECT_EQ(r.to_trains()[2], (std::vector<double>{5.0}));
    EXPECT_EQ(io::read_spike_csv(path).size(), 3u);
    EXPECT_EQ(input_error_of([&] { io::read_spike_csv(path, 2); }),
              path + ":2: neuron 2 is out of range (the target has 2 neurons)");
    std::ofstream(path) << "0,1\n1.5,2\n";
    EXPECT_EQ(input_error_of([&] { io::read_spike_csv(path); }),
              path + ":2: neuron index '1.5' is not an integer in [0, 1e15]");
}

// ---------------------------------------------------------------- hostile input (issue 21)

TEST(SpikeFilesHardening, TheFirstDataRowIsNeverTakenForAHeader) {
    // A bad first row after the header was skipped as a second "header": its spike was lost.
    const auto dir = temp_dir();
    const auto path = (dir / "s.csv").string();
    for (const std::string row : {"0,abc", "0,nan", "0,24,7"}) {
        std::ofstream(path) << "neuron,time\n" << row << "\n1,5\n";
        EXPECT_EQ(input_error_of([&] { io::read_spike_csv(path, 2); }),
                  path + ":2: expected 'neuron,time' numbers, got '" + row + "'");
    }
    std::ofstream(path) << "0,abc\n1,5\n";  // no header: the first row is data
    EXPECT_EQ(input_error_of([&] { io::read_spike_csv(path, 2); }),
              path + ":1: expected 'neuron,time' numbers, got '0,abc'");
    std::ofstream(path) << "neuron,time\n1e300,5\n";  // would overflow an int64
    EXPECT_EQ(input_error_of([&] { io::read_spike_csv(path, 2); }),
              path + ":2: neuron index '1e300' is not an integer in [0, 1e15]");
}

namespace {
// A raster group written with the HDF5 C API, as another tool would: `times` with a
// units attribute, `offsets` as float64 or int64.
void write_foreign_raster(const std::string& path, const char* units, bool float_offsets) {
    auto f = io::h5::File::create_atomic(path);
    auto root = f.root();
    auto g = root.create_group("spikes");
    g.write("times", std::vector<double>{0.5, 1.5});
    if (units) g.set_dataset_attr("times", "units", units);
    if (float_offsets)
        g.write("offsets", std::vector<double>{0.0, 1.0, 2.0});
    else
        g.write("offsets", std::vector<std::int64_t>{0, 1, 2});
    f.commit();
}
}  // namespace

TEST(Hdf5Hardening, TheUnitsOfSpikeTimesAreHonouredOrRefused) {
    const auto dir = temp_dir();
    const auto path = (dir / "r.h5").string();
    write_foreign_raster(path, "ms", false);
    EXPECT_EQ(io::read_spike_h5(path, "spikes").times, (std::vector<double>{0.5, 1.5}));
    write_foreign_raster(path, "s", false);
    EXPECT_EQ(io::read_spike_h5(path, "spikes").times, (std::vector<double>{500.0, 1500.0}));
    write_foreign_raster(path, nullptr, false);  // snnfit's own files: seconds
    EXPECT_EQ(io::read_spike_h5(path, "spikes").times, (std::vector<double>{500.0, 1500.0}));
    write_foreign_raster(path, "furlongs", false);
    EXPECT_EQ(input_error_of([&] { io::read_spike_h5(path, "spikes"); }),
              path + ": /spikes/times: units \"furlongs\": expected \"s\" or \"ms\"");
}

TEST(Hdf5Hardening, FloatOffsetsAreNotTruncated) {
    const auto dir = temp_dir();
    const auto path = (dir / "r.h5").string();
    write_foreign_raster(path, "s", true);
    EXPECT_EQ(input_error_of([&] { io::read_spike_h5(path, "spikes"); }),
              path + ": /spikes/offsets: expected integers, found another type (floats?)");
}

TEST(Hdf5Hardening, ADatasetDeclaredLargerThanItsFileIsRefusedBeforeAllocating) {
    // 2^40 float64 elements declared in a file of a few kB: chunks never written.
    const auto dir = temp_dir();
    const auto path = (dir / "forged.h5").string();
    {
        const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        const hsize_t dims = hsize_t{1} << 40, chunk = 1024;
        const hid_t space = H5Screate_simple(1, &dims, nullptr);
        const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(plist, 1, &chunk);
        const hid_t ds = H5Dcreate2(f, "times", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, plist, H5P_DEFAULT);
        H5Dclose(ds);
        H5Pclose(plist);
        H5Sclose(space);
        H5Fclose(f);
    }
    EXPECT_LT(fs::file_size(path), 100000u);
    setenv("SNNFIT_MEMORY_LIMIT", "1G", 1);
    auto file = io::h5::File::open_read(path);
    EXPECT_EQ(input_error_of([&] { file.root().read_doubles("times"); }),
              path +
                  ": /times: a dataset of 1.1e+12 elements needs about 8 TiB, more than the memory budget of 1 GiB "
                  "(set by SNNFIT_MEMORY_LIMIT)");
    setenv("SNNFIT_MEMORY_LIMIT", "100T", 1);  // within the budget, the storage check still refuses it
    EXPECT_EQ(input_error_of([&] { file.root().read_doubles("times"); }),
              path + ": /times: declares 1.1e+12 elements but the file holds only 0 B of data for it (damaged file?)");
    unsetenv("SNNFIT_MEMORY_LIMIT");
}

TEST(Hdf5Hardening, ADirectoryIsNotAFileToWrite) {
    const auto dir = temp_dir();
    EXPECT_EQ(input_error_of([&] { io::h5::File::create_atomic(dir.string()); }),
              dir.string() + ": is a directory; give the name of the HDF5 file to write");
}
