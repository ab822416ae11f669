"""From documents to the model: every check that turns what was read into typed objects and
problems (`path:line:column`, with advice). `portal.load_portal(settings)` is the one way in to
loading a whole portal, and `portal.check_portal` the one way on from what the files gave: the
checks across files, round by round (`rounds`), and the consistency review, with a layer that
says what the last load's still holds (`since_last` for the preview); `files` lists and reads
the decision files (and keeps them for the preview), `documents` checks one file and one file
against the others, `portal_wide` what
is checked across the whole portal (review, readability, personal data, languages).
`rendered_text` reads a text as a reader sees it (entities, comments, invisible characters),
for `personal_data` and for the invisible characters refused in titles; `settings_texts` finds
personal data in the texts of mkdocs.yml, `published_history` masks it in the git history the
pages and feeds publish."""
