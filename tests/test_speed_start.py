"""What a model command skips at start without changing what it does: the CA bundle over plain http, a disk flush per
log write, garbage collections over the SDK's classes. Served by a stub on 127.0.0.1, never the network."""

from __future__ import annotations

import gc
import json
import socket
import ssl
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import certifi
import openai
import pytest

from coach.llm.calllog import CallLog, CallRecord
from coach.llm.settings import _collector_paused, build_client, settings_from_env
from coach.llm.tls import DeferredTrust
from tests.llm_fixtures import completion

# A self-signed certificate for localhost and 127.0.0.1, valid until 2126, and its key: made for this test only.
KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXNWfoA71OzfX5fsv
WmWKGGvZGC/k2pP1JXbsTGccWsahRANCAASNo/aIpsV7ZT46l7zAxr+qvJiY2fJ5
o06ny0XNqH09KY9w+WFKd8kzd62BiI4P7SsBcTZfkhM2iwB3N2gA8KOL
-----END PRIVATE KEY-----
"""
CERT = """-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUTQnvAKCvreQlevW9WgABFSNKU6UwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMTIwMTIxMloYDzIxMjYxMTA3
MjAxMjEyWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASNo/aIpsV7ZT46l7zAxr+qvJiY2fJ5o06ny0XNqH09KY9w+WFKd8kz
d62BiI4P7SsBcTZfkhM2iwB3N2gA8KOLo28wbTAdBgNVHQ4EFgQU+YBW4mfOBoCs
Ka3ueKIGuwq6CZcwHwYDVR0jBBgwFoAU+YBW4mfOBoCsKa3ueKIGuwq6CZcwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSQAwRgIhAK67J/Suw/nVnlkUUOD1q03II7avnSI6vGuB5thrq5akAiEA
pirpqqiHBzI+1WOtTVtTrfIIviP/VfAPLdA4PbUZ5Rg=
-----END CERTIFICATE-----
"""
ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ("protocol", "verify_mode", "check_hostname", "options", "verify_flags", "minimum_version",
            "maximum_version", "post_handshake_auth", "keylog_filename", "hostname_checks_common_name")


@pytest.fixture
def pem(tmp_path):
    (tmp_path / "cert.pem").write_text(CERT)
    (tmp_path / "key.pem").write_text(KEY)
    return tmp_path / "cert.pem", tmp_path / "key.pem"


@pytest.fixture
def loaded(monkeypatch):
    """Count every CA bundle any TLS context reads."""
    reads = []
    read = ssl.SSLContext.load_verify_locations

    def spy(self, *args, **kwargs):
        reads.append(kwargs.get("cafile") or (args[0] if args else None))
        return read(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", spy)
    return reads


@contextmanager
def stub(tls: tuple | None = None):
    """Serve one canned chat completion at http(s)://127.0.0.1:PORT/v1."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            body = json.dumps(completion({"ok": True})).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*map(str, tls))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def ask(url: str) -> str:
    client = build_client(settings_from_env({"OPENAI_BASE_URL": url, "COACH_MODEL": "stub", "COACH_TIMEOUT": "5"}))
    answer = client.chat.completions.create(model="stub", messages=[{"role": "user", "content": "hello"}])
    return answer.choices[0].message.content


def test_the_context_is_the_default_one_with_its_certificates_read_late(monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    deferred, default = DeferredTrust(), ssl.create_default_context(cafile=certifi.where())
    assert {name: getattr(deferred, name) for name in SETTINGS} == {name: getattr(default, name) for name in SETTINGS}
    assert deferred.get_ciphers() == default.get_ciphers()
    assert deferred.cert_store_stats()["x509_ca"] == 0
    deferred.trust()
    assert deferred.cert_store_stats() == default.cert_store_stats()


def test_it_trusts_what_httpx_trusts(pem):
    cert, _ = pem
    assert DeferredTrust({"SSL_CERT_FILE": str(cert)})._cafile == str(cert)
    assert DeferredTrust({"SSL_CERT_DIR": str(cert.parent)})._capath == str(cert.parent)
    assert (DeferredTrust({})._cafile, DeferredTrust({})._capath) == (None, None)  # certifi's, read on first use
    with pytest.raises(FileNotFoundError):  # as httpx's own context does when the variable names no file
        DeferredTrust({"SSL_CERT_FILE": str(cert.parent / "missing.pem")})


def test_a_plain_http_endpoint_reads_no_certificates(loaded):
    with stub() as url:
        assert json.loads(ask(url)) == {"ok": True}
    assert loaded == []


def test_an_https_endpoint_is_verified_against_the_trusted_certificates(pem, loaded, monkeypatch):
    cert, key = pem
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with stub(tls=pem) as url:
        assert json.loads(ask(url)) == {"ok": True}
    assert loaded == [str(cert)]
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with stub(tls=pem) as url, pytest.raises(openai.APIConnectionError) as refused:
        ask(url)  # certifi's bundle does not hold the self-signed certificate
    assert isinstance(refused.value.__cause__, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in repr(
        refused.value.__cause__)


def test_workers_load_the_certificates_once(pem, monkeypatch, loaded):
    cert, key = pem
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(str(cert), str(key))
    client = DeferredTrust({"SSL_CERT_FILE": str(cert)})

    def handshake():
        near, far = socket.socketpair()
        with near, far:
            accepted = threading.Thread(target=lambda: server.wrap_socket(far, server_side=True).close())
            accepted.start()
            client.wrap_socket(near, server_hostname="localhost").close()
            accepted.join()

    workers = [threading.Thread(target=handshake) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert loaded == [str(cert)]


def test_the_call_log_does_not_wait_for_the_disk(tmp_path):
    log = CallLog(tmp_path / ".coach" / "coach.db")
    log.record(CallRecord("refine", "m", "h", "abc"))
    assert log._connect().execute("PRAGMA synchronous").fetchone() == (0,)
    assert [call.command for call in log.recent()] == ["refine"]


def test_the_first_client_imports_the_sdk_with_the_collector_paused_then_frozen():
    """Run in a fresh process: the suite has imported the SDK long before."""
    script = """
import gc
starts = []
gc.callbacks.append(lambda phase, info: starts.append(info["generation"]) if phase == "start" else None)
from coach.llm.settings import _collector_paused, build_client, settings_from_env
settings = settings_from_env({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
before = len(starts)
build_client(settings)
collections, frozen = len(starts) - before, gc.get_freeze_count()
build_client(settings)
print(collections, frozen > 10_000, gc.get_freeze_count() == frozen, gc.isenabled())
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "True", "True", "True"]


def test_a_failed_import_leaves_the_collector_as_it_was(monkeypatch):
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    with pytest.raises(ImportError), _collector_paused(first=True):
        assert not gc.isenabled()
        raise ImportError("no openai")
    assert gc.isenabled() and frozen == []
    gc.disable()
    try:
        with _collector_paused(first=True):
            pass
        assert not gc.isenabled() and frozen == [True]  # a collector paused by someone else stays paused
    finally:
        gc.enable()
