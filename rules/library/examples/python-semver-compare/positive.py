def newer(a, b):
    # ruleid: library/python-semver-compare
    return tuple(map(int, a.split("."))) > tuple(map(int, b.split(".")))

def parts(v):
    # ruleid: library/python-semver-compare
    return [int(x) for x in v.split(".")]
