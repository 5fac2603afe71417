def user_json(name, age):
    # ruleid: library/python-json-by-hand
    return '{"name": "' + name + '", "age": ' + str(age) + '}'

def event_json(kind, at):
    # ruleid: library/python-json-by-hand
    return f'{{"kind": "{kind}", "at": {at}}}'
