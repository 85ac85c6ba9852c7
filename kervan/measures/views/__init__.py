"""The officer UI of measures: the measures page and the "applies to this person" panel. The
domain (models, scope language, apply, explain) is ``kervan.measures``; this package only
parses forms, calls it and renders."""
