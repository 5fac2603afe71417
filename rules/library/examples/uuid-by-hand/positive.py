import random

def new_id():
    n = random.getrandbits(128)
    # ruleid: library/uuid-by-hand
    return "%08x-%04x-%04x-%04x-%012x" % (n >> 96, (n >> 80) & 0xFFFF, (n >> 64) & 0xFFFF, (n >> 48) & 0xFFFF, n & 0xFFFFFFFFFFFF)
