// SHA-256 over OpenSSL's EVP interface; see sha256.hpp.
#include "gate/util/sha256.hpp"

#include "gate/util/error.hpp"

#include <openssl/evp.h>

#include <array>

namespace agate::gate {

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const {
  EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
  if (!m_ctx || EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw Error("cannot initialise SHA-256 (OpenSSL)");
  }
}

void Sha256::update(std::string_view bytes) {
  if (!bytes.empty()) {
    EVP_DigestUpdate(m_ctx.get(), bytes.data(), bytes.size());
  }
}

std::string Sha256::hex_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(m_ctx.get(), digest.data(), &size);
  static const char* const hex = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hex_digest();
}

} // namespace agate::gate
