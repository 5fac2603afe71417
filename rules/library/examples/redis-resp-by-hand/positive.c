#include <stdio.h>

int build_get(char *out, size_t size, const char *key, size_t len) {
    // ruleid: library/redis-resp-by-hand
    return snprintf(out, size, "*2\r\n$3\r\nGET\r\n$%zu\r\n%s\r\n", len, key);
}
