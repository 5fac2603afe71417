// The tree-sitter runtime as agate builds it: the npm package's amalgamation (lib/src/lib.c),
// plus a way to save a compiled query and load it back.
//
// Compiling a query (ts_query_new) analyses every pattern against the grammar's parse table,
// which costs milliseconds per pattern: 10 to 35 ms for one language's unit query, up to 15 ms
// for one library rule. A git hook that meets four languages spent over 100 ms of CPU on it, every
// run, for the same queries. A compiled TSQuery is a set of flat arrays (steps, pattern map,
// predicate steps, capture names, ...), so it can be written out and read back as bytes; the
// query cache (analyzers/syntax/query_store.hpp) keeps them on disk. The struct is private to
// query.c, which is why these two functions live in the translation unit that includes it.
//
// agate_ts_query_load() checks every index it reads against the sizes it read (a damaged file
// gives NULL, never a query that reads out of bounds); the caller checks that the bytes were
// saved by the same runtime and grammar (agate_ts_query_layout() goes into its key).
#include "lib.c"

#include "ts_runtime.h"

#include <string.h>

// A value that changes when the layout of what is saved changes.
uint32_t agate_ts_query_layout(void) {
  return (uint32_t)(sizeof(QueryStep) * 1000003u + sizeof(PatternEntry) * 10007u +
                    sizeof(QueryPattern) * 101u + sizeof(StepOffset) * 11u +
                    sizeof(TSQueryPredicateStep) * 7u + sizeof(Slice) * 3u +
                    TREE_SITTER_LANGUAGE_VERSION);
}

typedef struct {
  char* data;
  size_t size;
  size_t capacity;
  bool failed;
} Writer;

static void writer_put(Writer* w, const void* bytes, size_t count) {
  if (w->failed || count == 0) {
    return;
  }
  if (w->size + count > w->capacity) {
    size_t capacity = w->capacity == 0 ? 4096 : w->capacity;
    while (capacity < w->size + count) {
      capacity *= 2;
    }
    char* grown = ts_realloc(w->data, capacity);
    w->data = grown;
    w->capacity = capacity;
  }
  memcpy(w->data + w->size, bytes, count);
  w->size += count;
}

static void writer_u32(Writer* w, uint32_t value) {
  writer_put(w, &value, sizeof value);
}

#define WRITE_ARRAY(w, array)                                                                      \
  do {                                                                                             \
    writer_u32((w), (array).size);                                                                 \
    writer_put((w), (array).contents, (size_t)(array).size * sizeof *(array).contents);            \
  } while (0)

// Arrays of structs with padding are written element by element from zeroed copies, so the
// bytes depend only on the query (the same query always saves to the same bytes).
static void write_steps(Writer* w, const TSQuery* self) {
  writer_u32(w, self->steps.size);
  for (uint32_t i = 0; i < self->steps.size; i++) {
    const QueryStep* from = &self->steps.contents[i];
    QueryStep step;
    memset(&step, 0, sizeof step);
    step.symbol = from->symbol;
    step.supertype_symbol = from->supertype_symbol;
    step.field = from->field;
    memcpy(step.capture_ids, from->capture_ids, sizeof step.capture_ids);
    step.depth = from->depth;
    step.alternative_index = from->alternative_index;
    step.negated_field_list_id = from->negated_field_list_id;
    step.is_named = from->is_named;
    step.is_immediate = from->is_immediate;
    step.is_last_child = from->is_last_child;
    step.is_pass_through = from->is_pass_through;
    step.is_dead_end = from->is_dead_end;
    step.alternative_is_immediate = from->alternative_is_immediate;
    step.contains_captures = from->contains_captures;
    step.root_pattern_guaranteed = from->root_pattern_guaranteed;
    step.parent_pattern_guaranteed = from->parent_pattern_guaranteed;
    step.is_missing = from->is_missing;
    writer_put(w, &step, sizeof step);
  }
}

static void write_pattern_map(Writer* w, const TSQuery* self) {
  writer_u32(w, self->pattern_map.size);
  for (uint32_t i = 0; i < self->pattern_map.size; i++) {
    const PatternEntry* from = &self->pattern_map.contents[i];
    PatternEntry entry;
    memset(&entry, 0, sizeof entry);
    entry.step_index = from->step_index;
    entry.pattern_index = from->pattern_index;
    entry.is_rooted = from->is_rooted;
    writer_put(w, &entry, sizeof entry);
  }
}

static void write_patterns(Writer* w, const TSQuery* self) {
  writer_u32(w, self->patterns.size);
  for (uint32_t i = 0; i < self->patterns.size; i++) {
    const QueryPattern* from = &self->patterns.contents[i];
    QueryPattern pattern;
    memset(&pattern, 0, sizeof pattern);
    pattern.steps = from->steps;
    pattern.predicate_steps = from->predicate_steps;
    pattern.start_byte = from->start_byte;
    pattern.end_byte = from->end_byte;
    pattern.is_non_local = from->is_non_local;
    writer_put(w, &pattern, sizeof pattern);
  }
}

static void write_step_offsets(Writer* w, const TSQuery* self) {
  writer_u32(w, self->step_offsets.size);
  for (uint32_t i = 0; i < self->step_offsets.size; i++) {
    StepOffset offset;
    memset(&offset, 0, sizeof offset);
    offset.byte_offset = self->step_offsets.contents[i].byte_offset;
    offset.step_index = self->step_offsets.contents[i].step_index;
    writer_put(w, &offset, sizeof offset);
  }
}

char* agate_ts_query_save(const TSQuery* self, size_t* size) {
  Writer w = {0};
  WRITE_ARRAY(&w, self->captures.characters);
  WRITE_ARRAY(&w, self->captures.slices);
  WRITE_ARRAY(&w, self->predicate_values.characters);
  WRITE_ARRAY(&w, self->predicate_values.slices);
  writer_u32(&w, self->capture_quantifiers.size);
  for (uint32_t i = 0; i < self->capture_quantifiers.size; i++) {
    WRITE_ARRAY(&w, self->capture_quantifiers.contents[i]);
  }
  write_steps(&w, self);
  write_pattern_map(&w, self);
  WRITE_ARRAY(&w, self->predicate_steps);
  write_patterns(&w, self);
  write_step_offsets(&w, self);
  WRITE_ARRAY(&w, self->negated_fields);
  WRITE_ARRAY(&w, self->repeat_symbols_with_rootless_patterns);
  writer_u32(&w, self->wildcard_root_pattern_count);
  *size = w.size;
  return w.data;
}

void agate_ts_free(void* bytes) {
  ts_free(bytes);
}

typedef struct {
  const char* at;
  const char* end;
  bool failed;
} Reader;

static uint32_t reader_u32(Reader* r) {
  uint32_t value = 0;
  if (r->failed || (size_t)(r->end - r->at) < sizeof value) {
    r->failed = true;
    return 0;
  }
  memcpy(&value, r->at, sizeof value);
  r->at += sizeof value;
  return value;
}

// Reads a count and that many elements into an empty array.
#define READ_ARRAY(r, array)                                                                       \
  do {                                                                                             \
    uint32_t count_ = reader_u32(r);                                                               \
    size_t bytes_ = (size_t)count_ * sizeof *(array).contents;                                     \
    if ((r)->failed || (size_t)((r)->end - (r)->at) < bytes_) {                                    \
      (r)->failed = true;                                                                          \
      break;                                                                                       \
    }                                                                                              \
    if (count_ > 0) {                                                                              \
      array_reserve(&(array), count_);                                                             \
      memcpy((array).contents, (r)->at, bytes_);                                                   \
      (array).size = count_;                                                                       \
      (r)->at += bytes_;                                                                           \
    }                                                                                              \
  } while (0)

static bool slices_fit(const SymbolTable* table) {
  for (uint32_t i = 0; i < table->slices.size; i++) {
    Slice slice = table->slices.contents[i];
    if (slice.offset > table->characters.size ||
        slice.length > table->characters.size - slice.offset) {
      return false;
    }
  }
  return true;
}

static bool in_range(uint16_t value, uint32_t size) {
  return value == NONE || value < size;
}

// Every index a query cursor follows stays inside the arrays it indexes.
static bool query_consistent(const TSQuery* self) {
  if (!slices_fit(&self->captures) || !slices_fit(&self->predicate_values)) {
    return false;
  }
  uint32_t captures = self->captures.slices.size;
  if (self->steps.size == 0 || self->steps.size >= NONE || captures >= NONE ||
      self->capture_quantifiers.size != self->patterns.size || self->negated_fields.size == 0 ||
      self->negated_fields.contents[self->negated_fields.size - 1] != 0) {
    return false; // (each list of negated fields ends with a 0)
  }
  for (uint32_t i = 0; i < self->capture_quantifiers.size; i++) {
    if (self->capture_quantifiers.contents[i].size > captures) {
      return false;
    }
  }
  for (uint32_t i = 0; i < self->steps.size; i++) {
    const QueryStep* step = &self->steps.contents[i];
    if (!in_range(step->alternative_index, self->steps.size) ||
        step->negated_field_list_id >= self->negated_fields.size) {
      return false;
    }
    for (unsigned j = 0; j < MAX_STEP_CAPTURE_COUNT; j++) {
      if (!in_range(step->capture_ids[j], captures)) {
        return false;
      }
    }
  }
  if (self->steps.contents[self->steps.size - 1].depth != PATTERN_DONE_MARKER) {
    return false;
  }
  for (uint32_t i = 0; i < self->pattern_map.size; i++) {
    const PatternEntry* entry = &self->pattern_map.contents[i];
    if (entry->step_index >= self->steps.size || entry->pattern_index >= self->patterns.size) {
      return false;
    }
  }
  for (uint32_t i = 0; i < self->patterns.size; i++) {
    const QueryPattern* pattern = &self->patterns.contents[i];
    if (pattern->steps.offset > self->steps.size ||
        pattern->steps.length > self->steps.size - pattern->steps.offset ||
        pattern->predicate_steps.offset > self->predicate_steps.size ||
        pattern->predicate_steps.length >
            self->predicate_steps.size - pattern->predicate_steps.offset) {
      return false;
    }
  }
  for (uint32_t i = 0; i < self->predicate_steps.size; i++) {
    const TSQueryPredicateStep* step = &self->predicate_steps.contents[i];
    if ((step->type == TSQueryPredicateStepTypeCapture && step->value_id >= captures) ||
        (step->type == TSQueryPredicateStepTypeString &&
         step->value_id >= self->predicate_values.slices.size) ||
        step->type > TSQueryPredicateStepTypeString) {
      return false;
    }
  }
  for (uint32_t i = 0; i < self->step_offsets.size; i++) {
    if (self->step_offsets.contents[i].step_index >= self->steps.size) {
      return false;
    }
  }
  return true;
}

TSQuery* agate_ts_query_load(const TSLanguage* language, const char* bytes, size_t size) {
  if (language == NULL) {
    return NULL;
  }
  TSQuery* self = ts_malloc(sizeof(TSQuery));
  *self = (TSQuery){
      .steps = array_new(),
      .pattern_map = array_new(),
      .captures = symbol_table_new(),
      .capture_quantifiers = array_new(),
      .predicate_values = symbol_table_new(),
      .predicate_steps = array_new(),
      .patterns = array_new(),
      .step_offsets = array_new(),
      .string_buffer = array_new(),
      .negated_fields = array_new(),
      .repeat_symbols_with_rootless_patterns = array_new(),
      .wildcard_root_pattern_count = 0,
      .language = ts_language_copy(language),
  };
  Reader r = {bytes, bytes + size, false};
  READ_ARRAY(&r, self->captures.characters);
  READ_ARRAY(&r, self->captures.slices);
  READ_ARRAY(&r, self->predicate_values.characters);
  READ_ARRAY(&r, self->predicate_values.slices);
  uint32_t patterns = reader_u32(&r);
  if (!r.failed && patterns <= size) { // each pattern's quantifiers take at least 4 bytes
    for (uint32_t i = 0; i < patterns && !r.failed; i++) {
      CaptureQuantifiers quantifiers = capture_quantifiers_new();
      READ_ARRAY(&r, quantifiers);
      array_push(&self->capture_quantifiers, quantifiers);
    }
  } else {
    r.failed = true;
  }
  READ_ARRAY(&r, self->steps);
  READ_ARRAY(&r, self->pattern_map);
  READ_ARRAY(&r, self->predicate_steps);
  READ_ARRAY(&r, self->patterns);
  READ_ARRAY(&r, self->step_offsets);
  READ_ARRAY(&r, self->negated_fields);
  READ_ARRAY(&r, self->repeat_symbols_with_rootless_patterns);
  uint32_t wildcards = reader_u32(&r);
  if (r.failed || r.at != r.end || wildcards > self->patterns.size || !query_consistent(self)) {
    ts_query_delete(self);
    return NULL;
  }
  self->wildcard_root_pattern_count = (uint16_t)wildcards;
  return self;
}
