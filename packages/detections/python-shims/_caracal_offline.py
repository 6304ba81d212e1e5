"""urllib3 without the JavaScript host.

On Pyodide (sys.platform "emscripten") `import urllib3` imports
urllib3.contrib.emscripten, which sends requests through the browser's fetch
by importing `js` and `pyodide.ffi`. The sandbox blocks both, so without this
module `import urllib3` fails, and with it `import requests` and
`import boto3`. This finder answers that one module with a stand-in whose
connections refuse to open: detections reach no network anyway (the detection
process has none), and this way a request fails at once, as an ordinary
connection error that requests and botocore already handle, instead of at
import or in the host."""

import importlib.abc
import importlib.util
import sys

EMSCRIPTEN_MODULE = "urllib3.contrib.emscripten"
MESSAGE = "Failed to establish a new connection: detections have no network access"


def _offline_connection_classes():
    # Imported when urllib3 asks for the stand-in, i.e. while urllib3 itself is
    # being imported: its connection module is complete by then.
    from urllib3.connection import HTTPConnection
    from urllib3.exceptions import NewConnectionError

    class OfflineHTTPConnection(HTTPConnection):
        def connect(self):
            raise NewConnectionError(self, MESSAGE)

    class OfflineHTTPSConnection(OfflineHTTPConnection):
        default_port = 443

        def __init__(self, host, port=None, *, timeout=None, source_address=None, blocksize=16384,
                     socket_options=None, proxy=None, proxy_config=None, **_tls_options):
            # The TLS options of HTTPSConnectionPool have no use for a connection that never opens.
            kwargs = {"source_address": source_address, "blocksize": blocksize, "proxy": proxy, "proxy_config": proxy_config}
            if timeout is not None:
                kwargs["timeout"] = timeout
            if socket_options is not None:
                kwargs["socket_options"] = socket_options
            super().__init__(host, port, **kwargs)

    return OfflineHTTPConnection, OfflineHTTPSConnection


def inject_into_urllib3():
    """What urllib3's __init__ calls on emscripten: every pool gets connections that refuse."""
    import urllib3.connection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    http, https = _offline_connection_classes()
    HTTPConnectionPool.ConnectionCls = http
    HTTPSConnectionPool.ConnectionCls = https
    urllib3.connection.HTTPConnection = http
    urllib3.connection.HTTPSConnection = https
    urllib3.connection.VerifiedHTTPSConnection = https


class _StandIn(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.inject_into_urllib3 = inject_into_urllib3


class OfflineUrllib3Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == EMSCRIPTEN_MODULE:
            return importlib.util.spec_from_loader(fullname, _StandIn())
        return None


def install():
    if not any(isinstance(f, OfflineUrllib3Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, OfflineUrllib3Finder())
