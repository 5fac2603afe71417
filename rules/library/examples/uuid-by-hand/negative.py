import uuid

def new_id():
    return str(uuid.uuid4())

def color(r, g, b):
    return "#%02x%02x%02x" % (r, g, b)
