// SHA-256 as lowercase hex, from OpenSSL's libcrypto (already on every machine that has libcurl's
// OpenSSL flavour). Used for the prompt record's `diff_sha256`.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX

namespace agate::gate {

// Incremental hashing: feed pieces, then take the hex digest once.
class Sha256 {
public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex_digest(); // finishes the hash; the object must not be updated afterwards

private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

std::string sha256_hex(std::string_view bytes);

} // namespace agate::gate
