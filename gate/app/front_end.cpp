// The common front end of the commands; see front_end.hpp.
#include "gate/app/front_end.hpp"

#include "gate/util/error.hpp"
#include "gate/util/file_util.hpp"

#include <unistd.h>

#include <iostream>

namespace agate::gate {

Repository open_repository(const CliOptions& options, const GetEnv& getenv) {
  OpenOptions open_options;
  open_options.use_environment = true; // hooks run with GIT_DIR / GIT_INDEX_FILE set
  open_options.getenv = getenv;
  auto opened = Repository::open(options.dir, open_options);
  if (!opened) {
    throw Error(opened.error());
  }
  return std::move(opened).value_or_throw();
}

bool use_color(const CliOptions& options, const GetEnv& getenv) {
  if (options.color != "auto" && options.color != "always" && options.color != "never") {
    throw Error("--color expects auto, always or never, got '" + options.color + "'");
  }
  if (options.color != "auto") {
    return options.color == "always";
  }
  auto no_color = getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && !(no_color && !no_color->empty());
}

std::filesystem::path output_path(const CliOptions& options) {
  std::filesystem::path output = options.output;
  if (!output.empty() && output.is_relative()) {
    output = options.dir / output;
  }
  return output;
}

void write_output(const CliOptions& options, const std::string& text) {
  if (options.output.empty()) {
    std::cout << text << std::flush;
    return;
  }
  auto written = write_file_atomic(output_path(options), text);
  if (!written) {
    throw Error(written.error());
  }
}

} // namespace agate::gate
