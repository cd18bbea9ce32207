"""A letter as e-mail: an RFC 5322 message with the PDF attached, and sending it by SMTP.

The SMTP settings come from ``[smtp]`` in config.toml: ``host``, ``port``
(587 by default; 465 means implicit TLS), ``username``, ``starttls`` ("auto" by
default: used when the server offers it; true/"require" or false) and ``from``.
The password comes from $PAPERWORK_SMTP_PASSWORD, ``password_command``,
``password`` or the system keyring (:func:`smtp_password`).
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.core.model import Case, LetterDocument
from paperwork.letters.compose import printable_text


def recipient_address(case: Case, role: str) -> tuple[str, str]:
    """(name, address) the letter goes to: the contact with the kind's role if it has
    an e-mail address, else the company's."""
    for contact in case.contacts:
        if contact.role == role and contact.email:
            return (f"{case.company.name}, {contact.name}", contact.email)
    if case.company.email:
        return (case.company.name, case.company.email)
    raise UserError(
        _(
            "case {id}: {company} has no e-mail address; add company.email with 'paperwork case edit'."
        ).format(id=case.id, company=case.company.name)
    )


def build_message(
    doc: LetterDocument,
    pdf: bytes,
    filename: str,
    *,
    to: tuple[str, str],
    sender: tuple[str, str],
    now: datetime,
) -> EmailMessage:
    """The message: the letter's text as the plain-text body, its PDF attached."""
    from paperwork.core.controls import scrub, scrub_all

    doc, filename = scrub_all(doc), scrub(filename, keep="")
    to, sender = scrub_all(to, keep=""), scrub_all(sender, keep="")
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = formataddr(to)
    message["Subject"] = " ".join(doc.subject.split())
    message["Date"] = format_datetime(now)
    domain = sender[1].rpartition("@")[2] or "paperwork.invalid"
    message["Message-ID"] = make_msgid(idstring="paperwork", domain=domain)
    message.set_content(
        printable_text(doc), subtype="plain", charset="utf-8", cte="quoted-printable"
    )
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The message as an .eml file: CRLF line endings, as RFC 5322 writes them."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


SMTP_KEYS = ("host", "port", "ssl", "starttls", "username", "password", "password_command", "from")
PASSWORD_ENV = "PAPERWORK_SMTP_PASSWORD"
KEYRING_SERVICE = "paperwork"
STARTTLS_CHOICES = (True, False, "auto", "require")


def smtp_problems(settings: dict[str, Any]) -> list[str]:
    """What is wrong with the ``[smtp]`` table, one line per problem."""
    problems = [
        _("smtp.{key}: unknown setting; known: {known}.").format(
            key=key, known=", ".join(SMTP_KEYS)
        )
        for key in settings
        if key not in SMTP_KEYS
    ]
    if settings.get("starttls", "auto") not in STARTTLS_CHOICES:
        problems.append(_('smtp.starttls: use true, false, "auto" or "require".'))
    port = settings.get("port", 587)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        problems.append(_("smtp.port: must be a number from 1 to 65535."))
    for key in ("host", "username", "password", "password_command", "from"):
        if key in settings and not isinstance(settings[key], str):
            problems.append(_("smtp.{key}: must be a string.").format(key=key))
    return problems


def smtp_password(
    settings: dict[str, Any], environ: dict[str, str] | None = None, source: str = "config.toml"
) -> str | None:
    """The SMTP password, from the first source that has one: $PAPERWORK_SMTP_PASSWORD,
    ``password_command`` (its first line of output), ``password`` in the config file,
    then the system keyring (service "paperwork", the username as the entry)."""
    import os

    env = os.environ if environ is None else environ
    if env.get(PASSWORD_ENV):
        return env[PASSWORD_ENV]
    command = settings.get("password_command")
    if command:
        return _password_from_command(str(command), source)
    if settings.get("password"):
        return str(settings["password"])
    username = settings.get("username")
    if username:
        try:
            import keyring
            from keyring.errors import KeyringError
        except ImportError:
            return None
        try:
            return keyring.get_password(KEYRING_SERVICE, str(username))
        except KeyringError as exc:
            raise UserError(
                _("smtp: the system keyring could not be read ({reason}).").format(reason=exc),
                source=source,
            ) from None
    return None


def _password_from_command(command: str, source: str) -> str:
    import subprocess

    try:
        done = subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(
            _("smtp.password_command: could not be run ({reason}).").format(reason=exc),
            source=source,
        ) from None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        raise UserError(
            _("smtp.password_command: gave no password (exit status {status}).").format(
                status=done.returncode
            ),
            source=source,
        )
    return lines[0]


class _NoStartTLS(Exception):
    """The server does not offer STARTTLS and the settings require it."""


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send_message(
    message: EmailMessage, settings: dict[str, Any], source: str = "config.toml"
) -> None:
    """Send through the configured SMTP server; every failure is one clear line.

    ``starttls``: "auto" (the default) encrypts with STARTTLS when the server offers it;
    true or "require" refuses a server that does not; false never asks. Port 465 (or
    ``ssl = true``) is TLS from the first byte. A password is never sent unencrypted
    to another machine unless ``starttls = false`` says so.
    """
    problems = smtp_problems(settings)
    if problems:
        raise UserError(problems, source=source)
    host = settings.get("host")
    if not host:
        raise UserError(
            _(
                "smtp.host: no SMTP server configured; add an [smtp] table with host, port, username, password."
            ),
            source=source,
        )
    port = int(settings.get("port", 587))
    implicit_tls = port == 465 or bool(settings.get("ssl", False))
    starttls = settings.get("starttls", "auto")
    username = settings.get("username")
    password = smtp_password(settings, source=source) if username else None
    if username and not password:
        raise UserError(
            _(
                "smtp.username is set but no password was found: set {env}, password_command, or store it with 'keyring set {service} {username}'."
            ).format(env=PASSWORD_ENV, service=KEYRING_SERVICE, username=username),
            source=source,
        )
    where = f"{host}:{port}"
    try:
        if implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=30, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=30)
        with client:
            client.ehlo()
            encrypted = implicit_tls
            if not implicit_tls and starttls is not False:
                if client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                    encrypted = True
                elif starttls in (True, "require"):
                    raise _NoStartTLS
            if username:
                if not encrypted and starttls == "auto" and not _is_loopback(str(host)):
                    raise UserError(
                        _(
                            "the server offers no encryption, so the password was not sent; use port 465, or set starttls = false to send it in the clear."
                        ),
                        source=where,
                    )
                client.login(str(username), str(password))
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise UserError(
            _("the SMTP server refused the username or password."), source=where
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise UserError(
            _("the SMTP server refused the recipient ({recipients}).").format(
                recipients=", ".join(exc.recipients)
            ),
            source=where,
        ) from None
    except _NoStartTLS:
        raise UserError(
            _(
                'the server does not offer an encrypted connection (STARTTLS) and smtp.starttls is "require"; use port 465, another server, or starttls = "auto".'
            ),
            source=where,
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise UserError(
            _("sending failed ({reason}). The message was not sent.").format(reason=exc),
            source=where,
        ) from None
    if refused:
        raise UserError(
            _("the SMTP server refused: {recipients}.").format(recipients=", ".join(refused)),
            source=where,
        )
