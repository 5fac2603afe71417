#include <nlohmann/json.hpp>
#include <string>

std::string user_json(const std::string& name) {
  return nlohmann::json{{"name", name}}.dump();
}
static const char* kEmpty = "{}";
