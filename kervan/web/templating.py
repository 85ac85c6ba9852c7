"""Server-rendered pages: one Jinja2 environment for the node, translated per request.

The environment is shared by all requests, so it must not hold a language: the gettext
callables and the date and number filters read the request's translator from the template
context instead (``install_gettext_translations`` would switch the language of every request
at once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

import kervan
from kervan.accounts.models import User
from kervan.accounts.roles import Permission, Principal
from kervan.messages import pick_language
from kervan.web import i18n
from kervan.web.deps import SessionDep, current_principal
from kervan.web.i18n_errors import coded_text, saw_text, state_in
from kervan.web.i18n_terms import term


def _translator(context: Context) -> i18n.Translator:
    translator: i18n.Translator = context["translator"]
    return translator


@pass_context
def _gettext(context: Context, message: str, **variables: Any) -> str:
    text = _translator(context).translations.gettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    # Always formatted, as Jinja's "newstyle" gettext does, so %% means the same everywhere.
    return i18n.one_full_stop(text, variables) % variables


@pass_context
def _ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    text = _translator(context).translations.ngettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return i18n.one_full_stop(text, variables) % variables


@pass_context
def _date(context: Context, value: dt.date | str | None, form: str = "medium") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):  # an ICAO date with unknown parts ("1988-XX-XX") stays as is
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return format_date(parsed, form, locale=_translator(context).locale)
    if isinstance(value, dt.datetime):
        return format_datetime(value, "short", locale=_translator(context).locale)
    return format_date(value, form, locale=_translator(context).locale)


@pass_context
def _birth_date(context: Context, person: Any) -> str:
    """A date of birth in the officer's locale, as far as it is known (ICAO allows an unknown
    day or month): "14 мар. 1988 г.", "мар. 1988 г.", "1988"."""
    year, month, day = person.birth_year, person.birth_month, person.birth_day
    locale = _translator(context).locale
    if month and day:
        return format_date(dt.date(year, month, day), "medium", locale=locale)
    if month:
        return format_skeleton("yMMM", dt.date(year, month, 1), locale=locale)
    return str(year)


@pass_context
def _localized(context: Context, texts: dict[str, str] | None, fallback: str = "") -> str:
    """Officer-authored text in the officer's language if it was written in it; otherwise in the
    language it was written in, marked as such (WCAG 3.1.2), so a screen reader pronounces it
    right and nobody mistakes it for a missing translation of the UI."""
    code = _translator(context).code
    text, language = pick_language(texts, code)
    if not text:
        return fallback  # written in one language only, which the record does not name
    if language != code:
        return Markup('<span lang="%s">%s</span>') % (language, text)
    return text


@pass_context
def _number(context: Context, value: int | float | Decimal | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value, locale=_translator(context).locale)


@pass_context
def _term(context: Context, value: object) -> str:
    """The translated label of a register vocabulary value (a stay kind, a status…)."""
    return _translator(context).gettext(term(value))


def state_label(code: str, language: str) -> str:
    """A state's name in ``language`` (outside a template: charts)."""
    return state_in(i18n.Translator(language), code)


@pass_context
def _state_name(context: Context, code: str) -> str:
    """A state's name in the officer's language (Babel's CLDR territory names), else English."""
    return state_in(_translator(context), code)


@pass_context
def _explain(context: Context, said: Any) -> str:
    """A coded sentence in the officer's language: a problem (``code``, ``params``, English
    ``message``) or an explanation line (``clause`` instead of ``message``), object or dict."""

    def part(name: str, default: Any = None) -> Any:
        if isinstance(said, Mapping):
            return said.get(name, default)
        return getattr(said, name, default)

    english = str(part("message") or part("clause") or said)
    return coded_text(_translator(context), part("code", "") or "", part("params") or {}, english)


@pass_context
def _authored(context: Context, value: Mapping[str, str] | str | None) -> str:
    """Text officers wrote in several languages (a measure's title): the officer's language,
    else English, else the first one written."""
    if not isinstance(value, Mapping):
        return value or ""
    return _localized(context, dict(value))


@pass_context
def _script_name(context: Context, code: str | None) -> str:
    """An ISO 15924 script code (``Cyrl``) by its name in the officer's language (CLDR)."""
    if not code:
        return ""
    return str(_translator(context).locale.scripts.get(code, code))


@pass_context
def _saw(context: Context, saw: Mapping[str, Any] | None) -> str:
    return saw_text(_translator(context), saw or {})


def make_environment(packages: Sequence[str] = ()) -> Environment:
    """The node's templates: the frame's (``kervan.web``), then each installed package's
    ``templates`` folder, in install order (``Wiring.add_templates``)."""
    loader = ChoiceLoader(
        [PackageLoader(package, "templates") for package in ("kervan.web", *packages)]
    )
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Whitespace inside {% trans %} is collapsed, here and in extraction (babel.cfg), so that
    # reflowing a template does not change a msgid.
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=_gettext, ngettext=_ngettext, _=_gettext)
    env.globals["LANGUAGES"] = i18n.LANGUAGES
    env.globals["Permission"] = Permission
    env.filters.update(
        date=_date,
        birth_date=_birth_date,
        number=_number,
        term=_term,
        state_name=_state_name,
        explain=_explain,
        saw=_saw,
        authored=_authored,
        script_name=_script_name,
        localized=_localized,
    )
    return env


def language_of(request: Request, user: User | None = None) -> str:
    """The user's remembered language, else the cookie set before sign-in, else the browser's
    first supported preference."""
    for candidate in (
        user.locale if user is not None else None,
        request.cookies.get(i18n.COOKIE_NAME),
        i18n.from_accept_language(request.headers.get("accept-language", "")),
    ):
        code = i18n.supported(candidate)
        if code:
            return code
    return i18n.DEFAULT_LOCALE


def _csrf(request: Request) -> str:
    from kervan.web.security import csrf_token

    return csrf_token(request)


def render(
    request: Request,
    name: str,
    *,
    translator: i18n.Translator,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(
        request=request,
        translator=translator,
        lang=translator.code,
        principal=principal,
        csrf_token=_csrf(request),
        is_htmx=request.headers.get("hx-request") == "true",
        node_state=request.app.state.settings.state,
        version=kervan.__version__,
        today=dt.date.today(),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    # Pages differ by language and sign-in: no shared cache may hand one user's page to another.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Cookie, Accept-Language, HX-Request"
    return response


@dataclass(frozen=True)
class Page:
    """What a view needs to answer with HTML: the request, the caller, their language."""

    request: Request
    principal: Principal | None
    translator: i18n.Translator

    def render(self, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
        return render(
            self.request,
            name,
            translator=self.translator,
            principal=self.principal,
            status_code=status_code,
            **context,
        )

    def gettext(self, message: str, **variables: Any) -> str:
        return self.translator.gettext(message, **variables)


def get_page(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal | None, Depends(current_principal)],
) -> Page:
    user = session.get(User, principal.user_id) if principal and principal.user_id else None
    translator = i18n.Translator(language_of(request, user))
    request.state.translator = translator
    return Page(request=request, principal=principal, translator=translator)


PageDep = Annotated[Page, Depends(get_page)]
