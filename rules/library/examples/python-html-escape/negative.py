import html

def escape(text):
    return html.escape(text)

def slug(text):
    return text.replace("&", "and").replace(" ", "-")
