// RAII owners for libgit2 handles.
//
// Every git_* object that libgit2 hands out must be freed with its own function. Each alias here
// is a std::unique_ptr whose deleter calls that function, so a handle is freed on every path out
// of a scope, errors included. `GitBuf` does the same for the by-value git_buf. Use
// `out_param(ptr)`-style code as:
//
//   git_commit* raw = nullptr;
//   if (git_commit_lookup(&raw, repo, &id) < 0) { ... }
//   CommitPtr commit(raw);
#pragma once

#include <git2.h>
#include <git2/sys/repository.h>

#include <memory>
#include <string>
#include <string_view>

namespace agate::gate {

template <typename T, void (*Free)(T*)> struct GitDeleter {
  void operator()(T* handle) const noexcept {
    if (handle != nullptr) {
      Free(handle);
    }
  }
};

template <typename T, void (*Free)(T*)> using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;

using RepositoryPtr = GitPtr<git_repository, git_repository_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using TreeEntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;
using PatchPtr = GitPtr<git_patch, git_patch_free>;
using IndexPtr = GitPtr<git_index, git_index_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using OdbPtr = GitPtr<git_odb, git_odb_free>;
using OdbObjectPtr = GitPtr<git_odb_object, git_odb_object_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;
using ConfigPtr = GitPtr<git_config, git_config_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using FilterListPtr = GitPtr<git_filter_list, git_filter_list_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;

// A git_buf owned by value: disposed on destruction.
class GitBuf {
public:
  GitBuf() = default;
  GitBuf(const GitBuf&) = delete;
  GitBuf& operator=(const GitBuf&) = delete;
  ~GitBuf() { git_buf_dispose(&m_buf); }

  git_buf* get() { return &m_buf; }
  std::string_view view() const {
    return m_buf.ptr == nullptr ? std::string_view() : std::string_view(m_buf.ptr, m_buf.size);
  }
  std::string str() const { return std::string(view()); }

private:
  git_buf m_buf = GIT_BUF_INIT;
};

// A git_strarray owned by value: disposed on destruction.
class GitStrArray {
public:
  GitStrArray() = default;
  GitStrArray(const GitStrArray&) = delete;
  GitStrArray& operator=(const GitStrArray&) = delete;
  ~GitStrArray() { git_strarray_dispose(&m_array); }

  git_strarray* get() { return &m_array; }
  std::size_t size() const { return m_array.count; }
  std::string_view operator[](std::size_t i) const { return m_array.strings[i]; }

private:
  git_strarray m_array = {nullptr, 0};
};

} // namespace agate::gate
