import base64
import string

LETTERS = string.ascii_letters + string.digits

def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
