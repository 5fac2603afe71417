// The in-process fast path of OpenPGP signature checks; see openpgp_fast.hpp. Packet formats
// follow RFC 4880 (v4 keys and signatures, EdDSA per RFC 4880bis / RFC 9580's legacy EdDSA).
#include "gate/signing/openpgp_fast.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <memory>
#include <optional>
#include <vector>

namespace agate::gate::openpgp {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

using Bytes = std::vector<uint8_t>;

// A bounds-checked cursor over bytes.
class Cursor {
public:
  explicit Cursor(std::string_view bytes) : m_bytes(bytes) {}
  std::size_t left() const { return m_bytes.size() - m_pos; }
  std::size_t pos() const { return m_pos; }
  bool byte(uint8_t& out) {
    if (left() < 1) {
      return false;
    }
    out = static_cast<uint8_t>(m_bytes[m_pos++]);
    return true;
  }
  bool be(std::size_t n, uint32_t& out) {
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
      uint8_t b = 0;
      if (!byte(b)) {
        return false;
      }
      out = (out << 8) | b;
    }
    return true;
  }
  bool take(std::size_t n, std::string_view& out) {
    if (left() < n) {
      return false;
    }
    out = m_bytes.substr(m_pos, n);
    m_pos += n;
    return true;
  }
  bool mpi(Bytes& out) {
    uint32_t bits = 0;
    std::string_view raw;
    if (!be(2, bits) || !take((bits + 7) / 8, raw)) {
      return false;
    }
    out.assign(raw.begin(), raw.end());
    return true;
  }

private:
  std::string_view m_bytes;
  std::size_t m_pos = 0;
};

struct Packet {
  int tag = 0;
  std::string_view body;
};

// The packets of `bytes`; nullopt on a malformed or partial-length packet.
std::optional<std::vector<Packet>> packets_of(std::string_view bytes) {
  std::vector<Packet> out;
  Cursor c(bytes);
  while (c.left() > 0) {
    uint8_t head = 0;
    c.byte(head);
    if ((head & 0x80) == 0) {
      return std::nullopt;
    }
    Packet p;
    uint32_t length = 0;
    if ((head & 0x40) != 0) { // new format
      p.tag = head & 0x3f;
      uint8_t first = 0;
      if (!c.byte(first)) {
        return std::nullopt;
      }
      if (first < 192) {
        length = first;
      } else if (first < 224) {
        uint8_t second = 0;
        if (!c.byte(second)) {
          return std::nullopt;
        }
        length = ((first - 192u) << 8) + second + 192u;
      } else if (first == 255) {
        if (!c.be(4, length)) {
          return std::nullopt;
        }
      } else {
        return std::nullopt; // partial body lengths: not for keys or signatures here
      }
    } else { // old format
      p.tag = (head >> 2) & 0x0f;
      const int type = head & 0x03;
      if (type == 3 || !c.be(type == 0 ? 1 : type == 1 ? 2 : 4, length)) {
        return std::nullopt;
      }
    }
    if (!c.take(length, p.body)) {
      return std::nullopt;
    }
    out.push_back(p);
  }
  return out;
}

std::string hex_upper(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0f];
  }
  return out;
}

bool digest(const EVP_MD* md, std::initializer_list<std::string_view> parts, Bytes& out) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    return false;
  }
  for (auto part : parts) {
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) {
      return false;
    }
  }
  out.resize(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int size = 0;
  return EVP_DigestFinal_ex(ctx.get(), out.data(), &size) == 1 && size == out.size();
}

std::string v4_fingerprint(std::string_view body) {
  const char prefix[3] = {static_cast<char>(0x99), static_cast<char>((body.size() >> 8) & 0xff),
                          static_cast<char>(body.size() & 0xff)};
  Bytes sha1;
  if (body.size() > 0xffff || !digest(EVP_sha1(), {std::string_view(prefix, 3), body}, sha1)) {
    return {};
  }
  return hex_upper(sha1.data(), sha1.size());
}

// The Ed25519 curve's OID as OpenPGP writes it (1.3.6.1.4.1.11591.15.1).
constexpr std::string_view k_ed25519_oid = "\x2B\x06\x01\x04\x01\xDA\x47\x0F\x01";

std::optional<PublicKey> parse_key_body(std::string_view body) {
  Cursor c(body);
  uint8_t version = 0;
  uint32_t created = 0;
  uint8_t algorithm = 0;
  if (!c.byte(version) || version != 4 || !c.be(4, created) || !c.byte(algorithm)) {
    return std::nullopt;
  }
  PublicKey key;
  key.algorithm = algorithm;
  if (algorithm == 1) {
    if (!c.mpi(key.rsa_n) || !c.mpi(key.rsa_e) || key.rsa_n.size() < 128) {
      return std::nullopt;
    }
    return key;
  }
  if (algorithm == 22) {
    uint8_t oid_size = 0;
    std::string_view oid;
    Bytes point;
    if (!c.byte(oid_size) || !c.take(oid_size, oid) || oid != k_ed25519_oid || !c.mpi(point) ||
        point.size() != 33 || point[0] != 0x40) {
      return std::nullopt;
    }
    key.ed25519.assign(point.begin() + 1, point.end());
    return key;
  }
  return std::nullopt;
}

// The armor checksum (RFC 4880, 6.1: CRC-24 of the binary data).
std::uint32_t crc24(std::string_view data) {
  std::uint32_t crc = 0xB704CE;
  for (unsigned char byte : data) {
    crc ^= static_cast<std::uint32_t>(byte) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if (crc & 0x1000000) {
        crc ^= 0x1864CFB;
      }
    }
  }
  return crc & 0xFFFFFF;
}

// The lines of `text` without their line ends and trailing spaces or tabs.
std::vector<std::string_view> armor_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    if (nl == std::string_view::npos) {
      break;
    }
    start = nl + 1;
  }
  return lines;
}

// An armor header gpg reads without complaint: a known key, ": ", a value.
bool plain_armor_header(std::string_view line) {
  for (std::string_view key : {"Version: ", "Comment: ", "MessageID: ", "Hash: ", "Charset: "}) {
    if (line.starts_with(key)) {
      return true;
    }
  }
  return false;
}

// "-----BEGIN PGP SIGNATURE-----" ... to binary; nullopt when it is not one clean block: the
// markers alone on their lines with nothing but blank lines around the block, known headers
// only, a blank line before the data, base64 data, an optional checksum line that matches the
// data (gpg refuses a block whose checksum does not), nothing else. Stricter than gpg is safe:
// the fast path then leaves the signature to gpg.
std::optional<std::string> dearmor(std::string_view text) {
  constexpr std::string_view begin = "-----BEGIN PGP SIGNATURE-----";
  constexpr std::string_view end = "-----END PGP SIGNATURE-----";
  const auto lines = armor_lines(text);
  std::size_t i = 0;
  while (i < lines.size() && lines[i].empty()) {
    ++i;
  }
  if (i == lines.size() || lines[i] != begin) {
    return std::nullopt;
  }
  ++i;
  while (i < lines.size() && !lines[i].empty()) {
    if (!plain_armor_header(lines[i])) {
      return std::nullopt;
    }
    ++i;
  }
  if (i == lines.size()) {
    return std::nullopt; // no blank line before the data
  }
  ++i;
  std::string base64;
  std::string_view checksum;
  bool ended = false;
  for (; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line == end) {
      ended = true;
      ++i;
      break;
    }
    if (line.empty()) {
      continue;
    }
    if (!checksum.empty()) {
      return std::nullopt; // data after the checksum line
    }
    if (line.front() == '=') {
      checksum = line.substr(1); // the CRC-24 line ends the data
      if (checksum.empty()) {
        return std::nullopt;
      }
      continue;
    }
    if (line.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
        std::string_view::npos) {
      return std::nullopt;
    }
    base64.append(line);
  }
  if (!ended) {
    return std::nullopt;
  }
  for (; i < lines.size(); ++i) {
    if (!lines[i].empty()) {
      return std::nullopt; // a second block, or text after the block
    }
  }
  if (base64.empty() || base64.size() % 4 != 0) {
    return std::nullopt;
  }
  // Padding only at the end.
  if (auto pad = base64.find('=');
      pad != std::string::npos &&
      (pad + 2 < base64.size() || base64.find_first_not_of('=', pad) != std::string::npos)) {
    return std::nullopt;
  }
  std::string out(base64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(base64.data()),
                          static_cast<int>(base64.size()));
  if (n < 0) {
    return std::nullopt;
  }
  std::size_t padding = 0;
  for (auto it = base64.rbegin(); it != base64.rend() && *it == '='; ++it) {
    ++padding;
  }
  if (static_cast<std::size_t>(n) < padding) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(n) - padding);
  if (!checksum.empty()) {
    unsigned char crc[3] = {};
    if (checksum.size() != 4 ||
        EVP_DecodeBlock(crc, reinterpret_cast<const unsigned char*>(checksum.data()), 4) != 3 ||
        ((std::uint32_t{crc[0]} << 16) | (std::uint32_t{crc[1]} << 8) | crc[2]) != crc24(out)) {
      return std::nullopt;
    }
  }
  return out;
}

// Calls fn(kind, critical, data) for each subpacket of a signature's subpacket area; false when
// the area is malformed.
template <typename Fn> bool each_subpacket(std::string_view area, Fn&& fn) {
  Cursor sub(area);
  while (sub.left() > 0) {
    uint8_t first = 0;
    uint32_t length = 0;
    if (!sub.byte(first)) {
      return false;
    }
    if (first < 192) {
      length = first;
    } else if (first < 255) {
      uint8_t second = 0;
      if (!sub.byte(second)) {
        return false;
      }
      length = ((first - 192u) << 8) + second + 192u;
    } else if (!sub.be(4, length)) {
      return false;
    }
    std::string_view data;
    if (length == 0 || !sub.take(length, data)) {
      return false;
    }
    const auto kind = static_cast<uint8_t>(static_cast<uint8_t>(data[0]) & 0x7f);
    const bool critical = (static_cast<uint8_t>(data[0]) & 0x80) != 0;
    data.remove_prefix(1);
    fn(kind, critical, data);
  }
  return true;
}

const EVP_MD* hash_of(int algorithm) {
  switch (algorithm) {
  case 8:
    return EVP_sha256();
  case 9:
    return EVP_sha384();
  case 10:
    return EVP_sha512();
  case 11:
    return EVP_sha224();
  default:
    return nullptr; // SHA-1, MD5, RIPEMD and newer ones: gpg decides
  }
}

PkeyPtr rsa_key(const PublicKey& key) {
  std::unique_ptr<BIGNUM, BnFree> n(
      BN_bin2bn(key.rsa_n.data(), static_cast<int>(key.rsa_n.size()), nullptr));
  std::unique_ptr<BIGNUM, BnFree> e(
      BN_bin2bn(key.rsa_e.data(), static_cast<int>(key.rsa_e.size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return PkeyPtr(raw);
}

bool verify_rsa(const PublicKey& key, const EVP_MD* md, const Bytes& hash, const Bytes& sig_mpi) {
  PkeyPtr pkey = rsa_key(key);
  if (!pkey || sig_mpi.size() > key.rsa_n.size()) {
    return false;
  }
  Bytes sig(key.rsa_n.size() - sig_mpi.size(), 0); // MPIs drop leading zeros
  sig.insert(sig.end(), sig_mpi.begin(), sig_mpi.end());
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(pkey.get(), nullptr));
  return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx.get(), md) == 1 &&
         EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), hash.data(), hash.size()) == 1;
}

bool verify_ed25519(const PublicKey& key, const Bytes& hash, const Bytes& r, const Bytes& s) {
  if (key.ed25519.size() != 32 || r.size() > 32 || s.size() > 32) {
    return false;
  }
  Bytes sig(64, 0);
  std::copy(r.begin(), r.end(), sig.begin() + static_cast<long>(32 - r.size()));
  std::copy(s.begin(), s.end(), sig.begin() + static_cast<long>(64 - s.size()));
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.ed25519.data(), 32));
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  // EdDSA in OpenPGP signs the hash digest (not the message itself).
  return pkey && ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), hash.data(), hash.size()) == 1;
}

} // namespace

std::map<std::string, PublicKey> parse_public_keys(std::string_view binary) {
  std::map<std::string, PublicKey> keys;
  auto packets = packets_of(binary);
  if (!packets) {
    return keys;
  }
  for (const auto& p : *packets) {
    if (p.tag != 6 && p.tag != 14) { // public key, public subkey
      continue;
    }
    if (auto key = parse_key_body(p.body)) {
      auto fingerprint = v4_fingerprint(p.body);
      if (!fingerprint.empty()) {
        keys.emplace(std::move(fingerprint), std::move(*key));
      }
    }
  }
  return keys;
}

FastCheck verify(std::string_view armored, std::string_view payload,
                 const std::map<std::string, PublicKey>& keys) {
  FastCheck out;
  auto binary = dearmor(armored);
  if (!binary) {
    return out;
  }
  auto packets = packets_of(*binary);
  if (!packets || packets->size() != 1 || packets->front().tag != 2) {
    return out; // exactly one signature packet, or gpg decides
  }
  const std::string_view body = packets->front().body;
  Cursor c(body);
  uint8_t version = 0, type = 0, algorithm = 0, hash_algorithm = 0;
  uint32_t hashed_size = 0;
  std::string_view hashed;
  if (!c.byte(version) || version != 4 || !c.byte(type) || type != 0x00 || !c.byte(algorithm) ||
      !c.byte(hash_algorithm) || !c.be(2, hashed_size) || !c.take(hashed_size, hashed)) {
    return out;
  }
  const std::size_t hashed_end = c.pos();
  uint32_t unhashed_size = 0;
  std::string_view unhashed, left16;
  if (!c.be(2, unhashed_size) || !c.take(unhashed_size, unhashed) || !c.take(2, left16)) {
    return out;
  }
  const EVP_MD* md = hash_of(hash_algorithm);
  if (md == nullptr || (algorithm != 1 && algorithm != 22)) {
    return out;
  }

  // The hashed subpackets: creation time and issuer fingerprint; nothing critical unknown, no
  // signature expiry.
  std::string issuer;
  bool have_created = false;
  bool plain = true;
  const bool parsed =
      each_subpacket(hashed, [&](uint8_t kind, bool critical, std::string_view data) {
        if (kind == 2 && data.size() == 4) {
          Cursor t(data);
          uint32_t created = 0;
          t.be(4, created);
          out.created = created;
          have_created = true;
        } else if (kind == 33 && data.size() == 21 && static_cast<uint8_t>(data[0]) == 4) {
          issuer = hex_upper(reinterpret_cast<const unsigned char*>(data.data()) + 1, 20);
        } else if (kind == 3 || (critical && kind != 16)) {
          plain =
              false; // a signature expiry, or a critical subpacket not known here: gpg judges it
        }
      });
  if (!parsed || !plain) {
    return out;
  }
  auto key = keys.find(issuer);
  if (!have_created || issuer.empty() || key == keys.end() || key->second.algorithm != algorithm) {
    return out;
  }

  // The digest: the signed bytes, the hashed part of the signature, and the v4 trailer.
  const uint32_t counted = static_cast<uint32_t>(hashed_end);
  const char trailer[6] = {4,
                           static_cast<char>(0xff),
                           static_cast<char>((counted >> 24) & 0xff),
                           static_cast<char>((counted >> 16) & 0xff),
                           static_cast<char>((counted >> 8) & 0xff),
                           static_cast<char>(counted & 0xff)};
  Bytes hash;
  if (!digest(md, {payload, body.substr(0, hashed_end), std::string_view(trailer, 6)}, hash) ||
      hash.size() < 2 || hash[0] != static_cast<uint8_t>(left16[0]) ||
      hash[1] != static_cast<uint8_t>(left16[1])) {
    return out;
  }
  bool good = false;
  if (algorithm == 1) {
    Bytes m;
    good = c.mpi(m) && c.left() == 0 && verify_rsa(key->second, md, hash, m);
  } else {
    Bytes r, s;
    good = c.mpi(r) && c.mpi(s) && c.left() == 0 && verify_ed25519(key->second, hash, r, s);
  }
  if (good) {
    out.verified = true;
    out.issuer = issuer;
  }
  return out;
}

std::string issuer_key_id(std::string_view armored) {
  auto binary = dearmor(armored);
  if (!binary) {
    return "";
  }
  auto packets = packets_of(*binary);
  if (!packets || packets->size() != 1 || packets->front().tag != 2) {
    return "";
  }
  Cursor c(packets->front().body);
  uint8_t version = 0, type = 0, algorithm = 0, hash_algorithm = 0;
  uint32_t hashed_size = 0, unhashed_size = 0;
  std::string_view hashed, unhashed;
  if (!c.byte(version) || version != 4 || !c.byte(type) || !c.byte(algorithm) ||
      !c.byte(hash_algorithm) || !c.be(2, hashed_size) || !c.take(hashed_size, hashed) ||
      !c.be(2, unhashed_size) || !c.take(unhashed_size, unhashed)) {
    return "";
  }
  std::string id;
  auto note = [&](uint8_t kind, bool, std::string_view data) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    if (kind == 33 && data.size() == 21 && bytes[0] == 4) {
      id = hex_upper(bytes + 1 + 12, 8); // a v4 key id is the fingerprint's last 8 bytes
    } else if (kind == 16 && data.size() == 8 && id.empty()) {
      id = hex_upper(bytes, 8);
    }
  };
  each_subpacket(hashed, note);
  each_subpacket(unhashed, note);
  return id;
}

} // namespace agate::gate::openpgp
