"""The typed domain model: criteria sets, rounds, measures and the portal that holds them.

Nothing here reads files or runs an analysis: `decisions` declares what the YAML files mean,
`portal` holds a validated portal, `languages` resolves texts given per language, and `schema`
turns the model into the JSON Schemas communicators' editors use."""
