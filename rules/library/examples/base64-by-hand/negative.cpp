// Part of the alphabet only: a character class, not an encoder table.
static const char* kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
