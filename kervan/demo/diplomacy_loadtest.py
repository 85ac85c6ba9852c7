"""A TUR node for the verifier's browser tests and benchmark: a federation's keys and trust
list, a border officer, one sample pass of each kind, served by uvicorn on a free port; and the
fake camera's video (a Y4M file showing a pass's QR code)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.db.migrate import upgrade
from kervan.demo.serving import served
from kervan.demo.trust_setup import make_federation
from kervan.diplomacy.rendering import qr_png
from kervan.diplomacy.samples import sample_passes
from kervan.exchange.trust_store import install
from kervan.uow import unit_of_work
from kervan.web.app import create_app

BORDER_USER, PASSWORD = "border.ist", "correct horse battery staple"
ENDPOINTS = {s: f"http://127.0.0.1:9/{s}" for s in ("OTS", "KAZ", "UZB", "TUR")}


@dataclass
class VerifierNode:
    url: str
    settings: Settings
    passes: dict[str, str]


def prepare(folder: Path) -> tuple[Settings, dict[str, str]]:
    document, signers = make_federation(folder / "keys", ENDPOINTS, threshold=2)
    settings = Settings(
        database_url=f"sqlite:///{folder / 'tur.db'}",
        state="TUR",
        environment="test",
        secret_key="browser-test-secret-key",
        data_dir=folder,
        keys_dir=folder / "keys" / "TUR",
    )
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            install(session, document, utcnow(), bootstrap=True)
            create_user(
                session,
                system_principal("TUR", "test"),
                username=BORDER_USER,
                password=PASSWORD,
                role=Role.BORDER_OFFICER,
                state="TUR",
            )
            passes = sample_passes(session, signers["TUR"], utcnow())
    finally:
        engine.dispose()
    return settings, passes


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    app = create_app(settings)
    try:
        with served(app) as url:
            yield url
    finally:
        app.state.engine.dispose()


def write_y4m(text: str, path: Path, frames: int = 20) -> Path:
    """A short grey-scale video of the pass's QR code, the way a phone screen shows it to the
    camera at the hall door (Chromium loops it as the fake camera)."""
    width, height = 640, 480
    code = Image.open(io.BytesIO(qr_png(text, scale=4))).convert("L")
    side = min(height - 20, code.width)
    frame = Image.new("L", (width, height), 255)
    frame.paste(
        code.resize((side, side), Image.Resampling.NEAREST),
        ((width - side) // 2, (height - side) // 2),
    )
    luma = frame.tobytes()
    chroma = bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return path
