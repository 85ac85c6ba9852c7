"""Pages of the UI that belong to no one context: home, the language switch, error pages; and
``install_ui``, which plugs the whole officer UI into the app."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from kervan.accounts.models import User
from kervan.accounts.roles import Permission, Principal
from kervan.errors import KervanError
from kervan.web import i18n
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.home import router as home_router
from kervan.web.i18n_errors import error_explanation, error_title
from kervan.web.security import csrf_protect
from kervan.web.templating import language_of, make_environment, render

STATIC_DIR = Path(__file__).parent / "static"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this node: ``//evil.example`` or ``https://…`` would be an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def remember_language(session: Session, principal: Principal | None, code: str) -> None:
    """Keep the choice on the user, so it follows them to any workstation."""
    if principal is None or principal.user_id is None:
        return
    user = session.get(User, principal.user_id)
    if user is not None:
        user.locale = code


@router.post("/language", dependencies=[Depends(csrf_protect)])
def switch_language(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    lang: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=2000)] = "/",
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    code = i18n.supported(lang) or i18n.DEFAULT_LOCALE
    remember_language(session, principal, code)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_language_cookie(response, code, secure=request.url.scheme == "https")
    return response


def set_language_cookie(response: Response, code: str, *, secure: bool) -> None:
    # Read by the server only (before sign-in and on error pages), so httponly.
    response.set_cookie(
        i18n.COOKIE_NAME,
        code,
        max_age=LANGUAGE_COOKIE_AGE,
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def render_error_page(
    request: Request, status: int, slug: str, detail: str, exc: KervanError | None = None
) -> Response:
    """The HTML face of an error (``kervan.web.problems`` calls it for browsers)."""
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method not in ("GET", "HEAD"):
            target = request.headers.get("hx-current-url", "") or "/"
        location = "/sign-in?next=" + quote(safe_next(target), safe="/")
        if request.headers.get("hx-request") == "true":
            # htmx would follow a redirect inside the page; this makes it reload it whole.
            return Response(status_code=401, headers={"HX-Redirect": location})
        return RedirectResponse(location, status_code=303)
    translator = getattr(request.state, "translator", None) or i18n.Translator(language_of(request))
    return render(
        request,
        "error.html",
        translator=translator,
        principal=getattr(request.state, "principal", None),
        status_code=status,
        status=status,
        title=error_title(translator, slug),
        explanation=error_explanation(translator, slug, detail, exc),
    )


class CachedStaticFiles(StaticFiles):
    """Static files with a day of caching: on a slow consular line, htmx is fetched once."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def install_ui(app: FastAPI, template_packages: Sequence[str]) -> None:
    """The frame every package's pages share; the packages add their own routers, and their
    template folders (``template_packages``) in their ``install``."""
    app.state.templates = make_environment(template_packages)
    app.state.html_error_renderer = render_error_page
    # Compressed, like pages and JSON, by the app-wide middleware (kervan.web.app).
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    app.include_router(home_router)
