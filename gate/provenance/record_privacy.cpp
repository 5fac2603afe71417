// The public-remote heuristic; see record_privacy.hpp.
#include "gate/provenance/record_privacy.hpp"

#include "gate/util/text.hpp"

#include <array>

namespace agate::gate {

namespace {

constexpr std::array<std::string_view, 3> k_public_forges = {"github.com", "gitlab.com",
                                                             "codeberg.org"};

// The host of "https://user@host:port/path", "ssh://git@host/path" or scp-like
// "git@host:path"; empty for a local path.
std::string host_of(std::string_view url) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find('/'));
  } else {
    auto colon = url.find(':');
    if (colon == std::string_view::npos ||
        url.substr(0, colon).find('/') != std::string_view::npos) {
      return "";
    }
    url = url.substr(0, colon);
  }
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    url.remove_prefix(at + 1);
  }
  return lower(url.substr(0, url.find(':')));
}

} // namespace

std::optional<std::string> public_forge_host(std::string_view url) {
  auto host = host_of(trim(url));
  for (auto forge : k_public_forges) {
    if (host == forge || host == "www." + std::string(forge) ||
        host == "ssh." + std::string(forge)) {
      return std::string(forge);
    }
  }
  return std::nullopt;
}

} // namespace agate::gate
