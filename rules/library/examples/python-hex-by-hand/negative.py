def digest_hex(digest: bytes) -> str:
    return digest.hex()

def pairs(items):
    return ", ".join("%s=%s" % kv for kv in items.items())
