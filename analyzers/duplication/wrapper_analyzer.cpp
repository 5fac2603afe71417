// The bypassed-wrapper rule; see wrapper_analyzer.hpp.
#include "analyzers/duplication/wrapper_analyzer.hpp"

#include "analyzers/duplication/library_logic_analyzer.hpp"
#include "analyzers/duplication/manifests.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/core/rule_catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <utility>

namespace agate::analyzers {

namespace {

constexpr std::size_t max_wrapper_importers = 2;

// Import prefixes of client libraries and the service they talk to. A prefix matches the whole
// import name or a prefix of it followed by '.', '/', ':' or '-'.
struct ClientPrefix {
  std::string_view prefix;
  std::string_view service;
};
constexpr ClientPrefix client_prefixes[] = {
    // Redis and caches
    {"redis", "redis"},
    {"aioredis", "redis"},
    {"ioredis", "redis"},
    {"github.com/redis/go-redis", "redis"},
    {"github.com/go-redis/redis", "redis"},
    {"github.com/gomodule/redigo", "redis"},
    {"redis.clients.jedis", "redis"},
    {"io.lettuce", "redis"},
    {"hiredis", "redis"},
    {"pymemcache", "memcached"},
    {"memcache", "memcached"},
    {"memcached", "memcached"},
    // HTTP clients
    {"requests", "http"},
    {"httpx", "http"},
    {"aiohttp", "http"},
    {"urllib3", "http"},
    {"axios", "http"},
    {"node-fetch", "http"},
    {"got", "http"},
    {"superagent", "http"},
    {"undici", "http"},
    {"reqwest", "http"},
    {"okhttp3", "http"},
    {"org.apache.http", "http"},
    {"java.net.http", "http"},
    {"retrofit2", "http"},
    {"curl/curl.h", "http"},
    {"github.com/go-resty/resty", "http"},
    // SQL databases
    {"psycopg2", "postgres"},
    {"psycopg", "postgres"},
    {"asyncpg", "postgres"},
    {"pg", "postgres"},
    {"github.com/jackc/pgx", "postgres"},
    {"github.com/lib/pq", "postgres"},
    {"tokio_postgres", "postgres"},
    {"postgres", "postgres"},
    {"libpq-fe.h", "postgres"},
    {"pymysql", "mysql"},
    {"MySQLdb", "mysql"},
    {"mysql", "mysql"},
    {"mysql2", "mysql"},
    {"github.com/go-sql-driver/mysql", "mysql"},
    {"mysql/mysql.h", "mysql"},
    {"sqlalchemy", "sql"},
    {"sqlx", "sql"},
    {"diesel", "sql"},
    {"knex", "sql"},
    {"sequelize", "sql"},
    {"@prisma/client", "sql"},
    {"database/sql", "sql"},
    // Document stores and search
    {"pymongo", "mongodb"},
    {"motor", "mongodb"},
    {"mongodb", "mongodb"},
    {"mongoose", "mongodb"},
    {"go.mongodb.org/mongo-driver", "mongodb"},
    {"com.mongodb", "mongodb"},
    {"elasticsearch", "elasticsearch"},
    {"@elastic/elasticsearch", "elasticsearch"},
    // Message queues
    {"kafka", "kafka"},
    {"confluent_kafka", "kafka"},
    {"kafkajs", "kafka"},
    {"github.com/segmentio/kafka-go", "kafka"},
    {"org.apache.kafka", "kafka"},
    {"rdkafka", "kafka"},
    {"pika", "amqp"},
    {"amqplib", "amqp"},
    {"lapin", "amqp"},
    {"com.rabbitmq", "amqp"},
    // Cloud SDKs
    {"boto3", "aws"},
    {"botocore", "aws"},
    {"aws-sdk", "aws"},
    {"@aws-sdk", "aws"},
    {"github.com/aws/aws-sdk-go", "aws"},
    {"software.amazon.awssdk", "aws"},
    {"com.amazonaws", "aws"},
    {"google.cloud", "gcp"},
    {"@google-cloud", "gcp"},
    {"cloud.google.com/go", "gcp"},
    {"@azure", "azure"},
};

// Identifiers too common to say what code does.
bool common_identifier(std::string_view name) {
  static constexpr std::array<std::string_view, 24> common = {
      "self",   "this",   "cls",   "None", "True", "False", "null",   "undefined",
      "err",    "error",  "ctx",   "len",  "str",  "int",   "print",  "log",
      "logger", "result", "value", "data", "key",  "args",  "kwargs", "options"};
  return name.size() <= 2 || std::find(common.begin(), common.end(), name) != common.end();
}

std::vector<std::string> import_names(const syntax::ParsedFile& parsed) {
  std::vector<std::string> names;
  for (const auto& unit : parsed.units) {
    if (unit.kind == syntax::UnitKind::import && !unit.name.empty()) {
      names.push_back(unit.name);
    }
  }
  return names;
}

// The words of an identifier: "getUserName" and "get_user_name" give get, user, name.
std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
    if (!std::isalnum(static_cast<unsigned char>(c)) || (upper && !word.empty())) {
      if (word.size() > 2) {
        words.push_back(word);
      }
      word.clear();
    }
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (word.size() > 2) {
    words.push_back(word);
  }
  return words;
}

// Python import names whose distribution on PyPI is named otherwise.
constexpr std::pair<std::string_view, std::string_view> pypi_import_names[] = {
    {"yaml", "pyyaml"},
    {"dateutil", "python-dateutil"},
    {"bs4", "beautifulsoup4"},
    {"PIL", "pillow"},
    {"sklearn", "scikit-learn"},
    {"jwt", "pyjwt"},
    {"dotenv", "python-dotenv"},
    {"magic", "python-magic"},
    {"Crypto", "pycryptodome"},
    {"OpenSSL", "pyopenssl"},
    {"cv2", "opencv-python"},
    {"attr", "attrs"},
    {"google.protobuf", "protobuf"},
    {"multipart", "python-multipart"}};

// The declared third-party package an import reaches, normalized for its ecosystem ("" when
// the import is relative, of the standard library, or of no declared dependency).
std::string declared_package(std::string_view language, std::string_view import_name,
                             const DeclaredDependencies& dependencies) {
  auto ecosystem = ecosystem_for_language(language);
  if (!ecosystem || import_name.empty()) {
    return {};
  }
  auto declared = [&](std::string_view name) -> std::string {
    const auto* dependency = dependencies.find(*ecosystem, name);
    return dependency == nullptr ? std::string{} : dependency->name;
  };
  switch (*ecosystem) {
  case Ecosystem::pypi: {
    if (import_name.front() == '.') {
      return {};
    }
    for (const auto& [module, distribution] : pypi_import_names) {
      if (import_name == module ||
          (import_name.starts_with(module) && import_name.substr(module.size()).starts_with("."))) {
        return declared(distribution);
      }
    }
    return declared(import_name.substr(0, import_name.find('.')));
  }
  case Ecosystem::npm: {
    if (import_name.front() == '.' || import_name.front() == '/' ||
        import_name.starts_with("node:")) {
      return {};
    }
    auto slash = import_name.find('/');
    if (import_name.front() == '@' && slash != std::string_view::npos) {
      slash = import_name.find('/', slash + 1);
    }
    return declared(import_name.substr(0, slash));
  }
  case Ecosystem::go: {
    // The longest declared module that is the import path or a prefix of it.
    std::string best;
    const auto path = normalize_package_name(Ecosystem::go, import_name);
    for (const auto& dependency : dependencies.all()) {
      if (dependency.ecosystem == Ecosystem::go && dependency.name.size() > best.size() &&
          (path == dependency.name || path.starts_with(dependency.name + "/"))) {
        best = dependency.name;
      }
    }
    return best;
  }
  case Ecosystem::cargo: {
    auto root = import_name.substr(0, import_name.find("::"));
    if (root == "crate" || root == "self" || root == "super" || root == "std" || root == "core" ||
        root == "alloc") {
      return {};
    }
    return declared(root);
  }
  default:
    return {}; // Maven and C/C++ imports do not name their package: the client table only
  }
}

// What an import talks to: a known client library's service ("service:redis"), else the
// declared package it reaches ("package:pyyaml"); "" for neither.
std::string reached(std::string_view language, std::string_view import_name,
                    const DeclaredDependencies& dependencies) {
  auto service = client_library(import_name);
  if (!service.empty()) {
    return "service:" + service;
  }
  auto package = declared_package(language, import_name, dependencies);
  return package.empty() ? std::string{} : "package:" + package;
}

bool reaches(const std::vector<std::string>& imports, std::string_view language,
             std::string_view target, const DeclaredDependencies& dependencies) {
  return std::any_of(imports.begin(), imports.end(), [&](const std::string& name) {
    return reached(language, name, dependencies) == target;
  });
}

// The name other modules import a file by: its stem, or its folder's name for a package's
// index (`index.js`, `__init__.py`, `mod.rs`) and for Go, whose packages are folders.
std::string module_name(std::string_view path, std::string_view language) {
  auto slash = path.rfind('/');
  std::string_view folder =
      slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::string_view stem = file.substr(0, file.find('.'));
  if (language == "go" || stem == "index" || stem == "__init__" || stem == "mod" || stem == "lib") {
    auto parent = folder.rfind('/');
    return std::string(parent == std::string_view::npos ? folder : folder.substr(parent + 1));
  }
  return std::string(stem);
}

// Whether an import names the module `name`: its last path segment (`./time`, `app.time`,
// `example.com/app/time`), an extension aside; for a Rust path, any segment after the crate
// (`crate::time::now`).
bool imports_module(std::string_view import_name, std::string_view name) {
  if (name.empty()) {
    return false;
  }
  std::string text(import_name);
  for (std::string_view ext : {".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx"}) {
    if (text.ends_with(ext)) {
      text.resize(text.size() - ext.size());
      break;
    }
  }
  const bool rust_path = text.find("::") != std::string::npos;
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.' || text[i] == '/' || text[i] == ':') {
      if (i > start) {
        segments.push_back(std::string_view(text).substr(start, i - start));
      }
      start = i + 1;
    }
  }
  if (segments.empty()) {
    return false;
  }
  if (!rust_path) {
    return segments.back() == name;
  }
  return std::find(segments.begin() + 1, segments.end(), name) != segments.end();
}

struct WrapperFunction {
  std::string name;
  int score = 0;
};

} // namespace

std::string client_library(std::string_view import_name) {
  std::string_view best;
  std::size_t best_length = 0;
  for (const auto& entry : client_prefixes) {
    if (!import_name.starts_with(entry.prefix) || entry.prefix.size() < best_length) {
      continue;
    }
    if (import_name.size() == entry.prefix.size() ||
        std::string_view("./:").find(import_name[entry.prefix.size()]) != std::string_view::npos) {
      best = entry.service;
      best_length = entry.prefix.size();
    }
  }
  return std::string(best);
}

std::vector<gate::Finding> bypassed_wrapper_findings(const AnalysisContext& context,
                                                     const gate::Change& change,
                                                     const CloneIndex* base,
                                                     const std::vector<ChangedSource>& sources) {
  std::vector<gate::Finding> findings;
  if (base == nullptr) {
    return findings;
  }
  // The manifests are read only when an added import is not a known client's, and once.
  std::optional<DeclaredDependencies> declared;
  auto dependencies_for = [&](std::string_view import_name) -> const DeclaredDependencies& {
    static const DeclaredDependencies none;
    if (!client_library(import_name).empty()) {
      return declared ? *declared : none;
    }
    if (!declared) {
      declared = read_dependencies(context, change);
    }
    return *declared;
  };
  std::set<std::string, std::less<>> touched;
  for (const auto& file : change.files) {
    touched.insert(file.old_path);
    touched.insert(file.new_path);
  }
  for (const auto& source : sources) {
    const auto& path = source.file->new_path;
    if (!source.new_parsed || syntax::is_test_path(path)) {
      continue;
    }
    std::vector<std::string> old_imports;
    if (source.old_parsed) {
      old_imports = import_names(*source.old_parsed);
    }
    std::set<std::string> reported_targets;
    const auto& language = source.file->language;
    for (const auto& import : source.new_parsed->units) {
      if (import.kind != syntax::UnitKind::import ||
          !source.added_lines.contains(import.start_line)) {
        continue;
      }
      const auto& dependencies = dependencies_for(import.name);
      const std::string target = reached(language, import.name, dependencies);
      if (target.empty() || reaches(old_imports, language, target, dependencies) ||
          !reported_targets.insert(target).second) {
        continue;
      }
      const bool known_client = target.starts_with("service:");
      const std::string service = target.substr(target.find(':') + 1);
      // The non-test files of the base tree that reach the same service or package.
      std::vector<const IndexedFile*> importers;
      for (const auto& file : base->files()) {
        if (file.path != path && !syntax::is_test_path(file.path) &&
            reaches(file.blob->imports, file.language, target, dependencies)) {
          importers.push_back(&file);
        }
      }
      // A known client library may have a second importer (its configuration, say); any other
      // package counts as wrapped only when exactly one module reaches it.
      if (importers.empty() || importers.size() > (known_client ? max_wrapper_importers : 1)) {
        continue;
      }
      // The wrapper: an importer the change leaves alone that exposes functions (two for a
      // client library; for any other package one, and other modules must import the wrapper:
      // it is how the code base reaches the package).
      const IndexedFile* wrapper = nullptr;
      std::shared_ptr<const syntax::ParsedFile> wrapper_parsed;
      std::size_t wrapper_users = 0;
      for (const auto* candidate : importers) {
        if (touched.contains(candidate->path)) {
          continue;
        }
        std::size_t users = 0;
        if (!known_client) {
          const auto name = module_name(candidate->path, candidate->language);
          for (const auto& file : base->files()) {
            if (file.path != candidate->path && !syntax::is_test_path(file.path) &&
                std::any_of(file.blob->imports.begin(), file.blob->imports.end(),
                            [&](const std::string& i) { return imports_module(i, name); })) {
              ++users;
            }
          }
          if (users == 0) {
            continue;
          }
        }
        auto content = context.contents.blob(candidate->oid);
        if (!content) {
          continue;
        }
        auto parsed = context.syntax.parse(candidate->oid, candidate->language, *content);
        auto functions =
            std::count_if(parsed->units.begin(), parsed->units.end(), [](const auto& u) {
              return u.kind == syntax::UnitKind::function || u.kind == syntax::UnitKind::method;
            });
        if (functions >= (known_client ? 2 : 1)) {
          wrapper = candidate;
          wrapper_parsed = parsed;
          wrapper_users = users;
          break;
        }
      }
      if (wrapper == nullptr) {
        continue;
      }
      // What the new code does: the identifiers and words of the units with added lines.
      std::set<std::string> used;
      std::set<std::string> used_words;
      for (const auto& unit : source.new_parsed->units) {
        if (unit.kind == syntax::UnitKind::import) {
          continue;
        }
        auto first = source.added_lines.lower_bound(unit.start_line);
        if (first == source.added_lines.end() || *first > unit.end_line) {
          continue;
        }
        for (const auto& name : unit.references) {
          if (!common_identifier(name)) {
            used.insert(name);
            for (auto& word : words_of(name)) {
              used_words.insert(std::move(word));
            }
          }
        }
      }
      std::vector<WrapperFunction> functions;
      for (const auto& unit : wrapper_parsed->units) {
        if ((unit.kind != syntax::UnitKind::function && unit.kind != syntax::UnitKind::method) ||
            unit.name.starts_with("_")) {
          continue;
        }
        WrapperFunction function{unit.qualified_name, 0};
        for (const auto& name : unit.references) {
          function.score += !common_identifier(name) && used.contains(name) ? 2 : 0;
        }
        for (const auto& word : words_of(unit.name)) {
          function.score += used_words.contains(word) ? 3 : 0;
        }
        functions.push_back(std::move(function));
      }
      if (functions.empty()) {
        continue;
      }
      std::stable_sort(functions.begin(), functions.end(),
                       [](const auto& a, const auto& b) { return a.score > b.score; });
      bool matched = functions.front().score > 0;
      std::vector<std::string> named;
      nlohmann::json listed = nlohmann::json::array();
      for (const auto& function : functions) {
        if (named.size() == 3 || (matched && function.score == 0)) {
          break;
        }
        named.push_back(function.name);
        listed.push_back({{"name", function.name}, {"score", function.score}});
      }
      std::string list;
      for (const auto& name : named) {
        list += (list.empty() ? "`" : ", `") + name + "`";
      }

      gate::Finding finding;
      finding.rule = std::string(gate::rule::duplication_bypassed_wrapper);
      finding.severity = gate::Severity::warning;
      finding.file = path;
      finding.line = import.start_line;
      finding.end_line = import.end_line;
      finding.change = change.label;
      const std::string what = known_client
                                   ? "`" + import.name + "` (" + service + ")"
                                   : "`" + import.name + "` (the dependency `" + service + "`)";
      const std::string through =
          known_client ? std::string{}
                       : " (the only module that imports it; " + std::to_string(wrapper_users) +
                             (wrapper_users == 1 ? " module reaches" : " modules reach") +
                             " it through that one)";
      finding.message =
          what + " is used directly here, but " + wrapper->path + " already wraps it" + through +
          (matched ? " with functions matching what this code does: " : "; it offers ") + list +
          ".";
      finding.hint = "Call the wrapper in " + wrapper->path +
                     " (add the missing operation there if it lacks one) instead of building a "
                     "second layer over " +
                     service + ".";
      finding.evidence = {{"import", import.name},
                          {known_client ? "service" : "package", service},
                          {"known_client", known_client},
                          {"wrapper", {{"file", wrapper->path}, {"functions", listed}}},
                          {"matched", matched},
                          {"base_importers", importers.size()},
                          {"wrapper_importers", wrapper_users}};
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

} // namespace agate::analyzers
