"""A letter as e-mail: an RFC 5322 message with the PDF attached, and sending it by SMTP.

The SMTP settings come from ``[smtp]`` in config.toml: ``host``, ``port``
(587 by default; 465 means implicit TLS), ``username``, ``password``,
``starttls`` (true by default except on port 465) and ``from``.
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


def send_message(
    message: EmailMessage, settings: dict[str, Any], source: str = "config.toml"
) -> None:
    """Send through the configured SMTP server; every failure is one clear line."""
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
    starttls = bool(settings.get("starttls", not implicit_tls))
    username, password = settings.get("username"), settings.get("password")
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
            if starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if username:
                client.login(str(username), str(password or ""))
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
    except smtplib.SMTPNotSupportedError as exc:
        raise UserError(
            _(
                "the server does not offer an encrypted connection ({reason}); use port 465 or another server."
            ).format(reason=exc),
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
