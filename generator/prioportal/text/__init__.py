"""Text in the portal's language: gettext catalogues and CLDR formatting (`i18n`), the
municipality's own wording (`own_texts`), Markdown made safe (`markup`) and readability (LIX)."""
