// The test runner: doctest with a listener that removes a test case's temporary directories when
// it passes and keeps them (printing their paths) when it fails. libgit2 is initialised once.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <git2.h>

namespace agate::test {
void finish_temp_dirs(bool test_failed);
}

namespace {

struct KeepFailedTempDirs : doctest::IReporter {
  explicit KeepFailedTempDirs(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats& stats) override
  {
    agate::test::finish_temp_dirs(!stats.testCaseSuccess);
  }
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

} // namespace

DOCTEST_REGISTER_LISTENER("keep-failed-temp-dirs", 1, KeepFailedTempDirs);

int main(int argc, char** argv)
{
  git_libgit2_init();
  doctest::Context context;
  context.applyCommandLine(argc, argv);
  int rc = context.run();
  git_libgit2_shutdown();
  return rc;
}
