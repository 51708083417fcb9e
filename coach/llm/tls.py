"""The client's TLS context: httpx's default trust, read on the first TLS handshake rather than when the client is built.

Reading a CA bundle takes 30 to 80 ms (more for a system bundle named by SSL_CERT_FILE), paid at every start by
every model command; a local server on plain http (Ollama, llama.cpp, LM Studio) never needs it.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading


class DeferredTrust(ssl.SSLContext):
    """The context `ssl.create_default_context` makes, whose CA certificates load on the first TLS handshake.

    The certificates are those httpx trusts by default: SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's bundle.
    """

    def __new__(cls, environ=None):
        return super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)

    def __init__(self, environ=None):
        environ = os.environ if environ is None else environ
        self.verify_mode = ssl.CERT_REQUIRED
        self.check_hostname = True
        if sys.version_info >= (3, 13):  # what create_default_context adds from 3.13 on
            self.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog and not sys.flags.ignore_environment and hasattr(self, "keylog_filename"):
            self.keylog_filename = keylog
        self._cafile = environ.get("SSL_CERT_FILE") or None
        self._capath = None if self._cafile else environ.get("SSL_CERT_DIR") or None
        self._lock = threading.Lock()
        self._trusted = False
        if self._cafile and not os.path.isfile(self._cafile):
            self.trust()  # a missing bundle fails now, as httpx's own context does, not as a refused connection

    def trust(self) -> None:
        """Load the CA certificates, once."""
        if self._trusted:
            return
        with self._lock:
            if not self._trusted:
                if self._cafile or self._capath:
                    self.load_verify_locations(cafile=self._cafile, capath=self._capath)
                else:
                    import certifi

                    self.load_verify_locations(cafile=certifi.where())
                self._trusted = True

    def wrap_socket(self, *args, **kwargs):
        self.trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args, **kwargs):
        self.trust()
        return super().wrap_bio(*args, **kwargs)
