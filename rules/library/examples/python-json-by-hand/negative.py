import json

def user_json(name, age):
    return json.dumps({"name": name, "age": age})

def template(name):
    return "{name} is here".format(name=name)

EMPTY = '{}'
