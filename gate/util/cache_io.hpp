// Little helpers for the binary cache files agate keeps under `.git/agate/cache` (the
// deletion analyzer's word index, the clone index, compiled queries): a writer and a bounds-checked
// reader of fixed-size values and length-prefixed strings in host byte order, the 64-bit FNV-1a
// hash for short texts, and checksum64() for whole files. A cache file is checked on load, never
// trusted.
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

// A 64-bit checksum for whole cache files, several times faster than fnv1a on megabytes (four
// independent multiply lanes over 8-byte words, as xxHash64 does). It detects damage, not
// tampering: a cache lives in the repository's .git, which only its owner writes.
inline uint64_t checksum64(std::string_view bytes) {
  constexpr uint64_t prime1 = 0x9E3779B185EBCA87ULL;
  constexpr uint64_t prime2 = 0xC2B2AE3D27D4EB4FULL;
  auto rotl = [](uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
  uint64_t lanes[4] = {prime1 + prime2, prime2, 0, 0 - prime1};
  const char* data = bytes.data();
  std::size_t size = bytes.size();
  std::size_t at = 0;
  for (; at + 32 <= size; at += 32) {
    for (int lane = 0; lane < 4; ++lane) {
      uint64_t word = 0;
      std::memcpy(&word, data + at + 8 * static_cast<std::size_t>(lane), sizeof word);
      lanes[lane] = rotl(lanes[lane] + word * prime2, 31) * prime1;
    }
  }
  uint64_t hash = rotl(lanes[0], 1) + rotl(lanes[1], 7) + rotl(lanes[2], 12) + rotl(lanes[3], 18);
  hash = fnv1a(bytes.substr(at), hash ^ static_cast<uint64_t>(size));
  hash ^= hash >> 33;
  hash *= prime2;
  hash ^= hash >> 29;
  return hash;
}

class Writer {
public:
  // Zero bytes up to the next multiple of `alignment` of the output's size.
  void align(std::size_t alignment) {
    m_out.append((alignment - m_out.size() % alignment) % alignment, '\0');
  }
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
  // A length-prefixed string as a view of the input (which must outlive it).
  bool get_string_view(std::string_view& s) {
    uint32_t size = 0;
    if (!get(size) || m_in.size() - m_pos < size) {
      return false;
    }
    s = m_in.substr(m_pos, size);
    m_pos += size;
    return true;
  }
  bool get_bytes(void* out, std::size_t size) {
    if (m_in.size() - m_pos < size) {
      return false;
    }
    if (size > 0) {
      std::memcpy(out, m_in.data() + m_pos, size);
    }
    m_pos += size;
    return true;
  }
  // The next `size` bytes as a view of the input (which must outlive it).
  bool get_view(std::string_view& view, std::size_t size) {
    if (m_in.size() - m_pos < size) {
      return false;
    }
    view = m_in.substr(m_pos, size);
    m_pos += size;
    return true;
  }
  // A count of items of at least `item_bytes` each that can still fit in the input.
  bool get_count(uint32_t& count, std::size_t item_bytes) {
    return get(count) && count <= (m_in.size() - m_pos) / (item_bytes == 0 ? 1 : item_bytes);
  }
  bool at_end() const { return m_pos == m_in.size(); }
  std::size_t position() const { return m_pos; }
  // Skips the bytes up to the next multiple of `alignment` (counted from the input's start).
  bool align(std::size_t alignment) {
    std::size_t pad = (alignment - m_pos % alignment) % alignment;
    if (m_in.size() - m_pos < pad) {
      return false;
    }
    m_pos += pad;
    return true;
  }

private:
  std::string_view m_in;
  std::size_t m_pos = 0;
};

} // namespace agate::gate::cache_io
