def escape(text):
    # ruleid: library/python-html-escape
    return (text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;"))
