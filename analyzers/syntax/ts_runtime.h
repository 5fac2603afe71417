// What agate adds to the tree-sitter runtime (ts_runtime.c): saving a compiled query as bytes and
// loading it back, for the on-disk query cache (query_store.hpp).
#pragma once

#include <tree_sitter/api.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Changes when the in-memory layout of a compiled query changes (runtime version, struct sizes).
uint32_t agate_ts_query_layout(void);

// The compiled query as bytes (allocated; free with agate_ts_free). The bytes are only meaningful
// to the same runtime build and the same grammar.
char* agate_ts_query_save(const TSQuery* query, size_t* size);
void agate_ts_free(void* bytes);

// A query for `language` from bytes agate_ts_query_save() wrote, or NULL when they are damaged.
TSQuery* agate_ts_query_load(const TSLanguage* language, const char* bytes, size_t size);

#ifdef __cplusplus
}
#endif
