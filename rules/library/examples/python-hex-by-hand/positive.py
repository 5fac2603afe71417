def digest_hex(digest: bytes) -> str:
    # ruleid: library/python-hex-by-hand
    return "".join("%02x" % b for b in digest)

def key_hex(key):
    # ruleid: library/python-hex-by-hand
    return ''.join([f"{b:02x}" for b in key])
