"""The website: what each page shows (`views`, which builds the `round_views`, `measure_views`,
`listings` cut into pages and `page_history` of every page), which pages exist (`pages`) at
which address (`urls`, the one place addresses are made), the citizen-facing names of the
vocabulary, and rendering with the Jinja templates of the theme (`render`). A new page type is
a view, an address, a page plan and a template."""
