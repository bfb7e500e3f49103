"""A static file server whose GET bodies go out with sendfile: the loopback reference for large GETs.

Python's http.server copies through 64 KiB buffers; sendfile is what a real static server (nginx) does.
Usage: static_server.py FOLDER PORT
"""
import functools
import http.server
import os
import sys


class SendfileHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler with the body sent by the kernel."""

    protocol_version = "HTTP/1.1"

    def copyfile(self, source, outputfile):
        """Sends the whole open file with socket.sendfile."""
        self.wfile.flush()
        self.connection.sendfile(source)

    def log_message(self, *args):
        """Quiet: the bench measures, it does not log."""


if __name__ == "__main__":
    folder, port = sys.argv[1], int(sys.argv[2])
    handler = functools.partial(SendfileHandler, directory=os.path.abspath(folder))
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
