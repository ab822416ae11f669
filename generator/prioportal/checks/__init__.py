"""From documents to the model: every check that turns what was read into typed objects and
problems (`path:line:column`, with advice). `portal.load_portal` is the one way in to loading
a whole portal; a new check goes into `documents` (one file) or beside it (across files)."""
