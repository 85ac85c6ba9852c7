"""What the pages of every public intake (help, return) share beyond ``public_intake``'s
rules: the language a person picks on the page, and what guards each of their posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from kervan.web import i18n
from kervan.web.public_intake import bounded_form
from kervan.web.security import csrf_protect
from kervan.web.templating import Page

# ``?lang=`` on a public page: a person without an account picks the language by a link.
Lang = Annotated[str | None, Query(max_length=8)]
# Every public post: the body bounded while it is read, then the CSRF check.
FORM_DEPENDENCIES = [Depends(bounded_form), Depends(csrf_protect)]


def chosen_language(page: Page, lang: str | None) -> Page:
    """The language the person chose on the page (a link per language), else the usual."""
    code = i18n.supported(lang)
    if code is None:
        return page
    translator = i18n.Translator(code)
    page.request.state.translator = translator
    return Page(request=page.request, principal=page.principal, translator=translator)
