"""The page that edits officer-authored texts in every UI language (``authored_texts.html``),
shared by every record that has them — a measure, a benefit kind: one field per language with
the original marked and the fallback under an empty one; two posts, as every write, the first
showing what changes, the second saving it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kervan.errors import KervanError
from kervan.messages import original_language, text_changes
from kervan.web.forms import fallbacks_of, texts_by_language
from kervan.web.i18n_errors import FormErrors
from kervan.web.templating import Page

Texts = dict[str, dict[str, str]]


@dataclass(frozen=True)
class TextsForm:
    """One record's texts page: its template, fields and their labels (untranslated), and
    what it does with the texts: revise (stored + sent → new), check (raises), save."""

    template: str
    labels: Mapping[str, str]
    saved: Texts
    revise: Callable[[Mapping[str, Mapping[str, str]]], Texts]
    check: Callable[[Texts], None]
    save: Callable[[Mapping[str, Mapping[str, str]]], object]
    multiline: frozenset[str] = frozenset()

    def render(
        self, page: Page, texts: Texts, errors: FormErrors, status_code: int = 200, **context: Any
    ) -> Response:
        first = original_language(self.saved[next(iter(self.labels))])
        return page.render(
            self.template,
            texts=texts,
            fields=[(name, page.gettext(label)) for name, label in self.labels.items()],
            labels={name: page.gettext(label) for name, label in self.labels.items()},
            originals={name: original_language(self.saved[name]) or first for name in texts},
            fallbacks={name: fallbacks_of(texts[name]) for name in texts},
            multiline=self.multiline,
            errors=errors,
            status_code=status_code,
            **{"step": "form", **context},
        )

    def submit(
        self, page: Page, session: Session, values: Mapping[str, str], done: str, **context: Any
    ) -> Response:
        """Review (the changes shown), edit (the form again) or confirm (saved, then ``done``)."""
        sent = {name: texts_by_language(values, name) for name in self.labels}
        errors = FormErrors()
        texts = self.revise(sent)
        changes = text_changes(self.saved, texts)
        try:
            self.check(texts)
            # A confirm that changes nothing is refused like a review of nothing: saving it
            # would answer "saved" for a write that did not happen.
            if changes and values.get("confirm") == "confirm":
                with session.begin_nested():
                    self.save(sent)
                return RedirectResponse(done, status_code=303)
        except KervanError as exc:
            errors.from_error(page.translator, exc)
            return self.render(page, sent, errors, status_code=exc.status, **context)
        if not changes:
            errors["_"] = page.gettext("Nothing has changed; edit a text first.")
            return self.render(page, sent, errors, status_code=422, **context)
        if values.get("confirm") == "edit":
            return self.render(page, sent, errors, **context)
        return self.render(page, sent, errors, step="confirm", changes=changes, **context)
