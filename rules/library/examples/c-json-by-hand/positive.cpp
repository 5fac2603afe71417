#include <string>

std::string user_json(const std::string& name, int age) {
  // ruleid: library/c-json-by-hand
  return "{\"name\": \"" + name + "\", \"age\": " + std::to_string(age) + "}";
}
