// The isolated GPGME keyring; see gpg_keyring.hpp.
#include "gate/signing/gpg_keyring.hpp"
#include "gate/util/text.hpp"

#include <gpgme.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <clocale>
#include <mutex>
#include <thread>

namespace agate::gate {

namespace {

struct GpgmeContextDeleter {
  void operator()(gpgme_ctx_t ctx) const noexcept { gpgme_release(ctx); }
};
struct GpgmeDataDeleter {
  void operator()(gpgme_data_t data) const noexcept { gpgme_data_release(data); }
};
struct GpgmeKeyDeleter {
  void operator()(gpgme_key_t key) const noexcept { gpgme_key_unref(key); }
};
using GpgmeContextPtr = std::unique_ptr<gpgme_context, GpgmeContextDeleter>;
using GpgmeDataPtr = std::unique_ptr<gpgme_data, GpgmeDataDeleter>;
using GpgmeKeyPtr = std::unique_ptr<_gpgme_key, GpgmeKeyDeleter>;

// gpg.conf of the temporary home: offline, never start an agent or dirmngr, never fetch keys.
// `trust-model always` only spares gpg building a trust database: agate decides trust itself
// from the primary fingerprints and never reads gpg's validity.
constexpr std::string_view k_gpg_conf = "no-autostart\n"
                                        "no-auto-key-retrieve\n"
                                        "auto-key-locate local\n"
                                        "keyserver-options no-auto-key-retrieve\n"
                                        "no-greeting\n"
                                        "trust-model always\n";

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string error_text(gpgme_error_t err) {
  char buffer[256];
  gpgme_strerror_r(err, buffer, sizeof buffer);
  return buffer;
}

// gpgme_check_version must run once before anything else; it also tells whether GPGME finds
// gpg at all.
Status initialize_gpgme() {
  static std::once_flag once;
  std::call_once(once, [] {
    gpgme_check_version(nullptr);
    gpgme_set_locale(nullptr, LC_CTYPE, std::setlocale(LC_CTYPE, nullptr));
  });
  if (auto err = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP); err != 0) {
    return fail("cannot verify OpenPGP signatures: GnuPG (gpg) was not found or is too old (" +
                error_text(err) +
                "), so the OpenPGP-signed commits are unverifiable here; install gnupg");
  }
  return success();
}

Result<GpgmeDataPtr> data_from(std::string_view bytes) {
  gpgme_data_t raw = nullptr;
  // copy = 1: GPGME keeps its own copy, so `bytes` need not outlive the data object.
  if (auto err = gpgme_data_new_from_mem(&raw, bytes.data(), bytes.size(), 1); err != 0) {
    return fail("GPGME: cannot hold the data: " + error_text(err));
  }
  return GpgmeDataPtr(raw);
}

GpgKey key_facts(gpgme_key_t key) {
  GpgKey facts;
  if (key->subkeys != nullptr && key->subkeys->fpr != nullptr) {
    facts.fingerprint = upper(key->subkeys->fpr);
  } else if (key->fpr != nullptr) {
    facts.fingerprint = upper(key->fpr);
  }
  facts.revoked = key->revoked != 0;
  facts.expired = key->expired != 0;
  for (gpgme_user_id_t uid = key->uids; uid != nullptr; uid = uid->next) {
    if (uid->revoked != 0 || uid->invalid != 0) {
      continue;
    }
    if (facts.user_id.empty() && uid->uid != nullptr) {
      facts.user_id = uid->uid;
    }
    if (uid->email != nullptr && *uid->email != '\0') {
      facts.emails.push_back(lower(uid->email));
    }
  }
  return facts;
}

// Whether a subkey is the one gpg named: by full fingerprint or by (long or short) key id.
bool names_subkey(gpgme_subkey_t subkey, std::string_view reported) {
  const std::string id = upper(reported);
  if (id.empty()) {
    return false;
  }
  if (subkey->fpr != nullptr && upper(subkey->fpr) == id) {
    return true;
  }
  if (subkey->fpr != nullptr && id.size() >= 8 && upper(subkey->fpr).ends_with(id)) {
    return true;
  }
  return subkey->keyid != nullptr && upper(subkey->keyid).ends_with(id) && id.size() >= 8;
}

Result<GpgmeContextPtr> new_context(const std::filesystem::path& home) {
  gpgme_ctx_t raw = nullptr;
  if (auto err = gpgme_new(&raw); err != 0) {
    return fail("GPGME: cannot create a context: " + error_text(err));
  }
  GpgmeContextPtr ctx(raw);
  gpgme_set_protocol(ctx.get(), GPGME_PROTOCOL_OpenPGP);
  gpgme_set_offline(ctx.get(), 1);
  if (auto err =
          gpgme_ctx_set_engine_info(ctx.get(), GPGME_PROTOCOL_OpenPGP, nullptr, home.c_str());
      err != 0) {
    return fail("GPGME: cannot use the temporary GnuPG home " + home.string() + ": " +
                error_text(err));
  }
  return ctx;
}

// What one gpg run says about a signature: the outcome, the signature's own facts and gpg's
// status code for it. The key facts are added afterwards from the keyring's listing
// (GpgKeyring::add_key_facts), so this part can run on several contexts at once.
Result<GpgSignatureCheck> run_verify(gpgme_ctx_t ctx, std::string_view signature,
                                     std::string_view payload) {
  GpgSignatureCheck check;
  auto sig = data_from(signature);
  auto text = data_from(payload);
  if (!sig || !text) {
    return fail(!sig ? sig.error() : text.error());
  }
  gpgme_error_t err = gpgme_op_verify(ctx, sig->get(), text->get(), nullptr);
  gpgme_verify_result_t result = gpgme_op_verify_result(ctx);
  if (err != 0) {
    if (gpgme_err_code(err) == GPG_ERR_INV_ENGINE || gpgme_err_code(err) == GPG_ERR_ENOENT) {
      return fail("cannot run gpg to verify a signature: " + error_text(err));
    }
    check.outcome = GpgSignatureCheck::Outcome::bad;
    check.detail = "the signature cannot be read: " + error_text(err);
    return check;
  }
  if (result == nullptr || result->signatures == nullptr) {
    check.outcome = GpgSignatureCheck::Outcome::bad;
    check.detail = "the signature block holds no OpenPGP signature";
    return check;
  }
  for (gpgme_signature_t s = result->signatures; s != nullptr; s = s->next) {
    ++check.signatures;
  }
  gpgme_signature_t s = result->signatures;
  check.reported_id = s->fpr != nullptr ? upper(s->fpr) : "";
  check.signed_at = static_cast<std::int64_t>(s->timestamp);
  check.status_code = gpgme_err_code(s->status);
  check.signature_expired = check.status_code == GPG_ERR_SIG_EXPIRED;
  switch (check.status_code) {
  case GPG_ERR_NO_ERROR:
  case GPG_ERR_KEY_EXPIRED:
  case GPG_ERR_SIG_EXPIRED:
  case GPG_ERR_CERT_REVOKED:
    check.outcome = GpgSignatureCheck::Outcome::good;
    break;
  case GPG_ERR_BAD_SIGNATURE:
    check.outcome = GpgSignatureCheck::Outcome::bad;
    check.detail = "the commit does not match its signature";
    break;
  case GPG_ERR_NO_PUBKEY:
    check.outcome = GpgSignatureCheck::Outcome::no_public_key;
    break;
  default:
    // Among others, a signature by a subkey whose usage flags do not allow signing ("Wrong key
    // usage"): the key facts tell the caller which.
    check.outcome = GpgSignatureCheck::Outcome::error;
    check.detail = error_text(s->status);
    break;
  }
  return check;
}

} // namespace

struct GpgKeyring::Gpgme {
  GpgmeContextPtr ctx;
  std::vector<GpgmeKeyPtr> keys; // the listing, empty until needed
  bool listed = false;

  // The key holding the (sub)key `id` names (a fingerprint or key id); null when none. The
  // keyring is listed once (one gpg run) and the listing reused until the next import, so a
  // range costs one gpg run per signature, not two.
  gpgme_key_t lookup(std::string_view id);
};

GpgKeyring::GpgKeyring(PrivateTempDir home, std::unique_ptr<Gpgme> gpgme)
    : m_home(std::move(home)), m_gpgme(std::move(gpgme)) {}

Result<std::unique_ptr<GpgKeyring>> GpgKeyring::create() {
  TRY(initialize_gpgme());
  auto home = PrivateTempDir::create("agate-gnupg-");
  TRY(home);
  TRY(home->write("gpg.conf", k_gpg_conf));
  auto ctx = new_context(home->path());
  TRY(ctx);
  auto gpgme = std::make_unique<Gpgme>();
  gpgme->ctx = std::move(ctx).value_or_throw();
  return std::unique_ptr<GpgKeyring>(
      new GpgKeyring(std::move(home).value_or_throw(), std::move(gpgme)));
}

GpgKeyring::~GpgKeyring() {
  // gpg was told not to start an agent; stop anything it started anyway, before the home goes.
  ProcessOptions options;
  options.timeout_seconds = 10;
  (void)run_process({"gpgconf", "--homedir", m_home.path().string(), "--kill", "all"}, options);
}

Result<std::vector<std::string>> GpgKeyring::import_keys(std::string_view data,
                                                         std::string_view name) {
  if (data.find("-----BEGIN PGP PRIVATE KEY BLOCK-----") != std::string_view::npos) {
    return fail(std::string(name) +
                " holds a SECRET key: remove it from the repository (and consider the key "
                "compromised); only public keys belong there");
  }
  auto input = data_from(data);
  TRY(input);
  m_gpgme->listed = false; // the listing must show what this import adds
  m_exported.reset();
  if (auto err = gpgme_op_import(m_gpgme->ctx.get(), input->get()); err != 0) {
    return fail(std::string(name) + ": not an OpenPGP public key (" + error_text(err) + ")");
  }
  gpgme_import_result_t result = gpgme_op_import_result(m_gpgme->ctx.get());
  if (result == nullptr || result->considered == 0) {
    return fail(std::string(name) +
                ": not an OpenPGP public key (export one with `gpg --armor --export KEYID`)");
  }
  if (result->secret_read > 0) {
    return fail(std::string(name) + " holds a SECRET key: only public keys belong there");
  }
  std::vector<std::string> fingerprints;
  for (gpgme_import_status_t status = result->imports; status != nullptr; status = status->next) {
    if (status->result == 0 && status->fpr != nullptr) {
      std::string fpr = upper(status->fpr);
      if (std::find(fingerprints.begin(), fingerprints.end(), fpr) == fingerprints.end()) {
        fingerprints.push_back(std::move(fpr));
      }
    }
  }
  if (fingerprints.empty()) {
    return fail(std::string(name) + ": gpg could not import any key from it (" +
                std::to_string(result->not_imported) + " rejected)");
  }
  return fingerprints;
}

gpgme_key_t GpgKeyring::Gpgme::lookup(std::string_view id) {
  if (!listed) {
    keys.clear();
    if (gpgme_op_keylist_start(ctx.get(), nullptr, 0) == 0) {
      gpgme_key_t raw = nullptr;
      while (gpgme_op_keylist_next(ctx.get(), &raw) == 0 && raw != nullptr) {
        keys.emplace_back(raw);
        raw = nullptr;
      }
      gpgme_op_keylist_end(ctx.get());
    }
    listed = true;
  }
  for (const auto& key : keys) {
    for (gpgme_subkey_t sub = key->subkeys; sub != nullptr; sub = sub->next) {
      if (names_subkey(sub, id)) {
        return key.get();
      }
    }
  }
  return nullptr;
}

std::optional<GpgSignatureCheck> GpgKeyring::fast_check(std::string_view signature,
                                                        std::string_view payload) {
  if (!m_exported) {
    m_exported.emplace();
    gpgme_data_t raw = nullptr;
    if (gpgme_data_new(&raw) == 0) {
      GpgmeDataPtr out(raw);
      gpgme_set_armor(m_gpgme->ctx.get(), 0);
      if (gpgme_op_export(m_gpgme->ctx.get(), nullptr, 0, out.get()) == 0 &&
          gpgme_data_seek(out.get(), 0, SEEK_SET) == 0) {
        std::string binary;
        char buffer[65536];
        for (ssize_t n = 0; (n = gpgme_data_read(out.get(), buffer, sizeof buffer)) > 0;) {
          binary.append(buffer, static_cast<std::size_t>(n));
        }
        *m_exported = openpgp::parse_public_keys(binary);
      }
    }
  }
  auto fast = openpgp::verify(signature, payload, *m_exported);
  if (!fast.verified) {
    return std::nullopt;
  }
  GpgSignatureCheck check;
  check.outcome = GpgSignatureCheck::Outcome::good;
  check.signatures = 1;
  check.reported_id = fast.issuer;
  check.signed_at = fast.created;
  add_key_facts(check);
  if (check.outcome != GpgSignatureCheck::Outcome::good || !check.signing_capable ||
      check.signing_key_expired || check.signing_key_revoked) {
    return std::nullopt; // anything but the plain good case: gpg's own words and codes
  }
  return check;
}

Result<GpgSignatureCheck> GpgKeyring::verify(std::string_view signature, std::string_view payload) {
  if (auto fast = fast_check(signature, payload)) {
    return *fast;
  }
  auto check = run_verify(m_gpgme->ctx.get(), signature, payload);
  TRY(check);
  add_key_facts(*check);
  return check;
}

Result<std::vector<GpgSignatureCheck>> GpgKeyring::verify_many(const std::vector<SignedData>& items,
                                                               unsigned threads) {
  // The plain good signatures in process first; gpg for the rest.
  std::vector<std::optional<GpgSignatureCheck>> fast(items.size());
  std::vector<std::size_t> slow;
  for (std::size_t i = 0; i < items.size(); ++i) {
    fast[i] = fast_check(items[i].signature, items[i].payload);
    if (!fast[i]) {
      slow.push_back(i);
    }
  }
  std::vector<Result<GpgSignatureCheck>> results(items.size(), fail(std::string("not checked")));
  const std::size_t workers =
      std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, slow.size()));
  // Each worker has its own context on this home (GPGME is thread-safe per context) and takes
  // the next item; gpg only reads the keyring, so the processes do not contend.
  std::vector<GpgmeContextPtr> contexts;
  for (std::size_t w = 0; w < workers; ++w) {
    auto ctx = new_context(m_home.path());
    TRY(ctx);
    contexts.push_back(std::move(ctx).value_or_throw());
  }
  std::atomic<std::size_t> next{0};
  auto work = [&](gpgme_ctx_t ctx) {
    for (std::size_t k = next++; k < slow.size(); k = next++) {
      const std::size_t i = slow[k];
      results[i] = run_verify(ctx, items[i].signature, items[i].payload);
    }
  };
  {
    std::vector<std::jthread> pool;
    for (std::size_t w = 1; w < workers; ++w) {
      pool.emplace_back(work, contexts[w].get());
    }
    work(contexts[0].get());
  }
  std::vector<GpgSignatureCheck> checks;
  checks.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (fast[i]) {
      checks.push_back(std::move(*fast[i]));
      continue;
    }
    auto& result = results[i];
    TRY(result);
    add_key_facts(*result);
    checks.push_back(std::move(*result));
  }
  return checks;
}

void GpgKeyring::add_key_facts(GpgSignatureCheck& check) {
  if (check.outcome == GpgSignatureCheck::Outcome::bad ||
      check.outcome == GpgSignatureCheck::Outcome::no_public_key || check.signatures == 0) {
    return;
  }
  // The key: look it up by what gpg reported (a subkey's fingerprint, or a key id).
  gpgme_key_t key = m_gpgme->lookup(check.reported_id);
  if (key == nullptr) {
    if (check.outcome == GpgSignatureCheck::Outcome::good) {
      check.outcome = GpgSignatureCheck::Outcome::no_public_key;
    }
    return;
  }
  check.key = key_facts(key);
  gpgme_subkey_t primary = key->subkeys;
  for (gpgme_subkey_t sub = key->subkeys; sub != nullptr; sub = sub->next) {
    if (!names_subkey(sub, check.reported_id)) {
      continue;
    }
    check.signing_key = sub->fpr != nullptr ? upper(sub->fpr) : upper(sub->keyid);
    check.signing_capable = sub->can_sign != 0;
    check.signing_key_revoked =
        sub->revoked != 0 || key->revoked != 0 || check.status_code == GPG_ERR_CERT_REVOKED;
    std::int64_t expires = sub->expires;
    if (primary != nullptr && primary->expires > 0 &&
        (expires == 0 || primary->expires < expires)) {
      expires = primary->expires;
    }
    check.signing_key_expires = expires;
    check.signing_key_expired =
        sub->expired != 0 || key->expired != 0 || check.status_code == GPG_ERR_KEY_EXPIRED;
    break;
  }
  if (check.signing_key.empty() && check.outcome == GpgSignatureCheck::Outcome::good) {
    // gpg named a key the listing does not show as a subkey: treat as unknown.
    check.outcome = GpgSignatureCheck::Outcome::no_public_key;
  }
}

} // namespace agate::gate
