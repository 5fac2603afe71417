import sys

def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "input.txt"
    if sys.argv[0].endswith("tool"):
        print("called as tool")
    return path
