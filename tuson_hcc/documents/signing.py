"""PAdES signatures on issued PDFs that leave electronically (DESIGN.md section 10), with pyHanko.

The stored document stays as issued (rendered once, its SHA-256 kept). A copy that leaves by e-mail is
signed on the way out as an incremental update, so the issued bytes are an exact prefix of the signed
file: /verify/ checks both that prefix against the stored hash and the signature over the whole file.

The issuing body's certificate and key come from files named by settings (environment):
`SIGNING_CERT`, `SIGNING_KEY`, `SIGNING_KEY_PASSPHRASE`, and `SIGNING_CA_CERT` (the trust root that
the verification page accepts). `seed_demo` makes a demo CA and certificate, named as demo, under var/.
"""

import asyncio
import datetime as dt
import hashlib
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FIELD_NAME = "ChuKyCoQuanBanHanh"
DEMO_NAME = "DEMO — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"


class SigningNotConfigured(RuntimeError):
    """No certificate and key configured: nothing can be signed."""


def signing_configured() -> bool:
    return bool(settings.SIGNING_CERT and settings.SIGNING_KEY) and all(
        Path(p).is_file() for p in (settings.SIGNING_CERT, settings.SIGNING_KEY)
    )


def _signer():
    from pyhanko.sign import signers

    if not signing_configured():
        raise SigningNotConfigured("SIGNING_CERT / SIGNING_KEY chưa được cấu hình.")
    passphrase = settings.SIGNING_KEY_PASSPHRASE.encode() or None
    chain = (settings.SIGNING_CA_CERT,) if settings.SIGNING_CA_CERT else ()
    signer = signers.SimpleSigner.load(
        settings.SIGNING_KEY, settings.SIGNING_CERT, ca_chain_files=chain, key_passphrase=passphrase
    )
    if signer is None:
        raise SigningNotConfigured("Không đọc được chứng thư hoặc khóa ký (kiểm tra mật khẩu khóa).")
    return signer


def _off_the_loop(function, *args, **kwargs):
    """pyHanko's sync calls run their own event loop: inside a running one (an async caller), use a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(pdf: bytes, *, reason: str = "Bản điện tử văn bản đã phát hành") -> bytes:
    """`pdf` signed PAdES (B-B) with the issuing body's certificate, as an incremental update of `pdf`."""
    return _off_the_loop(_sign_pdf, pdf, reason=reason)


def _sign_pdf(pdf: bytes, *, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=settings.PUBLIC_BASE_URL,
    )
    out = signers.sign_pdf(writer, meta, signer=_signer())
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What /verify/ says about a file's signature."""

    signed: bool
    intact: bool = False  # the signed bytes were not changed
    valid: bool = False  # intact, and the signature verifies with the certificate
    trusted: bool = False  # the certificate chains to the configured trust root
    whole_file: bool = False  # nothing was appended after the signature
    signer: str = ""
    signed_at: dt.datetime | None = None
    issued_prefix_matches: bool = False  # the bytes before the signature are the stored document

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_file


def _trust_context():
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext

    roots = [load_cert_from_pemder(settings.SIGNING_CA_CERT)] if settings.SIGNING_CA_CERT else []
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def signature_check(data: bytes, *, issued_sha256: str = "", issued_size: int = 0) -> SignatureCheck:
    """Validate the (last) signature of `data` with pyHanko; compare its issued prefix with the stored hash."""
    return _off_the_loop(_signature_check, data, issued_sha256=issued_sha256, issued_size=issued_size)


def _signature_check(data: bytes, *, issued_sha256: str, issued_size: int) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - not a readable PDF: simply not a signed one
        logger.info("signature check: unreadable PDF")
        return SignatureCheck(signed=False)
    if not signatures:
        return SignatureCheck(signed=False)
    prefix = bool(issued_sha256) and 0 < issued_size <= len(data)
    prefix = prefix and hashlib.sha256(data[:issued_size]).hexdigest() == issued_sha256
    try:
        status = validate_pdf_signature(signatures[-1], _trust_context())
    except (SignatureValidationError, ValueError, KeyError) as exc:
        logger.info("signature check failed: %s", exc)
        return SignatureCheck(signed=True, issued_prefix_matches=prefix)
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        issued_prefix_matches=prefix,
    )


def demo_signing_material_create(directory: Path, *, organisation: str) -> dict[str, Path]:
    """A demo CA and a signing certificate for `organisation`, both named as demo, as PEM files in `directory`.

    Idempotent: existing files are kept. Returns the paths for SIGNING_CA_CERT, SIGNING_CERT, SIGNING_KEY.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "SIGNING_CA_CERT": directory / "demo-ca.pem",
        "SIGNING_CERT": directory / "demo-signer.pem",
        "SIGNING_KEY": directory / "demo-signer-key.pem",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    now = dt.datetime.now(dt.UTC)

    def short(text: str) -> str:  # X.509 name attributes: at most 64 bytes
        while len(text.encode()) > 64:
            text = text[:-1]
        return text

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, short(organisation)),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, short(DEMO_NAME)),
                x509.NameAttribute(NameOID.COMMON_NAME, short(common)),
            ]
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name(f"CA {DEMO_NAME}")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(f"Chữ ký số {DEMO_NAME}"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths["SIGNING_CA_CERT"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["SIGNING_CERT"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["SIGNING_KEY"].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths["SIGNING_KEY"].chmod(0o600)
    return paths


def seed_demo_signing(*, scale: str, stdout) -> None:
    """`seed_demo`: the demo CA and signing certificate under var/signing/ (what the default settings name)."""
    from tuson_hcc.core.models import IssuingBody

    if not settings.SIGNING_CERT or not settings.SIGNING_KEY or not settings.SIGNING_CA_CERT:
        stdout.write("  SIGNING_CERT / SIGNING_KEY / SIGNING_CA_CERT not set: no demo certificate made.")
        return
    cert = Path(settings.SIGNING_CERT)
    if cert.exists():
        return
    paths = demo_signing_material_create(cert.parent, organisation=IssuingBody.current().police_unit_name)
    for setting, path in paths.items():
        if Path(getattr(settings, setting)) != path:
            raise SigningNotConfigured(f"{setting} phải trỏ tới {path} để dùng chứng thư demo.")
    stdout.write(f"  chứng thư số demo ({DEMO_NAME}): {cert.parent}")
