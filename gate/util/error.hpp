// The one error type of the application layer, and the result type of the low-level layer.
//
// Low-level code (git access, parsing, file I/O) returns `Result<T>`: a value or a one-line
// message. The application layer turns a failed result into `agate::Error` with `value_or_throw`
// or throws `Error` itself; `main` catches it once, prints `agate: error: <message>` and exits 2.
// Messages are one line, name the problem and, where there is one, the thing to do about it.
// `TRY(result)` passes a failed result on to the caller (ccache's util/expected.hpp has the same).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace agate {

// Usage, configuration or repository error: exit code 2.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Failure {
  std::string message;
};

inline Failure fail(std::string message) {
  return Failure{std::move(message)};
}

template <typename T> class Result {
public:
  Result(T value) : m_data(std::move(value)) {}
  Result(Failure failure) : m_data(std::move(failure)) {}

  bool ok() const { return m_data.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(m_data); }
  const T& value() const& { return std::get<0>(m_data); }
  T&& value() && { return std::get<0>(std::move(m_data)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const std::string& error() const { return std::get<1>(m_data).message; }

  // Application-layer shortcut: the value, or throw Error with the message.
  T value_or_throw() && {
    if (!ok()) {
      throw Error(error());
    }
    return std::get<0>(std::move(m_data));
  }

private:
  std::variant<T, Failure> m_data;
};

// For operations that return nothing but may fail.
struct Unit {};
using Status = Result<Unit>;
inline Status success() {
  return Unit{};
}

} // namespace agate

// Returns the failure of `expr` (a Result, or a variable holding one) from the enclosing function,
// which returns a Result of any type; on success does nothing and evaluates `expr` once:
//   TRY(write_file(path, text));      // a call
//   auto tree = view.tree(revision);  // or a result whose value is used afterwards
//   TRY(tree);
#define TRY(expr)                                                                                  \
  do {                                                                                             \
    if (auto&& agate_try_result_ = (expr); !agate_try_result_) {                                   \
      return ::agate::fail(agate_try_result_.error());                                             \
    }                                                                                              \
  } while (false)
