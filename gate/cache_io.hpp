// Little helpers for the binary cache files agate keeps under `.git/agate/cache` (the
// deletion analyzer's word index, the clone index, compiled queries): a writer and a bounds-checked
// reader of fixed-size values and length-prefixed strings in host byte order, and the 64-bit
// FNV-1a hash used for the files' checksums. A cache file is checked on load, never trusted.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace agate::gate::cache_io {

inline uint64_t fnv1a(std::string_view bytes, uint64_t hash = 1469598103934665603ULL) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

class Writer {
public:
  template <typename T> void put(T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    m_out.append(bytes, sizeof(T));
  }
  void put_string(std::string_view s) {
    put<uint32_t>(static_cast<uint32_t>(s.size()));
    m_out.append(s);
  }
  std::string& out() { return m_out; }

private:
  std::string m_out;
};

class Reader {
public:
  explicit Reader(std::string_view in) : m_in(in) {}
  template <typename T> bool get(T& value) {
    if (m_in.size() - m_pos < sizeof(T)) {
      return false;
    }
    std::memcpy(&value, m_in.data() + m_pos, sizeof(T));
    m_pos += sizeof(T);
    return true;
  }
  bool get_string(std::string& s) {
    uint32_t size = 0;
    if (!get(size) || m_in.size() - m_pos < size) {
      return false;
    }
    s.assign(m_in.substr(m_pos, size));
    m_pos += size;
    return true;
  }
  // A count of items of at least `item_bytes` each that can still fit in the input.
  bool get_count(uint32_t& count, std::size_t item_bytes) {
    return get(count) && count <= (m_in.size() - m_pos) / (item_bytes == 0 ? 1 : item_bytes);
  }
  bool at_end() const { return m_pos == m_in.size(); }

private:
  std::string_view m_in;
  std::size_t m_pos = 0;
};

} // namespace agate::gate::cache_io
