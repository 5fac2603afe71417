// Tests of the manifest readers (analyzers/duplication/manifests.hpp): the common forms of each
// format give the declared packages, names are normalized per ecosystem, and broken or foreign
// files give nothing instead of failing.
#include "analyzers/duplication/manifests.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace {

using namespace agate::analyzers;

std::vector<std::string> names(std::string_view path, std::string_view content) {
  std::vector<std::string> out;
  for (const auto& d : read_manifest(path, content)) {
    out.push_back(std::string(to_string(d.ecosystem)) + ":" + d.name);
    CHECK(d.manifest == path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using List = std::vector<std::string>;

} // namespace

TEST_CASE("manifests: which file names are manifests") {
  for (std::string_view path :
       {"package.json", "web/package.json", "requirements.txt", "requirements-dev.txt",
        "requirements/base.txt", "pyproject.toml", "go.mod", "Cargo.toml", "pom.xml",
        "build.gradle", "app/build.gradle.kts", "CMakeLists.txt", "vcpkg.json", "conanfile.txt",
        "conanfile.py"}) {
    CHECK_MESSAGE(is_manifest_path(path), path);
  }
  for (std::string_view path : {"notes.txt", "package-lock.json", "go.sum", "Cargo.lock",
                                "src/requirements.py", "docs/requirements.md"}) {
    CHECK_MESSAGE(!is_manifest_path(path), path);
  }
  CHECK(read_manifest("README.md", "requests").empty());
}

TEST_CASE("manifests: package.json lists every dependency section") {
  CHECK(names("package.json", R"({"name": "x", "dependencies": {"ioredis": "^5"},
      "devDependencies": {"@types/node": "20"}, "peerDependencies": {"react": "*"},
      "optionalDependencies": {"fsevents": "2"}, "scripts": {"test": "jest"}})") ==
        List{"npm:@types/node", "npm:fsevents", "npm:ioredis", "npm:react"});
  CHECK(names("package.json", "{ not json").empty());
  CHECK(names("package.json", R"({"dependencies": ["a"]})").empty());
}

TEST_CASE("manifests: requirements files and pyproject.toml, with PEP 503 names") {
  CHECK(names("requirements.txt", "# pinned\nRequests[socks]>=2.31 ; python_version>'3'\n"
                                  "-r base.txt\n-e .\n\nzope.interface==6\nTyping_Extensions\n") ==
        List{"pypi:requests", "pypi:typing-extensions", "pypi:zope-interface"});
  CHECK(names("pyproject.toml", R"([build-system]
requires = ["setuptools>=61", "wheel"]

[project]
name = "app"
dependencies = [
  "tenacity>=8",   # retries
  'httpx[http2]',
]

[project.optional-dependencies]
cli = ["click>=8", "rich"]

[tool.poetry.dependencies]
python = "^3.11"
redis = "^5.0"

[tool.ruff]
line-length = 100
)") == List{"pypi:click", "pypi:httpx", "pypi:redis", "pypi:rich", "pypi:setuptools",
            "pypi:tenacity", "pypi:wheel"});
}

TEST_CASE("manifests: go.mod, with the major-version suffix dropped") {
  CHECK(names("go.mod",
              "module example.com/app\n\ngo 1.21\n\nrequire github.com/google/uuid v1.4.0\n"
              "require (\n\tgithub.com/redis/go-redis/v9 v9.3.0 // indirect\n"
              "\tgithub.com/cenkalti/backoff/v4 v4.2.1\n)\n") ==
        List{"go:github.com/cenkalti/backoff", "go:github.com/google/uuid",
             "go:github.com/redis/go-redis"});
}

TEST_CASE("manifests: Cargo.toml dependency tables") {
  CHECK(names("Cargo.toml", R"([package]
name = "app"
version = "0.1.0"

[dependencies]
serde = { version = "1", features = ["derive"] }
tokio_retry = "0.3"

[dev-dependencies]
proptest = "1"

[target.'cfg(unix)'.dependencies]
nix = "0.27"

[dependencies.reqwest]
version = "0.11"
)") == List{"cargo:nix", "cargo:proptest", "cargo:reqwest", "cargo:serde", "cargo:tokio-retry"});
}

TEST_CASE("manifests: pom.xml and build.gradle give group:artifact") {
  CHECK(names("pom.xml", R"(<project><groupId>me</groupId><artifactId>app</artifactId>
  <dependencies>
    <dependency>
      <groupId>redis.clients</groupId>
      <artifactId>jedis</artifactId>
    </dependency>
    <dependency><groupId>commons-codec</groupId><artifactId>commons-codec</artifactId></dependency>
  </dependencies></project>)") ==
        List{"maven:commons-codec:commons-codec", "maven:redis.clients:jedis"});
  CHECK(names("build.gradle",
              "dependencies {\n  implementation 'com.squareup.okhttp3:okhttp:4.12.0'\n"
              "  testImplementation(\"org.junit.jupiter:junit-jupiter:5.10.0\")\n}\n") ==
        List{"maven:com.squareup.okhttp3:okhttp", "maven:org.junit.jupiter:junit-jupiter"});
  DeclaredDependencies all;
  all.add(read_manifest("pom.xml", "<dependency><groupId>redis.clients</groupId>"
                                   "<artifactId>jedis</artifactId></dependency>"));
  CHECK(all.find(Ecosystem::maven, "jedis") != nullptr); // any group
  CHECK(all.find(Ecosystem::maven, "redis.clients:jedis") != nullptr);
  CHECK(all.find(Ecosystem::maven, "other:jedis") == nullptr);
  CHECK(all.find(Ecosystem::maven, "edis") == nullptr);
}

TEST_CASE("manifests: CMakeLists.txt, vcpkg.json and conan files") {
  CHECK(names("CMakeLists.txt", "find_package(OpenSSL REQUIRED)\nFIND_PACKAGE(nlohmann_json 3.11)\n"
                                "pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis>=1.0)\n"
                                "FetchContent_Declare(cxxopts GIT_REPOSITORY x)\n"
                                "CPMAddPackage(\"gh:fmtlib/fmt@10.1.1\")\n") ==
        List{"cpp:cxxopts", "cpp:fmt", "cpp:hiredis", "cpp:nlohmann_json", "cpp:openssl"});
  CHECK(names("vcpkg.json", R"({"dependencies": ["curl", {"name": "Boost-Asio"}, 3]})") ==
        List{"cpp:boost-asio", "cpp:curl"});
  CHECK(names("conanfile.txt", "[requires]\nzlib/1.3\ncpr/1.10.5\n\n[generators]\nCMakeDeps\n") ==
        List{"cpp:cpr", "cpp:zlib"});
  CHECK(names("conanfile.py",
              "class App(ConanFile):\n    requires = \"fmt/10.1.1\", \"spdlog/1.12\"\n"
              "    def requirements(self):\n        self.requires(\"boost/1.83.0\")\n") ==
        List{"cpp:boost", "cpp:fmt", "cpp:spdlog"});
}

TEST_CASE("manifests: ecosystems and normalization") {
  CHECK(ecosystem_for_language("python") == Ecosystem::pypi);
  CHECK(ecosystem_for_language("tsx") == Ecosystem::npm);
  CHECK(ecosystem_for_language("cpp") == Ecosystem::cpp);
  CHECK_FALSE(ecosystem_for_language("markdown").has_value());
  CHECK(parse_ecosystem("cargo") == Ecosystem::cargo);
  CHECK_FALSE(parse_ecosystem("pip").has_value());
  CHECK(normalize_package_name(Ecosystem::pypi, "Zope__Interface") == "zope-interface");
  CHECK(normalize_package_name(Ecosystem::cargo, "Tokio_Retry") == "tokio-retry");
  CHECK(normalize_package_name(Ecosystem::go, "github.com/a/b/v12") == "github.com/a/b");
  CHECK(normalize_package_name(Ecosystem::npm, "@Scope/Pkg") == "@Scope/Pkg");
  DeclaredDependencies all;
  all.add(read_manifest("requirements.txt", "Tenacity\n"));
  REQUIRE(all.find(Ecosystem::pypi, "tenacity") != nullptr);
  CHECK(all.find(Ecosystem::pypi, "tenacity")->manifest == "requirements.txt");
  CHECK(all.find(Ecosystem::npm, "tenacity") == nullptr);
}
