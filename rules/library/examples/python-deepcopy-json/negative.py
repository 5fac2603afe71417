import copy
import json

def snapshot(state):
    return copy.deepcopy(state)

def roundtrip(path):
    with open(path) as f:
        return json.loads(f.read())
