def day_key(d):
    return d.strftime("%Y-%m-%d")

def version(major, minor, patch):
    return "%d.%02d.%02d" % (major, minor, patch)

def age(person):
    return f"{person.name} born {person.year}"
