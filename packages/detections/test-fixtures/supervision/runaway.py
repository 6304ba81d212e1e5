def rule(event):
    mode = event.get("mode")
    if mode == "spin":
        while True:
            pass
    if mode == "stubborn":
        # Swallows every interrupt: only replacing the worker stops it.
        while True:
            try:
                while True:
                    pass
            except BaseException:
                pass
    if mode == "hog":
        hold = []
        while True:
            hold.append(bytearray(4 * 1024 * 1024))
    if mode == "busy":
        # Long enough to see several supervision ticks after a memory blow-up.
        sum(i * i for i in range(1_000_000))
        return True
    return mode == "match"


def title(event):
    if event.get("slow_title"):
        while True:
            pass
    return f"runaway fixture {event.get('n')}"
