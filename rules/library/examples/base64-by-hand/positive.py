# ruleid: library/base64-by-hand
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

def encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data), 3):
        chunk = int.from_bytes(data[i:i + 3].ljust(3, b"\0"), "big")
        out.extend(ALPHABET[(chunk >> s) & 63] for s in (18, 12, 6, 0))
    return "".join(out)
