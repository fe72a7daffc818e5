#!/usr/bin/python3
"""Drop files on an X11 window by XDND, as a file manager does.

Usage: xdnd-drop.py WINDOW-NAME FILE...

It finds the XDND-aware window whose WM_NAME is WINDOW-NAME (waiting up to
30 s for it), offers the files as text/uri-list, drops them on the
window's middle and waits for the window to say it has taken them
(XdndFinished). It speaks XDND version 5
(https://freedesktop.org/wiki/Specifications/XDND/), which GLFW, and so
Fyne's desktop driver, implements. It needs python3-xlib (Debian
package). window-uploads.sh uses it to drop files on the Earshot window
under Xvfb.
"""

import sys
import time
import urllib.parse
from pathlib import Path

from Xlib import X, display
from Xlib.protocol import event

XDND_VERSION = 5


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    name, files = sys.argv[1], sys.argv[2:]
    uris = "".join("file://" + urllib.parse.quote(str(Path(f).resolve())) + "\r\n" for f in files)

    d = display.Display()
    root = d.screen().root
    atom = d.intern_atom
    target = wait_for_window(d, root, name)
    source = root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
    source.set_selection_owner(atom("XdndSelection"), X.CurrentTime)
    geom = target.get_geometry()
    pos = root.translate_coords(target, geom.width // 2, geom.height // 2)

    def send(kind, data):
        data = list(data) + [0] * (5 - len(data))
        ev = event.ClientMessage(window=target, client_type=atom(kind), data=(32, data))
        target.send_event(ev, event_mask=0)
        d.flush()

    send("XdndEnter", [source.id, XDND_VERSION << 24, atom("text/uri-list")])
    send("XdndPosition", [source.id, 0, (pos.x << 16) | pos.y, X.CurrentTime, atom("XdndActionCopy")])
    deadline = time.time() + 30
    while time.time() < deadline:
        if not d.pending_events():
            time.sleep(0.02)
            continue
        e = d.next_event()
        if e.type == X.SelectionRequest:
            # The window asks for the files: put them in the property it names.
            e.requestor.change_property(e.property, e.target, 8, uris.encode())
            reply = event.SelectionNotify(time=e.time, requestor=e.requestor, selection=e.selection,
                                          target=e.target, property=e.property)
            e.requestor.send_event(reply)
            d.flush()
        elif e.type == X.ClientMessage:
            kind = d.get_atom_name(e.client_type)
            if kind == "XdndStatus":
                if not e.data[1][1] & 1:
                    sys.exit("xdnd-drop: the window does not accept the files")
                send("XdndDrop", [source.id, 0, X.CurrentTime])
            elif kind == "XdndFinished":
                print(f"xdnd-drop: dropped {len(files)} item(s) on {name!r}")
                return
    sys.exit("xdnd-drop: no XdndFinished within 30 s")


def wait_for_window(d, root, name):
    """Returns the XDND-aware window called name, waiting up to 30 s."""
    aware = d.intern_atom("XdndAware")
    for _ in range(300):
        found = find(root, name, aware)
        if found is not None:
            return found
        time.sleep(0.1)
    sys.exit(f"xdnd-drop: no XDND-aware window called {name!r}")


def find(w, name, aware):
    """Searches the tree under w for the window called name with XdndAware."""
    try:
        if w.get_wm_name() == name and w.get_full_property(aware, X.AnyPropertyType):
            return w
        children = w.query_tree().children
    except Exception:  # the window went away while we looked
        return None
    for c in children:
        found = find(c, name, aware)
        if found is not None:
            return found
    return None


if __name__ == "__main__":
    main()
