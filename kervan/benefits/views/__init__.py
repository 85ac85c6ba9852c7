"""Benefits in the officer UI: a person's benefits, the kinds and grants to all (``pages``), and
who is eligible for a kind, chosen in a form (``eligibility``)."""

from fastapi import APIRouter

from kervan.benefits.views import eligibility, pages

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(eligibility.router)
