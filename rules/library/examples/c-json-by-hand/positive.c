#include <stdio.h>

void user_json(char *out, size_t n, const char *name) {
    // ruleid: library/c-json-by-hand
    snprintf(out, n, "{\"name\": \"%s\"}", name);
}
