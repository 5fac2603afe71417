import json

def snapshot(state):
    # ruleid: library/python-deepcopy-json
    return json.loads(json.dumps(state))
