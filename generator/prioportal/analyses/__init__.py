"""Pure analyses of a validated portal: ranking and the funding line, follow-up of indicators,
the openness checklist, the consistency review and the changes between two versions. They take
model objects and return values; they read no files and render nothing."""
