"""Sending by SMTP against a real local server (aiosmtpd on 127.0.0.1): a plain relay,
a server offering STARTTLS, and the password sources (environment, command, keyring)."""

from __future__ import annotations

import email
import re
import socket
import ssl
import subprocess
from email import policy
from email.message import EmailMessage

import pytest

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from paperwork.core.errors import UserError  # noqa: E402
from paperwork.letters.mail import send_message, smtp_password  # noqa: E402


class _Recorder:
    def __init__(self) -> None:
        self.received: list[dict] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            {
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "tls": session.ssl is not None,
                "login": session.login_data,
                "data": envelope.content,
            }
        )
        return "250 OK"


class _Logins:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.seen.append((login, password))
        return AuthResult(success=password == "s3cret", handled=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and localhost."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def server_factory(certificate, monkeypatch):
    """Start an SMTP server on 127.0.0.1, with or without STARTTLS offered."""
    started = []

    def start(starttls: bool, auth: bool = False):
        recorder, logins = _Recorder(), _Logins()
        kwargs = {}
        if starttls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*certificate)
            kwargs["tls_context"] = context
            # the client trusts this certificate only (create_default_context reads it)
            monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        if auth:
            kwargs["authenticator"] = logins
            kwargs["auth_require_tls"] = False
        controller = aiosmtpd_controller.Controller(
            recorder, hostname="127.0.0.1", port=_free_port(), **kwargs
        )
        controller.start()
        started.append(controller)
        return controller.port, recorder, logins

    yield start
    for controller in started:
        controller.stop()


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "me@example.org"
    message["To"] = "billing@acme.example"
    message["Subject"] = "Complaint"
    message.set_content("Please refund the duplicate charge.")
    return message


def test_a_plain_local_relay_works_with_the_default_settings(server_factory):
    port, recorder, _ = server_factory(starttls=False)
    send_message(_message(), {"host": "127.0.0.1", "port": port})
    [mail] = recorder.received
    assert mail["to"] == ["billing@acme.example"] and not mail["tls"]
    sent = email.message_from_bytes(mail["data"], policy=policy.default)
    assert sent["Subject"] == "Complaint"


def test_starttls_is_used_when_the_server_offers_it(server_factory):
    port, recorder, _ = server_factory(starttls=True)
    send_message(_message(), {"host": "127.0.0.1", "port": port})
    assert recorder.received[0]["tls"] is True
    send_message(_message(), {"host": "127.0.0.1", "port": port, "starttls": "require"})
    assert recorder.received[1]["tls"] is True


def test_starttls_false_never_asks(server_factory):
    port, recorder, _ = server_factory(starttls=True)
    send_message(_message(), {"host": "127.0.0.1", "port": port, "starttls": False})
    assert recorder.received[0]["tls"] is False


@pytest.mark.parametrize("value", ["require", True])
def test_required_starttls_refuses_a_plain_server_in_one_line(server_factory, value):
    port, recorder, _ = server_factory(starttls=False)
    with pytest.raises(UserError) as caught:
        send_message(_message(), {"host": "127.0.0.1", "port": port, "starttls": value})
    [line] = caught.value.problems
    assert "does not offer an encrypted connection" in line
    assert recorder.received == []


def test_a_bad_starttls_value_is_named(server_factory):
    with pytest.raises(
        UserError, match=re.escape('smtp.starttls: use true, false, "auto" or "require"')
    ):
        send_message(_message(), {"host": "127.0.0.1", "port": 25, "starttls": "yes"})


def test_password_from_the_environment_over_starttls(server_factory, monkeypatch):
    port, recorder, logins = server_factory(starttls=True, auth=True)
    monkeypatch.setenv("PAPERWORK_SMTP_PASSWORD", "s3cret")
    send_message(_message(), {"host": "127.0.0.1", "port": port, "username": "me"})
    assert logins.seen == [("me", "s3cret")]
    assert recorder.received[0]["tls"] is True


def test_password_from_a_command(server_factory, monkeypatch, tmp_path):
    monkeypatch.delenv("PAPERWORK_SMTP_PASSWORD", raising=False)
    port, _recorder, logins = server_factory(starttls=True, auth=True)
    secret = tmp_path / "secret"
    secret.write_text("s3cret\nsecond line ignored\n")
    settings = {
        "host": "127.0.0.1",
        "port": port,
        "username": "me",
        "password_command": f"cat '{secret}'",
    }
    send_message(_message(), settings)
    assert logins.seen == [("me", "s3cret")]
    with pytest.raises(UserError, match=re.escape("smtp.password_command: gave no password")):
        send_message(_message(), {**settings, "password_command": "exit 3"})


def test_password_from_the_system_keyring(server_factory, monkeypatch):
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.items.get((service, username))

        def set_password(self, service, username, password):
            self.items[(service, username)] = password

        def delete_password(self, service, username):
            self.items.pop((service, username), None)

    monkeypatch.delenv("PAPERWORK_SMTP_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        keyring.set_password("paperwork", "me", "s3cret")
        port, _recorder, logins = server_factory(starttls=True, auth=True)
        send_message(_message(), {"host": "127.0.0.1", "port": port, "username": "me"})
        assert logins.seen == [("me", "s3cret")]
    finally:
        keyring.set_keyring(previous)


def test_no_password_anywhere_is_one_line_naming_the_sources(monkeypatch):
    monkeypatch.delenv("PAPERWORK_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr("paperwork.letters.mail.smtp_password", lambda *a, **k: None)
    with pytest.raises(UserError) as caught:
        send_message(_message(), {"host": "127.0.0.1", "port": 25, "username": "me"})
    [line] = caught.value.problems
    assert "PAPERWORK_SMTP_PASSWORD" in line and "password_command" in line
    assert "keyring set paperwork me" in line


def test_the_sources_are_tried_in_order():
    settings = {"username": "me", "password": "plain", "password_command": "echo fromcmd"}
    assert smtp_password(settings, {"PAPERWORK_SMTP_PASSWORD": "fromenv"}) == "fromenv"
    assert smtp_password(settings, {}) == "fromcmd"
    assert smtp_password({"username": "me", "password": "plain"}, {}) == "plain"


def test_a_password_is_not_sent_in_the_clear_to_another_machine(monkeypatch):
    # A server that offers no STARTTLS on a non-local address: refused before login.
    import smtplib

    class FakeSMTP:
        def __init__(self, *a, **k):
            self.logged_in = False

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def ehlo(self):
            pass

        def has_extn(self, name):
            return False

        def login(self, *a):  # pragma: no cover - must not happen
            raise AssertionError("password sent in the clear")

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setenv("PAPERWORK_SMTP_PASSWORD", "s3cret")
    with pytest.raises(UserError, match="offers no encryption, so the password was not sent"):
        send_message(_message(), {"host": "mail.example.org", "username": "me"})


def _readme_smtp_blocks() -> list[dict]:
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(\[smtp\]\n.*?)```", readme, flags=re.S)
    return [tomllib.loads(block)["smtp"] for block in blocks]


def test_the_readme_local_relay_settings_work_as_written(server_factory, monkeypatch):
    monkeypatch.delenv("PAPERWORK_SMTP_PASSWORD", raising=False)
    relay, provider = _readme_smtp_blocks()
    assert relay["host"] == "localhost" and relay["port"] == 25
    port, recorder, _ = server_factory(starttls=False)
    send_message(_message(), {**relay, "port": port})  # only the port differs from the README
    assert len(recorder.received) == 1
    # The provider example: STARTTLS offered and used, the password from its command.
    assert provider["starttls"] == "auto" and "password_command" in provider
    port, recorder, logins = server_factory(starttls=True, auth=True)
    settings = {**provider, "host": "localhost", "port": port, "password_command": "echo s3cret"}
    send_message(_message(), settings)
    assert recorder.received[0]["tls"] is True
    assert logins.seen == [(provider["username"], "s3cret")]
