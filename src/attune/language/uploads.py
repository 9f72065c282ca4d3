"""What the language audit accepts as an uploaded document, for every page that takes one.

The site refuses bodies over ATTUNE_MAX_BODY_BYTES (2 MB by default) before any view runs;
1.5 MB leaves room for the rest of a multipart body, so a refusal comes from the page, in
words, rather than from the generic "too large" page.
"""

MAX_UPLOAD_BYTES = 1_500_000
UPLOAD_LIMIT_LABEL = "1.5 MB"
UPLOAD_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".json")
