// FileText: a services file mapped and given back behind the reader reads the same as the file.
#include "platform/fs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "scratch_dir.h"

namespace otp {
namespace {

class FileTextTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  ScratchDir scratch_{"otp-fs"};
  const std::filesystem::path& dir_ = scratch_.path();
};

TEST_F(FileTextTest, MappedFileReadsLikeTheFileBeforeAndAfterRelease) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "R" + std::to_string(i) + ",F1,P1,2026-09-01,methadone_dose,80\n";
  const std::string path = Write("services.csv", text);
  PosixFileSystem fs;
  auto got = fs.ReadText(path);
  ASSERT_TRUE(got.ok()) << got.status().message();
  FileText t = std::move(got).value();
  EXPECT_EQ(t.view(), text);
  // Pages given back are read from the file again if touched: nothing changes for the reader.
  t.ReleaseBefore(text.size() / 2);
  t.ReleaseBefore(text.size() / 4);  // going back is a no-op
  t.ReleaseBefore(text.size() + 100);
  EXPECT_EQ(t.view(), text);
  FileText moved = std::move(t);
  EXPECT_EQ(moved.view(), text);
  EXPECT_TRUE(t.view().empty());
}

TEST_F(FileTextTest, EmptyFileAndNonRegularFileAreReadNotMapped) {
  const std::string empty = Write("empty.csv", "");
  EXPECT_FALSE(FileText::Map(empty).has_value());
  PosixFileSystem fs;
  auto e = fs.ReadText(empty);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e.value().view().empty());
  EXPECT_FALSE(FileText::Map(dir_.string()).has_value());  // a directory
  EXPECT_FALSE(fs.ReadText((dir_ / "missing.csv").string()).ok());
}

// Moving onto a FileText that holds text (or a mapping) gives up what it held, once.
TEST_F(FileTextTest, MoveAssignmentReplacesTextAndMappings) {
  FileText a(std::string(100, 'x'));
  FileText b(std::string(200, 'y'));
  a = std::move(b);
  EXPECT_EQ(a.view(), std::string(200, 'y'));
  const std::string path = Write("m.csv", std::string(10000, 'z'));
  auto mapped = FileText::Map(path);
  ASSERT_TRUE(mapped.has_value());
  a = std::move(*mapped);
  EXPECT_EQ(a.view(), std::string(10000, 'z'));
  FileText c(std::string(300, 'w'));
  a = std::move(c);  // unmaps
  EXPECT_EQ(a.view(), std::string(300, 'w'));
}

TEST_F(FileTextTest, StringTextKeepsItsBytesOnRelease) {
  FileText t(std::string("a,b\n1,2\n"));
  t.ReleaseBefore(4);
  EXPECT_EQ(t.view(), "a,b\n1,2\n");
}

}  // namespace
}  // namespace otp

namespace otp {
namespace {

// Issue 24, case 4: a temporary file is a new file (O_EXCL) under a name no one can guess, so
// a link planted where the writer used to write (<path>.tmp-<pid>) or at the target itself
// never receives a byte of protected health information.
class AtomicWrite : public ::testing::Test {
 protected:
  std::string At(const std::string& name) const { return (scratch_.path() / name).string(); }
  std::string Slurp(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  ScratchDir scratch_{"otp-atomic"};
  PosixFileSystem fs_;
};

TEST_F(AtomicWrite, LinksPlantedAtTheTemporaryNameOrTheTargetReceiveNothing) {
  std::ofstream(At("victim.txt")) << "precious";
  const std::string path = At("HRC01-000000001.837");
  std::filesystem::create_symlink(At("victim.txt"), path + ".tmp-" + std::to_string(::getpid()));
  std::filesystem::create_symlink(At("victim.txt"), path);
  ASSERT_TRUE(fs_.WriteAtomic(path, "ISA*names and MBIs~").ok());
  EXPECT_EQ(Slurp(At("victim.txt")), "precious");
  EXPECT_FALSE(std::filesystem::is_symlink(path)) << "rename replaced the link itself";
  EXPECT_EQ(Slurp(path), "ISA*names and MBIs~");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AtomicWrite, MakeTempMakesANewPrivateFileEachTime) {
  const std::string path = At("compliance.xlsx");
  auto a = fs_.MakeTemp(path), b = fs_.MakeTemp(path);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.value(), b.value());
  for (const std::string& t : {a.value(), b.value()}) {
    EXPECT_EQ(t.rfind(path + ".tmp-", 0), 0u) << t;
    struct stat st {};
    ASSERT_EQ(::lstat(t.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 0);
  }
}

TEST_F(AtomicWrite, PublishRefusesATemporaryFileReplacedByALink) {
  std::ofstream(At("victim.txt")) << "precious";
  const std::string path = At("compliance.xlsx");
  const std::string temp = fs_.MakeTemp(path).value();
  std::filesystem::remove(temp);
  std::filesystem::create_symlink(At("victim.txt"), temp);
  EXPECT_FALSE(fs_.Publish(temp, path).ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(Slurp(At("victim.txt")), "precious");
}

}  // namespace
}  // namespace otp
