import sys

def main():
    verbose = False
    # ruleid: library/python-argv-parsing
    if "--verbose" in sys.argv:
        verbose = True
    # ruleid: library/python-argv-parsing
    if len(sys.argv) > 2 and sys.argv[1] == "--out":
        return sys.argv[2], verbose
    return None, verbose
