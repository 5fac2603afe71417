#include <string.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        // ruleid: library/c-argv-parsing
        if (strcmp(argv[i], "-v") == 0) {
            return 1;
        }
    }
    return 0;
}
