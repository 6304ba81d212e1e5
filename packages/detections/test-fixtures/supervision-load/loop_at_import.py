import os

# Module-level code is customer code too; this one never finishes loading
# unless the host stops it.
if os.environ.get("HOME") is not None:
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass


def rule(event):
    return True
