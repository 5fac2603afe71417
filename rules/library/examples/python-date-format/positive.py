def day_key(d):
    # ruleid: library/python-date-format
    return "%04d-%02d-%02d" % (d.year, d.month, d.day)

def label(d):
    # ruleid: library/python-date-format
    return f"{d.year}-{d.month:02d}-{d.day:02d}"
